"""The worker over the real broker: overdue marking with two replicas, finding intake exactly once,
the enterprise read model, and the upward report surviving an upstream outage."""

from __future__ import annotations

import dataclasses
import math
import uuid
from collections import Counter
from typing import Any

import httpx
from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from hazard_service.config import HazardSettings
from hazard_service.enterprises.models import EnterpriseView
from hazard_service.hazards.models import Hazard, HazardOverdueMark
from hazard_service.standards.models import JudgmentClause, JudgmentStandard
from hazard_service.upstream.models import UpstreamMessage
from hazard_service.worker import build_worker
from shared.contracts.enforcement import InspectionFindingRecordedV1
from shared.contracts.supervisor import VisitFindingRecordedV1
from shared.contracts.topics import HAZARD_EVENTS
from shared.testing.broker import publish_enterprise_registered, wait_until_worker_consumed
from shared.testing.helpers import read_topic, running_worker, wait_for
from shared.testing.plugin import Stack
from shared.worker import PeriodicJob, Worker

from .conftest import (
    TOWNSHIP,
    act,
    admin,
    enterprise_user,
    major_to_ledger,
    officer,
    publish,
    report,
    seed_enterprise,
    township_officer,
)


def scheduler_replica(settings: HazardSettings, rounds: Counter[str] | None = None) -> Worker:
    """A worker replica running the relay and the scheduled jobs (consumers are tested separately); with
    `rounds`, each job's completed runs are counted there by job name."""
    worker = build_worker(settings)
    jobs = worker.jobs if rounds is None else [_counted(job, rounds) for job in worker.jobs]
    return dataclasses.replace(worker, consumers=[], jobs=jobs)


def _counted(job: PeriodicJob, rounds: Counter[str]) -> PeriodicJob:
    async def run(uow: Any) -> None:
        await job.run(uow)
        rounds[job.name] += 1

    return dataclasses.replace(job, run=run)


async def _all_published(engine: AsyncEngine, aggregate_ids: list[str]) -> bool:
    from hazard_service.db import DATABASE

    outbox = DATABASE.outbox
    async with engine.connect() as conn:
        stmt = select(func.count()).where(outbox.c.aggregate_id.in_(aggregate_ids), outbox.c.published_at.is_(None))
        return not await conn.scalar(stmt)


PLAN = {
    "measures": "更换防爆电机",
    "funds_fen": 1_000_000,
    "deadline": "2024-03-05",
    "responsible_person": "王五",
    "emergency_plan": "停产撤人",
}

LISTING = {
    "level": "safety_committee_office",
    "document_number": "洪安办〔2024〕1号",
    "listed_on": "2024-03-03",
    "responsible_unit": "企业",
    "handing_unit": "市安委办",
    "supervising_unit": "应急局",
    "deadline": "2099-01-01",
}


async def _outbox_count(engine: AsyncEngine, hazard_id: str, event_type: str) -> int:
    from hazard_service.db import DATABASE

    outbox = DATABASE.outbox
    async with engine.connect() as conn:
        stmt = select(func.count()).where(outbox.c.aggregate_id == hazard_id, outbox.c.event_type == event_type)
        return int(await conn.scalar(stmt) or 0)


async def _marks(engine: AsyncEngine, hazard_id: str) -> list[tuple[str, str]]:
    async with engine.connect() as conn:
        rows = await conn.execute(
            select(HazardOverdueMark.deadline_kind, HazardOverdueMark.deadline).where(
                HazardOverdueMark.hazard_id == uuid.UUID(hazard_id)
            )
        )
        return sorted((kind, deadline.isoformat()) for kind, deadline in rows.all())


async def test_two_replicas_emit_each_overdue_event_once(
    client: httpx.AsyncClient, stack: Stack, engine: AsyncEngine, settings: HazardSettings, enterprise_id: uuid.UUID
) -> None:
    """Missed rectification and review deadlines give one event per hazard and deadline, across replicas,
    restarts and a deferral to a new (also missed) deadline."""
    rectifying = await major_to_ledger(client, stack, enterprise_id)
    await act(client, officer(stack), rectifying, "plan", PLAN)
    await act(client, officer(stack), rectifying, "rectification", {})
    reviewing = await major_to_ledger(client, stack, enterprise_id)
    await act(client, officer(stack), reviewing, "plan", {**PLAN, "deadline": "2099-01-01"})
    await act(client, officer(stack), reviewing, "rectification", {})
    assessment = {"assessment_kind": "self", "assessor": "企业", "conclusion": "完成", "assessed_on": "2024-03-01"}
    await act(client, enterprise_user(stack, enterprise_id), reviewing, "assessment", assessment)
    await act(
        client, enterprise_user(stack, enterprise_id), reviewing, "acceptance-application", {"applied_on": "2024-03-01"}
    )

    rounds: Counter[str] = Counter()
    async with running_worker(scheduler_replica(settings, rounds)), running_worker(scheduler_replica(settings, rounds)):
        await wait_for(lambda: _marks(engine, rectifying), timeout_s=30)
        await wait_for(lambda: _marks(engine, reviewing), timeout_s=30)
        # Several more overdue rounds after both marks, any of which would have repeated an event.
        seen = rounds["hazard-overdue"]
        await wait_for(lambda: rounds["hazard-overdue"] >= seen + 4, timeout_s=30)
    assert await _marks(engine, rectifying) == [("rectification", "2024-03-05")]
    assert await _marks(engine, reviewing) == [("review", "2024-03-11")]
    assert await _outbox_count(engine, rectifying, "hazard.overdue") == 1
    assert await _outbox_count(engine, reviewing, "hazard.overdue") == 1
    hazard = (await client.get(f"/api/v1/hazards/{rectifying}", headers=admin(stack))).json()
    assert hazard["overdue"] is True
    listed = (
        await client.get(f"/api/v1/hazards?overdue=true&enterprise_id={enterprise_id}", headers=admin(stack))
    ).json()
    assert {h["id"] for h in listed["items"]} == {rectifying, reviewing}

    deferral = await act(
        client,
        enterprise_user(stack, enterprise_id),
        rectifying,
        "deferrals",
        {"requested_deadline": "2024-03-20", "reason": "设备未到"},
    )
    await act(client, officer(stack), rectifying, f"deferrals/{deferral.json()['id']}/approval", {})
    escalation = await act(
        client, officer(stack), reviewing, "escalation", {"step": "interview", "note": "约谈企业负责人"}
    )
    assert escalation.json()["escalation_step"] == "interview"

    async with running_worker(scheduler_replica(settings)):
        await wait_for(lambda: _marks(engine, rectifying), timeout_s=30)

        async def two_marks() -> bool:
            return len(await _marks(engine, rectifying)) == 2

        await wait_for(two_marks, timeout_s=30)
        await wait_for(lambda: _all_published(engine, [rectifying, reviewing]), timeout_s=30)
        events = await read_topic(
            stack,
            HAZARD_EVENTS,
            lambda v: v["event_type"] == "hazard.overdue" and v["aggregate_id"] in (rectifying, reviewing),
        )
    assert await _marks(engine, rectifying) == [("rectification", "2024-03-05"), ("rectification", "2024-03-20")]
    assert await _outbox_count(engine, rectifying, "hazard.overdue") == 2
    assert await _outbox_count(engine, reviewing, "hazard.overdue") == 1
    by_deadline = sorted((v["aggregate_id"], v["data"]["deadline_kind"], v["data"]["deadline"]) for _, v, _ in events)
    assert by_deadline == sorted(
        [
            (rectifying, "rectification", "2024-03-05"),
            (rectifying, "rectification", "2024-03-20"),
            (reviewing, "review", "2024-03-11"),
        ]
    )


async def test_closed_history_rectified_on_time_is_not_overdue(
    client: httpx.AsyncClient, stack: Stack, engine: AsyncEngine, settings: HazardSettings, enterprise_id: uuid.UUID
) -> None:
    """History entered step by step: the scheduler marks the hazard overdue while its past deadline is open, but
    a rectification dated on or before the deadline drops the mark, and the hazard closes as never overdue."""
    hid = (await report(client, officer(stack), enterprise_id, reported_on="2023-03-01"))["id"]
    started = await act(client, officer(stack), hid, "rectification", {"deadline": "2023-03-20"})
    assert started.status_code == 200, started.text
    async with running_worker(scheduler_replica(settings)):
        await wait_for(lambda: _marks(engine, hid), timeout_s=30)
    steps = [
        (enterprise_user(stack, enterprise_id), "rectified", {"rectified_on": "2023-03-20"}),
        (township_officer(stack), "verification", {"verified_on": "2023-03-22"}),
        (officer(stack), "closure", {"closed_on": "2023-03-23"}),
    ]
    for headers, path, body in steps:
        response = await act(client, headers, hid, path, body)
        assert response.status_code == 200, response.text
    closed = response.json()
    assert (closed["status"], closed["overdue"], closed["was_overdue"]) == ("closed", False, False)
    assert await _marks(engine, hid) == []
    from hazard_service.db import DATABASE

    async with engine.connect() as conn:
        payload = await conn.scalar(
            select(DATABASE.outbox.c.payload).where(
                DATABASE.outbox.c.aggregate_id == hid, DATABASE.outbox.c.event_type == "hazard.closed"
            )
        )
    assert payload["data"]["was_overdue"] is False


async def test_a_fresh_worker_loads_the_bundled_standards_so_major_hazards_can_be_judged(
    client: httpx.AsyncClient, stack: Stack, engine: AsyncEngine, settings: HazardSettings, enterprise_id: uuid.UUID
) -> None:
    """On a fresh stack nobody imports the standards: the worker loads them at start, once across replicas."""
    async with engine.begin() as conn:
        await conn.execute(delete(JudgmentClause))
        await conn.execute(delete(JudgmentStandard))
    hazard = await report(client, officer(stack), enterprise_id, grade="major", description="粉尘除尘系统未防爆")
    judgment = {"standard_code": "gm_mem10_2023", "clause_code": "gm10-03-01"}
    assert (await act(client, officer(stack), hazard["id"], "judgment", judgment)).status_code == 422

    async def standards_loaded() -> bool:
        async with engine.connect() as conn:
            return bool(await conn.scalar(select(func.count()).select_from(JudgmentStandard)))

    async with running_worker(scheduler_replica(settings)), running_worker(scheduler_replica(settings)):
        await wait_for(standards_loaded, timeout_s=30)
    judged = await act(client, officer(stack), hazard["id"], "judgment", judgment)
    assert judged.status_code == 200, judged.text
    async with engine.connect() as conn:
        counts = await conn.execute(select(JudgmentStandard.code, func.count()).group_by(JudgmentStandard.code))
    assert all(n == 1 for _, n in counts.all())


async def test_findings_become_hazards_exactly_once(
    client: httpx.AsyncClient, stack: Stack, engine: AsyncEngine, settings: HazardSettings
) -> None:
    """A visit finding and an inspection finding, each published twice, make one hazard each; an
    enterprise.registered event lands in the local enterprise read model."""
    enterprise_id = await seed_enterprise(engine, settings)
    registered_id = str(uuid.uuid4())
    building_materials = {
        "name": "洪江某建材厂",
        "industry_code": "3021",
        "township_code": TOWNSHIP,
        "employee_count": 12,
    }
    await publish_enterprise_registered(stack, registered_id, **building_materials)

    async def registered() -> bool:
        async with engine.connect() as conn:
            stmt = select(EnterpriseView.name).where(EnterpriseView.enterprise_id == uuid.UUID(registered_id))
            return bool(await conn.scalar(stmt))

    visit_finding = VisitFindingRecordedV1(
        finding_id=str(uuid.uuid4()),
        visit_id=str(uuid.uuid4()),
        enterprise_id=str(enterprise_id),
        enterprise_name="测试企业",
        credit_code="91431281MA4L000000",
        township_code=TOWNSHIP,
        industry_code="3311",
        supervisor_id=str(uuid.uuid4()),
        supervisor_name="监督员甲",
        found_on="2024-04-02",
        description="安全出口被堵",
        grade_suggestion="general",
        location="一号车间",
    )
    inspection_finding = InspectionFindingRecordedV1(
        finding_id=str(uuid.uuid4()),
        inspection_id=str(uuid.uuid4()),
        enterprise_id=str(enterprise_id),
        township_code=TOWNSHIP,
        industry_code="3311",
        description="除尘系统未设置泄爆装置",
        grade_suggestion="major",
        source="leader_inspection",
        inspection_kind="leader_led",
        unit_type="department",
        unit_code="yjj",
        found_on="2024-04-03",
        leader_name="副市长",
        campaign_code="major_hazard_campaign_2023",
        rectify_by="2024-05-01",
    )
    for _ in range(2):
        await publish(stack, visit_finding, visit_finding.visit_id)
        await publish(stack, inspection_finding, inspection_finding.finding_id)

    async def hazards_of_enterprise() -> list[Hazard]:
        async with engine.connect() as conn:
            rows = await conn.execute(select(Hazard).where(Hazard.enterprise_id == enterprise_id))
            return list(rows.all())

    async with running_worker(build_worker(settings)) as worker:
        await wait_for(lambda: _count_is(hazards_of_enterprise, 2), timeout_s=40)
        await wait_for(registered, timeout_s=40)
        await wait_until_worker_consumed(stack, worker)  # the second copies too
    rows = await hazards_of_enterprise()
    assert len(rows) == 2
    by_source = {r.source: r for r in rows}
    assert by_source["resident_supervisor"].source_reference == f"supervisor.visit_finding:{visit_finding.finding_id}"
    assert by_source["resident_supervisor"].reporter_name == "监督员甲"
    inspection = by_source["leader_inspection"]
    assert inspection.grade == "major"
    assert inspection.campaign_codes == ["major_hazard_campaign_2023"]
    assert inspection.rectification_deadline.isoformat() == "2024-05-01"


async def _count_is(fetch: Any, expected: int) -> bool:
    return len(await fetch()) >= expected


async def test_upstream_receives_every_major_change_exactly_once_after_an_outage(
    client: httpx.AsyncClient,
    stack: Stack,
    engine: AsyncEngine,
    settings: HazardSettings,
    enterprise_id: uuid.UUID,
    simulator: tuple[str, Any],
) -> None:
    """While the simulator fails, both targets alert; after it recovers each message arrives once, in order,
    the id mapping is kept, and the alert clears."""
    _, sim = simulator
    sim.fail_until = math.inf  # the outage lasts until both targets have alerted, however slow the setup is
    try:
        await _changes_survive_the_outage(client, stack, engine, settings, enterprise_id, sim)
    finally:
        sim.fail_until = 0.0


async def _changes_survive_the_outage(
    client: httpx.AsyncClient,
    stack: Stack,
    engine: AsyncEngine,
    settings: HazardSettings,
    enterprise_id: uuid.UUID,
    sim: Any,
) -> None:
    hazards = [await major_to_ledger(client, stack, enterprise_id) for _ in range(2)]
    for hid in hazards:
        await act(client, admin(stack), hid, "listing", LISTING)
        await act(client, officer(stack), hid, "plan", {**PLAN, "deadline": "2099-01-01"})
        await act(client, officer(stack), hid, "rectification", {})
    general = await client.post(
        "/api/v1/hazards",
        json={
            "enterprise_id": str(enterprise_id),
            "grade": "general",
            "source": "complaint",
            "description": "一般隐患",
            "reported_on": "2024-03-01",
        },
        headers=officer(stack),
    )
    assert general.status_code == 201

    async def alerting() -> bool:
        response = await client.get("/api/v1/hazard-upstream/alerts", headers=admin(stack))
        return {a["target"] for a in response.json()["items"]} == {"national_direct_report", "provincial_one_list"}

    async def all_sent() -> bool:
        async with engine.connect() as conn:
            unsent = await conn.scalar(
                select(func.count()).where(
                    UpstreamMessage.hazard_id.in_([uuid.UUID(h) for h in hazards]), UpstreamMessage.sent_at.is_(None)
                )
            )
            return unsent == 0

    async with running_worker(scheduler_replica(settings)):
        await wait_for(alerting, timeout_s=20)
        sim.fail_until = 0.0
        await wait_for(all_sent, timeout_s=40)
        assert (await client.get("/api/v1/hazard-upstream/alerts", headers=admin(stack))).json()["items"] == []

    async with engine.connect() as conn:
        columns = (
            UpstreamMessage.target,
            UpstreamMessage.message_id,
            UpstreamMessage.hazard_id,
            UpstreamMessage.attempts,
        )
        ours = UpstreamMessage.hazard_id.in_([uuid.UUID(h) for h in hazards])
        rows = (await conn.execute(select(*columns).where(ours).order_by(UpstreamMessage.id))).all()
    expected_types = ["hazard.ledgered", "hazard.listed", "hazard.plan_accepted", "hazard.rectification_started"]
    received = (await client.get("/api/v1/hazard-upstream/targets", headers=admin(stack))).json()["items"]
    assert all(
        t["backlog"] == 0 or t["target"] not in {"national_direct_report", "provincial_one_list"} for t in received
    )
    assert any(r.attempts > 1 for r in rows)
    national = {m["msgId"]: m for m in sim.received["national"].values()}
    provincial = {m["requestId"]: m for m in sim.received["provincial"].values()}
    assert sim.duplicates == {"national": 0, "provincial": 0}
    for hid in hazards:
        for target, seen, id_key in (
            ("national_direct_report", national, "localId"),
            ("provincial_one_list", provincial, "sourceId"),
        ):
            ours = [str(r.message_id) for r in rows if r.target == target and str(r.hazard_id) == hid]
            assert len(ours) == len(expected_types)
            assert all(m in seen for m in ours)
            delivered = [seen[m] for m in ours]
            assert all(d[id_key] == hid for d in delivered)
            kinds = [d["changeType"] if "changeType" in d else d["action"] for d in delivered]
            assert kinds == expected_types
    assert str(general.json()["id"]) not in {m["localId"] for m in national.values()}
    mappings = (await client.get(f"/api/v1/hazards/{hazards[0]}/upstream", headers=admin(stack))).json()["items"]
    assert {m["target"]: m["sync_status"] for m in mappings} == {
        "national_direct_report": "synced",
        "provincial_one_list": "synced",
    }
    assert {m["external_id"][:3] for m in mappings} == {"NAT", "PRV"}
    assert await _outbox_count(engine, f"{hazards[0]}:national_direct_report", "hazard.upstream_sync_changed") >= 2


async def test_upstream_outbox_is_listed(client: httpx.AsyncClient, stack: Stack) -> None:
    """Operators can list the outbox; others may not."""
    response = await client.get("/api/v1/hazard-upstream/messages?limit=5", headers=admin(stack))
    assert response.status_code == 200
    assert (await client.get("/api/v1/hazard-upstream/messages", headers=officer(stack))).status_code == 403
