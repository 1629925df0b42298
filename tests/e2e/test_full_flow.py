"""The whole system over the real broker: an enterprise registered in the supervisor service
reaches the hazard and enforcement services; a hazard reported, and an inspection's finding,
become hazards and reach the reporting service's statistics."""

from __future__ import annotations

import contextlib
import random
import uuid
from collections.abc import AsyncIterator
from datetime import date
from typing import Any

import httpx
import pytest

from enforcement_service.config import EnforcementSettings
from enforcement_service.main import create_app as enforcement_app
from enforcement_service.worker import build_worker as enforcement_worker
from hazard_service.config import HazardSettings
from hazard_service.main import create_app as hazard_app
from hazard_service.worker import build_worker as hazard_worker
from reporting_service.config import ReportingSettings
from reporting_service.main import create_app as reporting_app
from reporting_service.worker import build_worker as reporting_worker
from shared.db.engine import create_engine, create_sessionmaker
from shared.testing.helpers import api_client, make_settings, migrate, running_worker, token, wait_for
from shared.testing.plugin import Stack
from supervisor_service.config import SupervisorSettings
from supervisor_service.main import create_app as supervisor_app
from supervisor_service.reference.service import import_bundled_reference_data
from supervisor_service.worker import build_worker as supervisor_worker

TOWNSHIP = "431281101000"  # 黔城镇
CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_code() -> str:
    """A fresh unified social credit code with a correct check character."""
    base = f"91431281{random.randrange(10**9):09d}"
    total = sum(CHARSET.index(c) * w for c, w in zip(base, WEIGHTS, strict=True))
    return base + CHARSET[(31 - total % 31) % 31]


@pytest.fixture
async def system(stack: Stack) -> AsyncIterator[dict[str, httpx.AsyncClient]]:
    """All four services' APIs and workers, in this process, on the test stack."""
    services: list[tuple[str, Any, Any, Any, str]] = [
        ("supervisor", SupervisorSettings, supervisor_app, supervisor_worker, "supervisor_service"),
        ("hazard", HazardSettings, hazard_app, hazard_worker, "hazard_service"),
        ("enforcement", EnforcementSettings, enforcement_app, enforcement_worker, "enforcement_service"),
        ("reporting", ReportingSettings, reporting_app, reporting_worker, "reporting_service"),
    ]
    async with contextlib.AsyncExitStack() as exits:
        clients = {}
        for name, settings_cls, app, worker, package in services:
            await migrate(package, stack.database_url)
            settings = make_settings(settings_cls, stack)
            if name == "supervisor":
                await _load_reference_data(settings)
            await exits.enter_async_context(running_worker(worker(settings)))
            clients[name] = await exits.enter_async_context(api_client(app(settings)))
        yield clients


async def _load_reference_data(settings: SupervisorSettings) -> None:
    """Jurisdictions, departments and industries, as `make run` loads them (re-importing changes nothing)."""
    engine = create_engine(settings, pool_size=1)
    try:
        async with create_sessionmaker(engine)() as session, session.begin():
            await import_bundled_reference_data(session)
    finally:
        await engine.dispose()


async def test_an_enterprise_its_hazards_and_an_inspection_flow_through_every_service(
    system: dict[str, httpx.AsyncClient], stack: Stack
) -> None:
    admin = token(stack, ["city_admin"], jurisdictions=["431281000000"], department="yjj")
    day = date(2019, random.randint(1, 12), random.randint(1, 28))

    registered = await system["supervisor"].post(
        "/api/v1/enterprises",
        json={
            "name": f"洪江市端到端测试{uuid.uuid4().hex[:6]}有限公司",
            "credit_code": credit_code(),
            "industry_code": "30",
            "township_code": TOWNSHIP,
            "employee_count": 25,
        },
        headers=admin,
    )
    assert registered.status_code == 201, registered.text
    enterprise_id = registered.json()["id"]

    hazard = {
        "enterprise_id": enterprise_id,
        "grade": "general",
        "source": "department_inspection",
        "description": "配电箱未上锁",
        "reported_on": day.isoformat(),
    }

    async def reported_once_known() -> httpx.Response | None:
        response = await system["hazard"].post(
            "/api/v1/hazards", json=hazard, headers={**admin, "Idempotency-Key": f"e2e-{enterprise_id}"}
        )
        return response if response.status_code == 201 else None

    # The hazard service knows the enterprise only once supervisor's event reached it.
    created = await wait_for(reported_once_known, timeout_s=60, interval_s=0.3)
    assert created.json()["township_code"] == TOWNSHIP

    inspection = await wait_for(
        lambda: _record_inspection(system["enforcement"], admin, enterprise_id, day), timeout_s=60, interval_s=0.3
    )
    assert inspection.status_code == 201

    async def hazards_of_enterprise() -> list[dict[str, Any]] | None:
        page = await system["hazard"].get(
            "/api/v1/hazards", params={"enterprise_id": enterprise_id, "limit": 50}, headers=admin
        )
        items = page.json()["items"]
        return items if len(items) >= 2 else None

    hazards = await wait_for(hazards_of_enterprise, timeout_s=60)
    assert len(hazards) == 2
    assert {h["source"] for h in hazards} == {"department_inspection"}

    async def figures() -> dict[str, Any] | None:
        response = await system["reporting"].get(
            "/api/v1/statistics",
            params={"period": "day", "date": day.isoformat(), "township_code": TOWNSHIP},
            headers=admin,
        )
        body = response.json()
        done = body["hazards"]["found"] >= 2 and body["enforcement"]["inspections"] >= 1
        return body if done else None

    statistics = await wait_for(figures, timeout_s=60, interval_s=0.3)
    assert statistics["hazards"]["found"] == 2
    assert statistics["enforcement"]["inspections"] == 1
    assert statistics["enforcement"]["enterprise_checks"] == 1
    assert statistics["enforcement"]["persons_deployed"] == 2


async def _record_inspection(
    client: httpx.AsyncClient, headers: dict[str, str], enterprise_id: str, day: date
) -> httpx.Response | None:
    response = await client.post(
        "/api/v1/inspections",
        json={
            "kind": "routine",
            "unit_code": "yjj",
            "inspected_on": day.isoformat(),
            "team_members": ["执法员甲", "执法员乙"],
            "enterprise_ids": [enterprise_id],
            "findings": [{"enterprise_id": enterprise_id, "description": "安全出口堵塞"}],
        },
        headers=headers,
    )
    return response if response.status_code == 201 else None
