"""The whole system over the real broker: an enterprise registered in the supervisor service
reaches the hazard and enforcement services; a hazard reported, and an inspection's finding,
become hazards and reach the reporting service's statistics."""

from __future__ import annotations

import random
import uuid
from datetime import date
from typing import Any

import httpx

from shared.testing.helpers import token, wait_for
from shared.testing.plugin import Stack

from .conftest import credit_code

TOWNSHIP = "431281101000"  # 黔城镇


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
