"""The worker over the real broker: the enterprise read model, case leads from overdue major hazards,
and enforcement events reaching the topic."""

from __future__ import annotations

import uuid

import httpx
from sqlalchemy.ext.asyncio import AsyncEngine

from enforcement_service.config import EnforcementSettings
from enforcement_service.worker import build_worker
from shared.contracts.supervisor import EnterpriseStatusChangedV1
from shared.contracts.topics import ENFORCEMENT_EVENTS
from shared.testing.broker import publish_enterprise_registered
from shared.testing.helpers import read_topic, running_worker, wait_for
from shared.testing.plugin import Stack

from .conftest import (
    OTHER_TOWNSHIP,
    TOWNSHIP,
    hazard_overdue,
    officer,
    post,
    publish,
    scalar,
    seed_enterprise,
    township_officer,
)


async def test_worker_keeps_enterprises_opens_leads_once_and_publishes_events(
    client: httpx.AsyncClient, stack: Stack, engine: AsyncEngine, settings: EnforcementSettings
) -> None:
    enterprise_id = uuid.uuid4()
    major, general = f"hz-{uuid.uuid4().hex[:8]}", f"hz-{uuid.uuid4().hex[:8]}"
    async with running_worker(build_worker(settings)):
        chemicals = {"name": "某化工厂", "industry_code": "2614", "township_code": TOWNSHIP, "employee_count": 40}
        await publish_enterprise_registered(stack, str(enterprise_id), **chemicals)
        await publish(
            stack,
            EnterpriseStatusChangedV1(
                enterprise_id=str(enterprise_id), previous_status="operating", status="suspended"
            ),
            str(enterprise_id),
            aggregate_version=2,
        )
        await wait_for(
            lambda: scalar(
                engine,
                "SELECT status FROM enforcement.enterprise_view WHERE enterprise_id = :e AND status = 'suspended'",
                e=enterprise_id,
            )
        )
        # The read model now serves case filing.
        case = await post(
            client,
            officer(stack),
            "/api/v1/cases",
            {
                "party_type": "unit",
                "party_name": "某化工厂",
                "enterprise_id": str(enterprise_id),
                "cause": "x",
                "filed_on": "2026-03-03",
            },
        )
        assert case["industry_code"] == "2614"

        await publish(stack, hazard_overdue(major, enterprise_id, "major"), major)
        await publish(stack, hazard_overdue(major, enterprise_id, "major"), major)  # redelivered
        await publish(stack, hazard_overdue(general, enterprise_id, "general"), general)
        lead_id = await wait_for(
            lambda: scalar(engine, "SELECT id FROM enforcement.case_lead WHERE hazard_id = :h", h=major)
        )
        await read_topic(stack, ENFORCEMENT_EVENTS, lambda v: v.get("aggregate_id") == case["id"])
        opened = await read_topic(
            stack,
            ENFORCEMENT_EVENTS,
            lambda v: v.get("event_type") == "case_lead.opened" and v["data"].get("hazard_id") == major,
        )
        assert len({m[1]["event_id"] for m in opened}) == 1
    assert await scalar(engine, "SELECT count(*) FROM enforcement.case_lead WHERE hazard_id = :h", h=major) == 1
    assert await scalar(engine, "SELECT count(*) FROM enforcement.case_lead WHERE hazard_id = :h", h=general) == 0
    # A lead is never a case by itself.
    assert await scalar(engine, "SELECT count(*) FROM enforcement.penalty_case WHERE lead_id = :l", l=lead_id) == 0

    assert (
        await client.get(f"/api/v1/case-leads/{lead_id}", headers=township_officer(stack, OTHER_TOWNSHIP))
    ).status_code == 404
    listed = (
        await client.get(f"/api/v1/case-leads?status=open&township_code={TOWNSHIP}", headers=officer(stack))
    ).json()
    assert str(lead_id) in {item["id"] for item in listed["items"]}
    empty_reason = await client.post(
        f"/api/v1/case-leads/{lead_id}/dismissal",
        json={"dismissed_on": "2026-03-04", "reason": ""},
        headers=officer(stack),
    )
    assert empty_reason.status_code == 422
    filing = {
        "party_type": "unit",
        "party_name": "某化工厂",
        "enterprise_id": str(enterprise_id),
        "cause": "重大隐患逾期未整改",
        "source": "lead",
        "lead_id": str(lead_id),
        "filed_on": "2026-03-05",
    }
    assert (await client.post("/api/v1/cases", json=filing, headers=officer(stack))).status_code == 409
    accepted = await post(
        client, township_officer(stack), f"/api/v1/case-leads/{lead_id}/acceptance", {"accepted_on": "2026-03-04"}
    )
    assert accepted["status"] == "accepted"
    from_lead = await post(client, officer(stack), "/api/v1/cases", filing)
    linked = (await client.get(f"/api/v1/case-leads/{lead_id}", headers=officer(stack))).json()
    assert linked["case_id"] == from_lead["id"]
    assert (await client.post("/api/v1/cases", json=filing, headers=officer(stack))).status_code == 409
    again = await client.post(
        f"/api/v1/case-leads/{lead_id}/dismissal",
        json={"dismissed_on": "2026-03-05", "reason": "已整改"},
        headers=officer(stack),
    )
    assert again.status_code == 409


async def test_a_lead_can_be_dismissed_with_a_reason(
    client: httpx.AsyncClient, stack: Stack, engine: AsyncEngine, settings: EnforcementSettings
) -> None:
    enterprise_id = await seed_enterprise(engine, settings)
    hazard = f"hz-{uuid.uuid4().hex[:8]}"
    async with running_worker(build_worker(settings)):
        await publish(stack, hazard_overdue(hazard, enterprise_id, "major", deadline="2026-04-01"), hazard)
        lead_id = await wait_for(
            lambda: scalar(engine, "SELECT id FROM enforcement.case_lead WHERE hazard_id = :h", h=hazard)
        )
    dismissed = await post(
        client,
        officer(stack),
        f"/api/v1/case-leads/{lead_id}/dismissal",
        {"dismissed_on": "2026-04-03", "reason": "逾期系系统录入错误, 已核实整改"},
    )
    assert (dismissed["status"], dismissed["note"]) == ("dismissed", "逾期系系统录入错误, 已核实整改")
