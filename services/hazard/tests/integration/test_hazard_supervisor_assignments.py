"""A resident supervisor reports hazards only at the enterprises assigned to them, as the supervisor service's
assignment events tell the hazard worker (the jurisdiction alone is not enough)."""

from __future__ import annotations

import dataclasses
import uuid
from typing import Any

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from hazard_service.config import HazardSettings
from hazard_service.enterprises.models import AssignmentView
from hazard_service.worker import ASSIGNMENT_PROJECTION, build_worker
from shared.contracts.supervisor import AssignmentEndedV1, AssignmentStartedV1
from shared.testing.broker import wait_until_worker_consumed
from shared.testing.helpers import running_worker, token
from shared.testing.plugin import Stack

from .conftest import TOWNSHIP, hazard_body, publish, seed_enterprise


def _assignment(supervisor_id: str, enterprise_id: uuid.UUID, **dates: str | None) -> dict[str, Any]:
    return {
        "assignment_id": str(uuid.uuid4()),
        "supervisor_id": supervisor_id,
        "supervisor_name": "监督员乙",
        "supervisor_org_kind": "department",
        "supervisor_org_code": "yjj",
        "enterprise_id": str(enterprise_id),
        "enterprise_name": "测试企业",
        "township_code": TOWNSHIP,
        "industry_code": "3311",
        "employee_count": 30,
        "start_date": "2023-01-01",
        **dates,
    }


async def test_a_supervisor_reports_only_at_the_enterprises_assigned_to_them(
    client: httpx.AsyncClient, stack: Stack, engine: AsyncEngine, settings: HazardSettings, enterprise_id: uuid.UUID
) -> None:
    supervisor_id = str(uuid.uuid4())
    elsewhere = await seed_enterprise(engine, settings)  # same township, not assigned
    ended = await seed_enterprise(engine, settings)
    started = AssignmentStartedV1(**_assignment(supervisor_id, enterprise_id))
    finished = AssignmentEndedV1(**_assignment(supervisor_id, ended, end_date="2023-03-31", end_reason="reassigned"))
    await publish(stack, started, started.assignment_id)
    await publish(stack, finished, finished.assignment_id, aggregate_version=2)
    worker = dataclasses.replace(build_worker(settings), consumers=[ASSIGNMENT_PROJECTION], jobs=[])
    async with running_worker(worker):
        await wait_until_worker_consumed(stack, worker)
    async with engine.connect() as conn:
        kept = (await conn.execute(select(AssignmentView.enterprise_id, AssignmentView.end_date))).all()
    assert {(e, d.isoformat() if d else None) for e, d in kept} >= {(enterprise_id, None), (ended, "2023-03-31")}

    supervisor = token(stack, ["supervisor"], jurisdictions=[TOWNSHIP], supervisor_id=supervisor_id)
    body = {"source": "resident_supervisor", "reported_on": "2023-03-01"}

    async def report(where: uuid.UUID, **overrides: str) -> httpx.Response:
        return await client.post(
            "/api/v1/hazards", json=hazard_body(where, **{**body, **overrides}), headers=supervisor
        )

    assert (await report(enterprise_id)).status_code == 201
    assert (await report(ended)).status_code == 201  # within the assignment, ended since
    for where, overrides in (
        (elsewhere, {}),
        (ended, {"reported_on": "2023-04-01"}),
        (enterprise_id, {"reported_on": "2022-12-31"}),
    ):
        refused = await report(where, **overrides)
        assert refused.status_code == 403, (where, overrides, refused.text)
        assert "not assigned to this supervisor" in refused.json()["detail"]
    other = token(stack, ["supervisor"], jurisdictions=[TOWNSHIP], supervisor_id=str(uuid.uuid4()))
    stranger = await client.post("/api/v1/hazards", json=hazard_body(enterprise_id, **body), headers=other)
    assert stranger.status_code == 403
