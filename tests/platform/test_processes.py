"""Process start-up: a missing or invalid setting and a taken port stop the process with one clear line."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

import pytest

SERVICES = ("hazard", "enforcement", "supervisor", "reporting")


def _run(module: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.endswith(("DATABASE_URL", "KAFKA_BOOTSTRAP_SERVERS"))}
    return subprocess.run(
        [sys.executable, "-m", module], env={**clean, **env}, capture_output=True, text=True, timeout=60, check=False
    )


@pytest.mark.parametrize(
    ("service", "kind"),
    [*((service, "api") for service in SERVICES), ("hazard", "worker"), ("reporting", "migrate")],
)
def test_a_missing_setting_stops_the_process_naming_the_variable(service: str, kind: str) -> None:
    prefix = service.upper()
    result = _run(f"{service}_service.entrypoints.{kind}", {f"{prefix}_KAFKA_BOOTSTRAP_SERVERS": "127.0.0.1:1"})
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert lines == [f"configuration error: {prefix}_DATABASE_URL (or DATABASE_URL): Field required"]


def test_an_invalid_setting_stops_the_process_naming_the_variable() -> None:
    result = _run(
        "hazard_service.entrypoints.api",
        {"DATABASE_URL": "postgresql://x@/db", "KAFKA_BOOTSTRAP_SERVERS": "k:1", "HAZARD_API_PORT": "eighty"},
    )
    assert result.returncode == 2
    assert result.stderr.strip().startswith("configuration error: HAZARD_API_PORT: ")
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_port_already_in_use_is_reported_as_such() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = _run(
            "supervisor_service.entrypoints.api",
            {
                "DATABASE_URL": "postgresql://x@/db",
                "KAFKA_BOOTSTRAP_SERVERS": "k:1",
                "SUPERVISOR_API_PORT": str(port),
                "AUTH_HS256_KEY_FILE": "/tmp/unused.key",
            },
        )
    assert result.returncode == 2
    assert f"port {port} on 127.0.0.1 is already in use (set SUPERVISOR_API_PORT)" in result.stderr
