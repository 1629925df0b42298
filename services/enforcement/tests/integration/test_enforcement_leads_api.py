"""Case leads over the real database: every change of a lead publishes an event."""

from __future__ import annotations

import uuid

import httpx
from sqlalchemy.ext.asyncio import AsyncEngine

from enforcement_service.config import EnforcementSettings
from enforcement_service.leads.service import open_from_overdue_hazard
from shared.testing.plugin import Stack

from .conftest import TOWNSHIP, hazard_overdue, officer, outbox_events, post, seed_enterprise, system_uow


async def test_filing_a_case_from_a_lead_publishes_the_leads_next_event(
    client: httpx.AsyncClient, stack: Stack, engine: AsyncEngine, settings: EnforcementSettings
) -> None:
    enterprise_id = await seed_enterprise(engine, settings)
    hazard_id = f"hz-{uuid.uuid4().hex[:8]}"
    uow = system_uow(engine, settings)
    async with uow:
        lead = await open_from_overdue_hazard(uow, hazard_overdue(hazard_id, enterprise_id, "major"))
        assert lead is not None
        lead_id = str(lead.id)
        await uow.commit()
    h = officer(stack)
    await post(client, h, f"/api/v1/case-leads/{lead_id}/acceptance", {"accepted_on": "2026-03-04"})
    case = await post(
        client,
        h,
        "/api/v1/cases",
        {
            "party_type": "unit",
            "party_name": "某化工厂",
            "enterprise_id": str(enterprise_id),
            "cause": "重大隐患逾期未整改",
            "source": "lead",
            "lead_id": lead_id,
            "filed_on": "2026-03-05",
        },
    )

    events = await outbox_events(engine, lead_id)
    assert [(e["event_type"], e["aggregate_version"]) for e in events] == [
        ("case_lead.opened", 1),
        ("case_lead.accepted", 2),
        ("case_lead.case_filed", 3),
    ]
    filed = events[-1]
    assert (filed["data"]["case_id"], filed["data"]["hazard_id"], filed["jurisdiction"]) == (
        case["id"],
        hazard_id,
        TOWNSHIP,
    )
    lead_now = (await client.get(f"/api/v1/case-leads/{lead_id}", headers=h)).json()
    assert (lead_now["case_id"], lead_now["version"]) == (case["id"], 3)
