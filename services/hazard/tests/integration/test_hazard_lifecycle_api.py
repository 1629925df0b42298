"""Both lifecycles over HTTP with the real database: actions, 409/403/404, timeline, events, concurrency."""

from __future__ import annotations

import dataclasses
import uuid

import httpx
from sqlalchemy import ColumnElement, func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from hazard_service.hazards.models import Hazard
from shared.contracts.topics import HAZARD_EVENTS
from shared.testing.helpers import read_topic, running_worker, token
from shared.testing.plugin import Stack

from .conftest import (
    OTHER_TOWNSHIP,
    act,
    admin,
    enterprise_user,
    hazard_body,
    major_to_ledger,
    officer,
    report,
    township_officer,
)


async def hazards_where(engine: AsyncEngine, condition: ColumnElement[bool]) -> int:
    """How many hazard rows meet `condition`."""
    async with engine.connect() as conn:
        return int(await conn.scalar(select(func.count()).select_from(Hazard).where(condition)) or 0)


async def test_general_hazard_closes_through_its_short_loop(
    client: httpx.AsyncClient, stack: Stack, enterprise_id: uuid.UUID
) -> None:
    """reported -> rectifying -> rectified -> verified -> closed, each action returning the new state."""
    hazard = await report(client, officer(stack), enterprise_id, campaign_codes=["major_hazard_campaign_2023"])
    assert hazard["status"] == "reported"
    assert "start_rectification" in hazard["allowed_actions"]
    hid = hazard["id"]
    steps = [
        (officer(stack), "rectification", {"deadline": "2099-03-15", "responsible_person": "张三"}, "rectifying"),
        (
            enterprise_user(stack, enterprise_id),
            "rectified",
            {"rectified_on": "2024-03-10", "funds_spent_fen": 150000},
            "rectified",
        ),
        (township_officer(stack), "verification", {"verified_on": "2024-03-11"}, "verified"),
        (officer(stack), "closure", {"closed_on": "2024-03-12"}, "closed"),
    ]
    for headers, path, body, expected in steps:
        response = await act(client, headers, hid, path, body)
        assert response.status_code == 200, response.text
        assert response.json()["status"] == expected
        assert response.headers["ETag"] == f'W/"{response.json()["version"]}"'
    timeline = (await client.get(f"/api/v1/hazards/{hid}/timeline", headers=admin(stack))).json()["items"]
    assert [e["action"] for e in timeline] == ["report", "start_rectification", "mark_rectified", "verify", "close"]
    assert [e["to_status"] for e in timeline][-1] == "closed"
    assert all(e["actor"] and e["occurred_at"] for e in timeline)


async def test_rejected_verification_goes_back_to_rectifying(
    client: httpx.AsyncClient, stack: Stack, enterprise_id: uuid.UUID
) -> None:
    """A failed verification needs a reason and a new deadline."""
    hid = (await report(client, officer(stack), enterprise_id))["id"]
    await act(client, officer(stack), hid, "rectification", {"deadline": "2099-01-01"})
    await act(client, officer(stack), hid, "rectified", {"rectified_on": "2024-03-10"})
    missing = await act(client, officer(stack), hid, "verification-rejection", {"deadline": "2099-02-01"})
    assert missing.status_code == 422
    back = await act(
        client, officer(stack), hid, "verification-rejection", {"reason": "整改不彻底", "deadline": "2099-02-01"}
    )
    assert back.status_code == 200
    assert back.json()["status"] == "rectifying"
    assert back.json()["rectification_deadline"] == "2099-02-01"


async def test_major_hazard_full_loop_with_listing_deferral_and_rejected_review(
    client: httpx.AsyncClient, stack: Stack, engine: AsyncEngine, enterprise_id: uuid.UUID, settings: object
) -> None:
    """judged -> ledgered -> listed (receipt, notice) -> plan -> rectifying (deferral) -> assessed -> applied ->
    review rejected -> ... -> reviewed -> closed; every change is an event on hazard.events."""
    hid = await major_to_ledger(client, stack, enterprise_id)
    company = enterprise_user(stack, enterprise_id)
    hazard = (await client.get(f"/api/v1/hazards/{hid}", headers=admin(stack))).json()
    assert hazard["clause_code"] == "gm10-03-01"
    assert hazard["ledger_number"].startswith("ZDYH-2024-")

    forbidden = await act(client, officer(stack), hid, "listing", {})
    assert forbidden.status_code == 422  # body validated before the role check of the action
    listing_body = {
        "level": "city_government",
        "document_number": "洪政督〔2024〕3号",
        "listed_on": "2024-03-03",
        "responsible_unit": "某某公司",
        "handing_unit": "市安委办",
        "supervising_unit": "市应急管理局",
        "deadline": "2099-06-30",
    }
    assert (await act(client, officer(stack), hid, "listing", listing_body)).status_code == 403
    bad_level = await act(client, admin(stack), hid, "listing", {**listing_body, "level": "village"})
    assert bad_level.status_code == 422
    listed = await act(client, admin(stack), hid, "listing", listing_body)
    assert listed.status_code == 200, listed.text
    assert listed.json()["status"] == "listed"
    assert listed.json()["listed"] is True

    receipt = await act(client, company, hid, "listing/receipt", {"signed_by": "李四", "signed_on": "2024-03-04"})
    assert receipt.status_code == 200, receipt.text
    assert receipt.json()["receipt_signed_by"] == "李四"
    again = await act(client, company, hid, "listing/receipt", {"signed_by": "李四", "signed_on": "2024-03-04"})
    assert again.status_code == 409

    notice = await act(
        client,
        admin(stack),
        hid,
        "notices",
        {"kind": "listing", "title": "关于挂牌督办重大事故隐患的通报", "published_on": "2024-03-05"},
    )
    assert notice.status_code == 201, notice.text

    incomplete_plan = {
        "measures": "更换防爆电机",
        "funds_fen": 5_000_000,
        "deadline": "2099-05-31",
        "responsible_person": "王五",
    }
    assert (await act(client, officer(stack), hid, "plan", incomplete_plan)).status_code == 422
    plan = await act(
        client, officer(stack), hid, "plan", {**incomplete_plan, "emergency_plan": "停产撤人, 启动专项预案"}
    )
    assert plan.json()["status"] == "plan_accepted"
    started = await act(client, officer(stack), hid, "rectification", {})
    assert started.json()["status"] == "rectifying"
    assert started.json()["rectification_deadline"] == "2099-05-31"

    deferral = await act(
        client, company, hid, "deferrals", {"requested_deadline": "2099-06-30", "reason": "设备到货延迟"}
    )
    assert deferral.status_code == 201, deferral.text
    twice = await act(client, company, hid, "deferrals", {"requested_deadline": "2099-06-29", "reason": "again"})
    assert twice.status_code == 409
    assert "already waiting" in twice.json()["detail"]
    early_assessment = await act(
        client,
        company,
        hid,
        "assessment",
        {"assessment_kind": "self", "assessor": "企业", "conclusion": "已完成", "assessed_on": "2024-04-01"},
    )
    assert early_assessment.status_code == 409
    approved = await act(client, officer(stack), hid, f"deferrals/{deferral.json()['id']}/approval", {})
    assert approved.status_code == 200, approved.text
    hazard = (await client.get(f"/api/v1/hazards/{hid}", headers=admin(stack))).json()
    assert hazard["rectification_deadline"] == "2099-06-30"
    assert hazard["deferral_pending"] is False

    assessment = {
        "assessment_kind": "third_party",
        "assessor": "湖南某安全评价公司",
        "conclusion": "整改到位",
        "assessed_on": "2024-05-20",
        "funds_spent_fen": 4_800_000,
    }
    assert (await act(client, company, hid, "assessment", assessment)).json()["status"] == "assessed"
    applied = await act(client, company, hid, "acceptance-application", {"applied_on": "2024-05-21"})
    assert applied.json()["review_due_on"] == "2024-05-31"
    rejected = await act(
        client, officer(stack), hid, "review-rejection", {"reason": "防爆电机未接地", "deadline": "2099-07-15"}
    )
    assert rejected.json()["status"] == "rectifying"
    await act(client, company, hid, "assessment", {**assessment, "assessed_on": "2024-06-20"})
    await act(client, company, hid, "acceptance-application", {"applied_on": "2024-06-21"})
    reviewed = await act(
        client, officer(stack), hid, "review", {"reviewed_on": "2024-06-25", "reviewers": ["赵六", "钱七"]}
    )
    assert reviewed.json()["status"] == "reviewed"
    closed = await act(client, officer(stack), hid, "closure", {"closed_on": "2024-06-26"})
    assert closed.json()["status"] == "closed"
    assert closed.json()["allowed_actions"] == []

    timeline = (await client.get(f"/api/v1/hazards/{hid}/timeline", headers=admin(stack))).json()["items"]
    actions = [e["action"] for e in timeline]
    assert actions[:3] == ["report", "judge", "ledger"]
    assert {
        "list",
        "sign_listing_receipt",
        "publish_notice",
        "request_deferral",
        "approve_deferral",
        "reject_review",
        "close",
    } <= set(actions)

    from hazard_service.config import HazardSettings
    from hazard_service.worker import build_worker

    assert isinstance(settings, HazardSettings)
    relay_only = dataclasses.replace(build_worker(settings), consumers=[], jobs=[])
    async with running_worker(relay_only):
        found = await read_topic(
            stack, HAZARD_EVENTS, lambda v: v["aggregate_id"] == hid and v["event_type"] == "hazard.closed"
        )
    assert found[0][0] == hid.encode()
    closed_event = found[0][1]
    assert closed_event["data"]["grade"] == "major"
    assert closed_event["data"]["listed"] is True
    assert closed_event["data"]["listing_level"] == "city_government"
    assert closed_event["data"]["township_code"] == "431281101000"


async def test_illegal_transition_is_409_with_reason_and_role_is_403(
    client: httpx.AsyncClient, stack: Stack, enterprise_id: uuid.UUID
) -> None:
    """Closing a just-reported hazard is a 409 naming the states; an enterprise may not verify."""
    hid = (await report(client, officer(stack), enterprise_id))["id"]
    response = await act(client, officer(stack), hid, "closure", {"closed_on": "2024-03-02"})
    assert response.status_code == 409
    problem = response.json()
    assert response.headers["content-type"].startswith("application/problem+json")
    assert (problem["status"], problem["current_status"]) == (409, "reported")
    assert "verified" in problem["detail"]
    assert (
        await act(client, enterprise_user(stack, enterprise_id), hid, "verification", {"verified_on": "2024-03-02"})
    ).status_code == 403
    judge_general = await act(
        client, officer(stack), hid, "judgment", {"standard_code": "gm_mem10_2023", "clause_code": "gm10-03-01"}
    )
    assert judge_general.status_code == 409


async def test_unknown_clause_is_rejected(client: httpx.AsyncClient, stack: Stack, enterprise_id: uuid.UUID) -> None:
    """A major hazard must cite a clause that exists in an imported standard."""
    hazard = await report(client, officer(stack), enterprise_id, grade="major")
    response = await act(
        client, officer(stack), hazard["id"], "judgment", {"standard_code": "gm_mem10_2023", "clause_code": "nope"}
    )
    assert response.status_code == 422


async def test_withdrawal_needs_a_reason_and_keeps_the_record(
    client: httpx.AsyncClient, stack: Stack, enterprise_id: uuid.UUID
) -> None:
    """A withdrawn hazard stays readable with its reason; nothing more can happen to it."""
    hid = (await report(client, officer(stack), enterprise_id))["id"]
    assert (await act(client, officer(stack), hid, "withdrawal", {})).status_code == 422
    withdrawn = await act(client, officer(stack), hid, "withdrawal", {"reason": "重复上报"})
    assert withdrawn.json()["status"] == "withdrawn"
    assert withdrawn.json()["withdrawn_reason"] == "重复上报"
    again = await act(client, officer(stack), hid, "rectification", {"deadline": "2099-01-01"})
    assert again.status_code == 409
    assert (await client.get(f"/api/v1/hazards/{hid}", headers=admin(stack))).status_code == 200


async def test_jurisdiction_and_enterprise_scoping(
    client: httpx.AsyncClient, stack: Stack, enterprise_id: uuid.UUID
) -> None:
    """Outside one's township a hazard is 404; an enterprise reports and sees only its own."""
    own = await report(client, enterprise_user(stack, enterprise_id), enterprise_id, source="self_report")
    assert own["reported_by"]
    other_enterprise = uuid.uuid4()
    assert (
        await client.get(f"/api/v1/hazards/{own['id']}", headers=township_officer(stack, OTHER_TOWNSHIP))
    ).status_code == 404
    assert (
        await client.get(f"/api/v1/hazards/{own['id']}", headers=enterprise_user(stack, other_enterprise))
    ).status_code == 404
    self_report = {
        "enterprise_id": str(enterprise_id),
        "grade": "general",
        "source": "self_report",
        "description": "xx",
        "reported_on": "2024-03-01",
    }
    foreign = await client.post("/api/v1/hazards", json=self_report, headers=enterprise_user(stack, other_enterprise))
    assert foreign.status_code == 422
    not_self = await client.post(
        "/api/v1/hazards", json={**self_report, "source": "complaint"}, headers=enterprise_user(stack, enterprise_id)
    )
    assert not_self.status_code == 422
    listed = (await client.get("/api/v1/hazards", headers=enterprise_user(stack, enterprise_id))).json()["items"]
    assert {h["enterprise_id"] for h in listed} == {str(enterprise_id)}
    leader = token(stack, ["leader"])
    assert (
        await client.post(f"/api/v1/hazards/{own['id']}/withdrawal", json={"reason": "x" * 3}, headers=leader)
    ).status_code == 403


async def test_if_match_guards_changes(client: httpx.AsyncClient, stack: Stack, enterprise_id: uuid.UUID) -> None:
    """A change based on a stale version is a 409; the current ETag works."""
    hazard = await report(client, officer(stack), enterprise_id)
    hid = hazard["id"]
    stale = await client.post(
        f"/api/v1/hazards/{hid}/rectification",
        json={"deadline": "2099-01-01"},
        headers={**officer(stack), "If-Match": 'W/"9"'},
    )
    assert stale.status_code == 409
    assert stale.json()["type"].endswith("version-conflict")
    fresh = await client.get(f"/api/v1/hazards/{hid}", headers=officer(stack))
    ok = await client.post(
        f"/api/v1/hazards/{hid}/rectification",
        json={"deadline": "2099-01-01"},
        headers={**officer(stack), "If-Match": fresh.headers["ETag"]},
    )
    assert ok.status_code == 200
    assert ok.json()["version"] == hazard["version"] + 1


async def test_retried_create_with_idempotency_key_creates_once(
    client: httpx.AsyncClient, stack: Stack, engine: AsyncEngine, enterprise_id: uuid.UUID
) -> None:
    """The same Idempotency-Key returns the first result and creates nothing more."""
    headers = {
        **token(stack, ["department_officer"], subject="retrying-user", jurisdictions=["431281000000"]),
        "Idempotency-Key": str(uuid.uuid4()),
    }
    body = {
        "enterprise_id": str(enterprise_id),
        "grade": "general",
        "source": "complaint",
        "description": "举报: 消防通道堵塞",
        "reported_on": "2024-04-01",
    }
    first = await client.post("/api/v1/hazards", json=body, headers=headers)
    second = await client.post("/api/v1/hazards", json=body, headers=headers)
    assert first.status_code == second.status_code == 201
    assert second.json()["id"] == first.json()["id"]
    assert second.headers.get("idempotent-replayed") == "true"
    assert await hazards_where(engine, Hazard.enterprise_id == enterprise_id) == 1


async def test_only_callers_who_may_report_create_a_hazard(
    client: httpx.AsyncClient, stack: Stack, engine: AsyncEngine, enterprise_id: uuid.UUID
) -> None:
    """No token is 401 (before the body is even validated) and a role that does not report (a leader) is 403,
    as problem+json; neither writes."""
    body = hazard_body(enterprise_id, description="无权上报")
    anonymous = await client.post("/api/v1/hazards", json={**body, "grade": "catastrophic"})
    leader = await client.post(
        "/api/v1/hazards", json=body, headers=token(stack, ["leader"], jurisdictions=["431281000000"])
    )
    assert (anonymous.status_code, leader.status_code) == (401, 403)
    assert anonymous.headers["content-type"] == leader.headers["content-type"] == "application/problem+json"
    assert await hazards_where(engine, Hazard.description == "无权上报") == 0


async def test_a_bad_create_body_gets_422_naming_the_field_and_writes_nothing(
    client: httpx.AsyncClient, stack: Stack, engine: AsyncEngine, enterprise_id: uuid.UUID
) -> None:
    """Wrong values, broken JSON and a body that is not JSON are each a 422 problem+json; nothing is written."""
    body = hazard_body(enterprise_id, grade="catastrophic")
    del body["description"]
    wrong = await client.post("/api/v1/hazards", json=body, headers=officer(stack))
    broken = await client.post(
        "/api/v1/hazards", content=b'{"grade": ', headers={**officer(stack), "Content-Type": "application/json"}
    )
    not_json = await client.post(
        "/api/v1/hazards", content=b"grade=general", headers={**officer(stack), "Content-Type": "text/plain"}
    )
    for response in (wrong, broken, not_json):
        assert response.status_code == 422, response.text
        assert response.headers["content-type"] == "application/problem+json"
    assert {e["field"] for e in wrong.json()["errors"]} == {"body.grade", "body.description"}
    for response in (broken, not_json):
        assert [e["field"].split(".")[0] for e in response.json()["errors"]] == ["body"]
    assert await hazards_where(engine, Hazard.enterprise_id == enterprise_id) == 0


async def test_a_report_dated_in_the_future_or_with_funds_beyond_bounds_is_a_422(
    client: httpx.AsyncClient, stack: Stack, engine: AsyncEngine, enterprise_id: uuid.UUID
) -> None:
    """A hazard is reported on a day that has happened (a day of clock skew aside), and money has bounds that
    keep every sum of it inside the statistics' counters; nothing is written otherwise."""
    cases = [
        (hazard_body(enterprise_id, reported_on="2099-01-01"), "body.reported_on"),
        (hazard_body(enterprise_id, reported_on="1900-01-01"), "body.reported_on"),
        (hazard_body(enterprise_id, funds_fen=9_223_372_036_854_775_807), "body.funds_fen"),
    ]
    for body, field in cases:
        response = await client.post("/api/v1/hazards", json=body, headers=officer(stack))
        assert response.status_code == 422, response.text
        assert [e["field"] for e in response.json()["errors"]] == [field]
    assert await hazards_where(engine, Hazard.enterprise_id == enterprise_id) == 0


async def test_a_created_hazard_answers_201_with_its_location_etag_and_body(
    client: httpx.AsyncClient, stack: Stack, enterprise_id: uuid.UUID
) -> None:
    """The create's answer carries what a front end needs to follow up: Location, ETag and the full hazard."""
    response = await client.post(
        "/api/v1/hazards",
        json=hazard_body(
            enterprise_id,
            grade="major",
            source="leader_inspection",
            description="重大隐患: 粉尘涉爆除尘系统未设置泄爆装置",
            deadline="2024-06-30",
        ),
        headers={**officer(stack), "X-Correlation-ID": "create-1"},
    )
    assert response.status_code == 201
    created = response.json()
    assert response.headers["Location"] == f"/api/v1/hazards/{created['id']}"
    assert response.headers["ETag"] == 'W/"1"'
    assert response.headers["content-type"] == "application/json"
    assert response.headers["x-correlation-id"] == "create-1"
    assert (created["status"], created["grade"], created["version"]) == ("reported", "major", 1)
    assert created["rectification_deadline"] == "2024-06-30"
    assert "judge" in created["allowed_actions"]
    fetched = await client.get(f"/api/v1/hazards/{created['id']}", headers=officer(stack))
    assert fetched.json() == created
