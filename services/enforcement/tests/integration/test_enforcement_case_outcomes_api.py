"""A stop order's end (reinstatement) recorded after the case was closed, never after its archive."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncEngine

from shared.testing.plugin import Stack

from .conftest import officer, outbox_count, outbox_events, post


async def test_a_reinstatement_is_recorded_after_closure_but_not_after_archive(
    client: httpx.AsyncClient, stack: Stack, engine: AsyncEngine, enterprise_id: uuid.UUID
) -> None:
    h = officer(stack)

    async def act(path: str, body: dict[str, Any]) -> dict[str, Any]:
        return await post(client, h, f"/api/v1/cases/{cid}/{path}", body)

    cid = (
        await post(
            client,
            h,
            "/api/v1/cases",
            {
                "party_type": "unit",
                "party_name": "某机械厂",
                "enterprise_id": str(enterprise_id),
                "cause": "重大事故隐患未消除",
                "source": "inspection",
                "filed_on": "2026-04-01",
            },
        )
    )["id"]
    items = [{"kind": "stop_production"}]
    await act("investigation", {"officers": ["李四", "王五"]})
    await act("legal-review", {"items": items, "reviewed_on": "2026-04-03"})
    await act("collective-discussion", {"discussed_on": "2026-04-04"})
    await act("notice", {"items": items, "notified_on": "2026-04-05"})
    await act("hearing-waiver", {})
    decided = await act("decision", {"outcome": "penalty", "items": items, "decided_on": "2026-04-06"})
    await act("service", {"served_on": "2026-04-07"})
    await act("execution", {"how": "not_applicable", "executed_on": "2026-04-08"})
    closed = await act("closure", {"closed_on": "2026-04-09"})
    assert closed["stage"] == "closed"

    item_id = decided["items"][0]["item_id"]
    reinstated = await act(
        f"items/{item_id}/outcome",
        {"outcome": "reinstated", "decided_by": "洪江市应急管理局", "decided_on": "2026-06-10"},
    )
    assert reinstated["stage"] == "closed"
    assert (reinstated["items"][0]["outcome"], reinstated["items"][0]["outcome_on"]) == ("reinstated", "2026-06-10")
    last = (await outbox_events(engine, cid))[-1]
    assert (last["event_type"], last["aggregate_version"]) == ("case.item_outcome_recorded", reinstated["version"])
    assert reinstated["version"] == closed["version"] + 1

    archived = await act("archive", {"archived_on": "2026-06-15"})
    events_before = await outbox_count(engine, cid)
    refused = await client.post(
        f"/api/v1/cases/{cid}/items/{item_id}/outcome",
        json={"outcome": "closed_down", "decided_by": "洪江市人民政府", "decided_on": "2026-06-20"},
        headers=h,
    )
    assert refused.status_code == 409
    assert refused.json()["type"].endswith("case-archived")
    assert await outbox_count(engine, cid) == events_before
    after = (await client.get(f"/api/v1/cases/{cid}", headers=h)).json()
    assert (after["version"], after["items"][0]["outcome"]) == (archived["version"], "reinstated")
