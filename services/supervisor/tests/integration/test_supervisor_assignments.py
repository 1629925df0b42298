"""Supervisors and assignments: one-to-many, capacity, single active supervisor under concurrency, history."""

from __future__ import annotations

import asyncio
from typing import Any

from shared.contracts.topics import SUPERVISOR_EVENTS
from shared.testing.helpers import read_topic

from .aliases import Client, Factory, Headers
from .conftest import MAX_PER_SUPERVISOR, QIANCHENG


async def test_register_and_update_a_supervisor(
    client: Client, admin: Headers, new_supervisor: Factory, stack: Any, worker: None
) -> None:
    township_supervisor = await new_supervisor(org_kind="township", org_code=QIANCHENG, position="安监站站长")
    assert township_supervisor["org_name"] == "黔城镇"
    assert township_supervisor["township_code"] == QIANCHENG
    assert township_supervisor["mode"] == "none"
    url = f"/api/v1/supervisors/{township_supervisor['id']}"
    changed = await client.patch(url, json={"phone": "0745-1111111"}, headers={**admin, "If-Match": 'W/"1"'})
    assert changed.status_code == 200
    assert changed.json()["version"] == 2
    stale = await client.patch(url, json={"phone": "0745-2222222"}, headers={**admin, "If-Match": 'W/"1"'})
    assert stale.status_code == 409
    unknown_org = await client.post(
        "/api/v1/supervisors", json={"name": "无名氏", "org_kind": "department", "org_code": "nope"}, headers=admin
    )
    assert unknown_org.status_code == 422
    found = await read_topic(
        stack,
        SUPERVISOR_EVENTS,
        lambda v: v.get("aggregate_id") == township_supervisor["id"] and v["event_type"] == "supervisor.updated",
    )
    assert found[0][1]["data"]["phone"] == "0745-1111111"


async def test_one_to_many_capacity_and_deactivation(
    client: Client, admin: Headers, register: Factory, new_supervisor: Factory, assign: Factory
) -> None:
    supervisor = await new_supervisor()
    enterprises = [await register() for _ in range(MAX_PER_SUPERVISOR + 1)]
    first = await assign(supervisor["id"], enterprises[0]["id"])
    assert first[0]["active"] is True
    assert (await client.get(f"/api/v1/supervisors/{supervisor['id']}", headers=admin)).json()["mode"] == "one_to_one"
    many = await assign(supervisor["id"], *[e["id"] for e in enterprises[1:MAX_PER_SUPERVISOR]])
    assert len(many) == MAX_PER_SUPERVISOR - 1
    read = (await client.get(f"/api/v1/supervisors/{supervisor['id']}", headers=admin)).json()
    assert (read["mode"], read["active_assignments"]) == ("one_to_many", MAX_PER_SUPERVISOR)
    over = await client.post(
        "/api/v1/assignments",
        json={"supervisor_id": supervisor["id"], "enterprise_ids": [enterprises[-1]["id"]]},
        headers=admin,
    )
    assert over.status_code == 409
    assert over.json()["type"].endswith("supervisor-at-capacity")
    assert over.json()["maximum"] == MAX_PER_SUPERVISOR
    deactivate = await client.patch(f"/api/v1/supervisors/{supervisor['id']}", json={"active": False}, headers=admin)
    assert deactivate.status_code == 409


async def test_only_one_of_two_concurrent_assignments_wins(
    client: Client, admin: Headers, register: Factory, new_supervisor: Factory
) -> None:
    for _ in range(5):
        enterprise = await register()
        first, second = await new_supervisor(), await new_supervisor()
        responses = await asyncio.gather(
            *(
                client.post(
                    "/api/v1/assignments",
                    json={"supervisor_id": s["id"], "enterprise_ids": [enterprise["id"]]},
                    headers=admin,
                )
                for s in (first, second)
            )
        )
        assert sorted(r.status_code for r in responses) == [201, 409]
        loser = next(r for r in responses if r.status_code == 409)
        assert loser.json()["type"].endswith("enterprise-already-covered")
        active = await client.get(
            "/api/v1/assignments", params={"enterprise_id": enterprise["id"], "active": "true"}, headers=admin
        )
        assert len(active.json()["items"]) == 1


async def test_reassignment_keeps_the_history_and_publishes_both_events(
    client: Client,
    admin: Headers,
    register: Factory,
    new_supervisor: Factory,
    assign: Factory,
    stack: Any,
    worker: None,
) -> None:
    enterprise = await register()
    old, new = await new_supervisor(), await new_supervisor()
    [original] = await assign(old["id"], enterprise["id"], start_date="2023-03-01")
    refused = await client.post(
        "/api/v1/assignments", json={"supervisor_id": new["id"], "enterprise_ids": [enterprise["id"]]}, headers=admin
    )
    assert refused.status_code == 409
    [replacement] = await assign(new["id"], enterprise["id"], start_date="2023-06-01", replace_current=True)
    history = (
        await client.get("/api/v1/assignments", params={"enterprise_id": enterprise["id"]}, headers=admin)
    ).json()["items"]
    assert [(h["supervisor_id"], h["active"], h["end_date"]) for h in history] == [
        (old["id"], False, "2023-06-01"),
        (new["id"], True, None),
    ]
    assert history[0]["end_reason"] == "reassigned"
    ended = await read_topic(
        stack,
        SUPERVISOR_EVENTS,
        lambda v: v.get("aggregate_id") == original["id"] and v["event_type"] == "assignment.ended",
    )
    assert ended[0][1]["data"]["end_date"] == "2023-06-01"
    assert ended[0][1]["aggregate_version"] == 2
    started = await read_topic(
        stack,
        SUPERVISOR_EVENTS,
        lambda v: v.get("aggregate_id") == replacement["id"] and v["event_type"] == "assignment.started",
    )
    assert started[0][1]["data"]["enterprise_name"] == enterprise["name"]
    assert started[0][1]["data"]["employee_count"] == enterprise["employee_count"]

    end = await client.post(
        f"/api/v1/assignments/{replacement['id']}/end",
        json={"end_date": "2023-09-30", "reason": "人员调整"},
        headers=admin,
    )
    assert end.status_code == 200
    assert end.json()["active"] is False
    twice = await client.post(f"/api/v1/assignments/{replacement['id']}/end", headers=admin)
    assert twice.status_code == 409
    before_start = await assign(old["id"], enterprise["id"], start_date="2023-10-01")
    bad_end = await client.post(
        f"/api/v1/assignments/{before_start[0]['id']}/end", json={"end_date": "2023-01-01"}, headers=admin
    )
    assert bad_end.status_code == 422


async def test_a_retried_assignment_with_the_same_idempotency_key_changes_nothing(
    client: Client, admin: Headers, register: Factory, new_supervisor: Factory
) -> None:
    enterprise, supervisor = await register(), await new_supervisor()
    body = {"supervisor_id": supervisor["id"], "enterprise_ids": [enterprise["id"]]}
    headers = {**admin, "Idempotency-Key": f"assign-{enterprise['id']}"}
    first = await client.post("/api/v1/assignments", json=body, headers=headers)
    retried = await client.post("/api/v1/assignments", json=body, headers=headers)
    assert (first.status_code, retried.status_code) == (201, 201)
    assert retried.headers.get("idempotent-replayed") == "true"
    assert retried.json() == first.json()
    history = await client.get("/api/v1/assignments", params={"enterprise_id": enterprise["id"]}, headers=admin)
    assert len(history.json()["items"]) == 1
