"""Fixtures of the hazard integration tests: migrated schema, API client, upstream simulator, seed data."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import uvicorn

from hazard_service.config import HazardSettings, UpstreamTargetConfig
from hazard_service.db import DATABASE
from hazard_service.enterprises.models import EnterpriseView
from hazard_service.main import create_app
from hazard_service.upstream.simulator import create_simulator
from shared.embedded import free_port
from shared.testing.broker import publish_event
from shared.testing.helpers import make_settings, migrate, token, wait_for
from shared.testing.plugin import Stack
from shared.testing.suite import ServiceSuite

CITY = "431281000000"
TOWNSHIP = "431281101000"
OTHER_TOWNSHIP = "431281102000"


@pytest.fixture(scope="session")
async def simulator() -> AsyncIterator[tuple[str, Any]]:
    """The upstream simulator served on a free port: (base URL, its state)."""
    app = create_simulator()
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    task = asyncio.create_task(server.serve())
    # uvicorn exposes no start event; a server that cannot start ends its task.
    await wait_for(lambda: server.started or task.done(), timeout_s=30)
    assert server.started, "the upstream simulator did not start"
    try:
        yield f"http://127.0.0.1:{port}", app.state.sim
    finally:
        server.should_exit = True
        await task


@pytest.fixture(scope="session")
async def settings(stack: Stack, simulator: tuple[str, Any]) -> HazardSettings:
    """Hazard settings on the test stack, with both upstream targets on the simulator and fast jobs."""
    url, _ = simulator
    await migrate("hazard_service", stack.database_url)
    return make_settings(
        HazardSettings,
        stack,
        photo_max_bytes=64 * 1024,
        overdue_interval_s=0.2,
        upstream_interval_s=0.2,
        upstream_backoff_base_s=0.1,
        upstream_backoff_max_s=0.5,
        upstream_alert_after_failures=3,
        upstream_targets=[
            UpstreamTargetConfig(code="national_direct_report", kind="national_direct_report", url=url, token="t"),
            UpstreamTargetConfig(
                code="provincial_one_list", kind="provincial_one_list", url=url, username="u", password="p"
            ),
        ],
    )


SUITE = ServiceSuite(create_app, DATABASE, EnterpriseView, township=TOWNSHIP, industry="3311", employee_count=30)
client, engine, enterprise_id = SUITE.fixtures()
system_uow = SUITE.system_uow
seed_enterprise = SUITE.seed_enterprise
publish = publish_event


def admin(stack: Stack) -> dict[str, str]:
    """A city administrator (安委办)."""
    return token(stack, ["city_admin"], jurisdictions=[CITY], name="管理员")


def officer(stack: Stack) -> dict[str, str]:
    """A department officer covering the whole city."""
    return token(stack, ["department_officer"], jurisdictions=[CITY], department="yjj", name="执法员")


def township_officer(stack: Stack, township: str = TOWNSHIP) -> dict[str, str]:
    """A township officer."""
    return token(stack, ["township_officer"], jurisdictions=[township])


def enterprise_user(stack: Stack, enterprise_id: uuid.UUID) -> dict[str, str]:
    """A user acting for one enterprise."""
    return token(stack, ["enterprise"], enterprise_id=str(enterprise_id))


def hazard_body(enterprise_id: uuid.UUID, **overrides: Any) -> dict[str, Any]:
    """The body of a hazard report (a general one found by a department inspection, unless overridden)."""
    return {
        "enterprise_id": str(enterprise_id),
        "grade": "general",
        "source": "department_inspection",
        "description": "配电箱未接地",
        "reported_on": "2024-03-01",
        **overrides,
    }


async def report(
    client: httpx.AsyncClient, headers: dict[str, str], enterprise_id: uuid.UUID, **overrides: Any
) -> dict[str, Any]:
    """Report a hazard and return the body (asserting 201)."""
    response = await client.post("/api/v1/hazards", json=hazard_body(enterprise_id, **overrides), headers=headers)
    assert response.status_code == 201, response.text
    return dict(response.json())


async def act(
    client: httpx.AsyncClient, headers: dict[str, str], hazard_id: str, path: str, body: dict[str, Any]
) -> httpx.Response:
    """POST a lifecycle action."""
    return await client.post(f"/api/v1/hazards/{hazard_id}/{path}", json=body, headers=headers)


async def ensure_standards(client: httpx.AsyncClient, stack: Stack) -> None:
    """Import the bundled standards (idempotent)."""
    response = await client.post("/api/v1/hazard-standards/import-bundled", headers=admin(stack))
    assert response.status_code == 200, response.text


async def major_to_ledger(client: httpx.AsyncClient, stack: Stack, enterprise_id: uuid.UUID) -> str:
    """Report, judge and ledger a major hazard; return its id."""
    await ensure_standards(client, stack)
    hazard = await report(client, officer(stack), enterprise_id, grade="major", description="粉尘除尘系统未防爆")
    r = await act(
        client,
        officer(stack),
        hazard["id"],
        "judgment",
        {"standard_code": "gm_mem10_2023", "clause_code": "gm10-03-01"},
    )
    assert r.status_code == 200, r.text
    r = await act(client, officer(stack), hazard["id"], "ledger", {"ledgered_on": "2024-03-02"})
    assert r.status_code == 200, r.text
    return str(hazard["id"])
