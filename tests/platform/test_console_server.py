"""The web console server of the embedded stack: its config, the development sign-in, the built files with SPA
fallback and cache headers, and a clear page when the console has not been built."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from safety_stack.cli import CONSOLE_ORIGINS
from safety_stack.console import console_origins, console_port, create_console_app, dev_users
from safety_stack.services import SERVICES
from shared.auth.principal import Principal, Role
from shared.auth.tokens import TokenVerifier
from supervisor_service.seed import demo_dataset, demo_id

KEY = b"console-test-key-of-at-least-32-bytes"
USER_IDS = [
    "city-admin",
    "department-officer",
    "township-officer",
    "township-officer-2",
    "supervisor",
    "enterprise",
    "leader",
]


@pytest.fixture
def dist(tmp_path: Path) -> Path:
    """A tiny built console: index.html, a hashed asset and a file at the root."""
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text('<!doctype html><div id="app">控制台</div>', encoding="utf-8")
    (tmp_path / "assets" / "index-3f2a.js").write_text("console.log(1)", encoding="utf-8")
    (tmp_path / "favicon.svg").write_text("<svg/>", encoding="utf-8")
    return tmp_path


def _client(dist: Path) -> httpx.AsyncClient:
    app = create_console_app(dist=dist, signing_key=KEY, users=dev_users())
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://localhost")


@pytest.fixture
async def client(dist: Path) -> AsyncIterator[httpx.AsyncClient]:
    """The console app over the tiny build."""
    async with _client(dist) as client:
        yield client


async def test_config_names_the_four_apis_of_this_stack_and_the_dev_sign_in(client: httpx.AsyncClient) -> None:
    answer = await client.get("/config.json")
    assert answer.status_code == 200
    assert answer.json() == {
        "services": {s.name: f"http://localhost:{s.api_port}" for s in SERVICES},
        "auth": {"mode": "dev"},
    }
    assert answer.headers["cache-control"] == "no-store"


async def test_the_dev_users_are_the_planned_people_with_demo_data_codes(client: httpx.AsyncClient) -> None:
    users = (await client.get("/dev/users")).json()
    assert [u["id"] for u in users] == USER_IDS
    assert all(set(u) == {"id", "name", "role", "role_label", "jurisdictions", "department"} for u in users)
    by_id = {u["id"]: u for u in users}
    assert by_id["city-admin"] | {"name": ""} == {
        "id": "city-admin",
        "name": "",
        "role": "city_admin",
        "role_label": "市级管理员",
        "jurisdictions": ["431281000000"],
        "department": "yjj",
    }
    demo = demo_dataset()
    townships = {e["township_code"] for e in demo["items"]}
    first, second = by_id["township-officer"]["jurisdictions"], by_id["township-officer-2"]["jurisdictions"]
    assert first != second
    assert {*first, *second} <= townships


async def test_a_minted_token_is_accepted_with_the_stack_key_and_carries_the_claims(client: httpx.AsyncClient) -> None:
    minted = await client.post("/dev/token", json={"id": "township-officer"})
    assert minted.status_code == 200
    assert minted.json()["expires_in"] == 8 * 3600
    principal = await _verify(minted.json()["access_token"])
    assert principal.roles == {Role.TOWNSHIP_OFFICER.value}
    assert principal.jurisdictions == ("431281101000",)
    assert principal.name == "王芳（黔城镇）"


async def test_the_supervisor_and_enterprise_users_are_demo_rows_assigned_to_each_other(
    client: httpx.AsyncClient,
) -> None:
    supervisor = await _verify((await client.post("/dev/token", json={"id": "supervisor"})).json()["access_token"])
    enterprise = await _verify((await client.post("/dev/token", json={"id": "enterprise"})).json()["access_token"])
    demo = demo_dataset()
    codes = {str(demo_id("supervisor", s["code"])): s["code"] for s in demo["supervisors"]}
    credit_codes = {str(demo_id("enterprise", e["credit_code"])): e["credit_code"] for e in demo["items"]}
    assert supervisor.supervisor_id in codes
    assert enterprise.enterprise_id in credit_codes
    active = {(a["supervisor_code"], a["enterprise_credit_code"]) for a in demo["assignments"] if a["end_date"] is None}
    assert (codes[str(supervisor.supervisor_id)], credit_codes[str(enterprise.enterprise_id)]) in active


async def test_an_unknown_user_or_a_bad_body_mints_nothing(client: httpx.AsyncClient) -> None:
    assert (await client.post("/dev/token", json={"id": "root"})).status_code == 404
    assert (await client.post("/dev/token", content=b"not json")).status_code == 422
    assert (await client.get("/dev/token")).status_code == 405
    assert (await client.get("/dev/other")).status_code == 404


async def test_assets_are_kept_long_and_index_html_is_asked_for_each_time(client: httpx.AsyncClient) -> None:
    asset = await client.get("/assets/index-3f2a.js")
    assert asset.status_code == 200
    assert asset.text == "console.log(1)"
    assert "immutable" in asset.headers["cache-control"]
    index = await client.get("/")
    assert "控制台" in index.text
    assert index.headers["cache-control"] == "no-cache"
    assert (await client.get("/favicon.svg")).text == "<svg/>"


async def test_unknown_paths_fall_back_to_the_single_page_app(client: httpx.AsyncClient) -> None:
    for path in ("/dashboard", "/hazards/3b1c", "/assets/../../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd"):
        answer = await client.get(path)
        assert answer.status_code == 200, path
        assert "控制台" in answer.text, path
        assert answer.headers["cache-control"] == "no-cache"


async def test_a_missing_build_answers_a_page_saying_to_run_make_web(tmp_path: Path) -> None:
    async with _client(tmp_path / "absent") as client:
        for path in ("/", "/dashboard"):
            page = await client.get(path)
            assert page.status_code == 503
            assert "make web" in page.text
            assert "控制台尚未构建" in page.text
            assert "has not been built" in page.text
        assert (await client.get("/config.json")).status_code == 200


def test_the_apis_of_the_stack_allow_the_console_origin() -> None:
    port = console_port()
    assert console_origins() == [f"http://127.0.0.1:{port}", f"http://localhost:{port}"]
    assert set(console_origins()) <= set(CONSOLE_ORIGINS.split(","))


async def _verify(token: str) -> Principal:
    """The principal an API builds from the token (the APIs of the stack verify with the same key)."""
    return await TokenVerifier(hs256_key=KEY).verify(token)
