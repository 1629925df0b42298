"""The embedded stack lets the web console's development server call the APIs from a browser."""

from __future__ import annotations

import pytest

from safety_stack.cli import CONSOLE_ORIGINS, Infrastructure, _service_env
from safety_stack.services import by_name
from shared.settings import ServiceSettings

INFRA = Infrastructure(
    database_url="postgresql://x@127.0.0.1/d", bootstrap_servers="127.0.0.1:9", embedded_broker=False
)


def test_services_of_safety_up_allow_the_console_origin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CORS_ALLOW_ORIGINS", raising=False)
    env = _service_env(by_name("hazard"), INFRA)
    assert env["CORS_ALLOW_ORIGINS"] == CONSOLE_ORIGINS
    settings = ServiceSettings(
        database_url=INFRA.database_url, kafka_bootstrap_servers="h:9", cors_allow_origins=env["CORS_ALLOW_ORIGINS"]
    )
    assert "http://localhost:5173" in settings.cors_origins


def test_an_operator_origin_list_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CORS_ALLOW_ORIGINS", "https://console.example.gov.cn")
    assert _service_env(by_name("supervisor"), INFRA)["CORS_ALLOW_ORIGINS"] == "https://console.example.gov.cn"
