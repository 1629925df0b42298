"""Penalty cases over the real database: the general procedure end to end, clocks, simplified
procedure, delegation, typed items with payments and late charges, refusals that change nothing."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
from fastapi.routing import APIRoute
from sqlalchemy.ext.asyncio import AsyncEngine

from enforcement_service.cases.clocks import emit_clock_warnings
from enforcement_service.cases.router import router as cases_router
from enforcement_service.cases.rules import PROCEDURE_RULES
from enforcement_service.config import EnforcementSettings
from enforcement_service.db import DATABASE
from enforcement_service.jobs import clock_warning_job
from shared.db.engine import create_sessionmaker
from shared.testing.helpers import token
from shared.testing.plugin import Stack
from shared.worker import run_job_once

from .conftest import (
    OTHER_TOWNSHIP,
    EnterpriseIn,
    LegalDay,
    admin,
    leader,
    officer,
    outbox_count,
    outbox_events,
    post,
    scalar,
    seed_enterprise,
    simplified_decision,
    system_uow,
    township_officer,
)


async def file_case(
    client: httpx.AsyncClient, headers: dict[str, str], enterprise_id: uuid.UUID, filed_on: str = "2026-03-02"
) -> dict[str, Any]:
    return await post(
        client,
        headers,
        "/api/v1/cases",
        {
            "party_type": "unit",
            "party_name": "某烟花爆竹经营部",
            "enterprise_id": str(enterprise_id),
            "cause": "未按规定储存烟花爆竹",
            "source": "inspection",
            "filed_on": filed_on,
            "approver": "局长 张三",
            "opinion": "同意立案",
        },
    )


async def act(
    client: httpx.AsyncClient, headers: dict[str, str], case_id: str, path: str, body: dict[str, Any]
) -> dict[str, Any]:
    return await post(client, headers, f"/api/v1/cases/{case_id}/{path}", body)


ACTION_PREFIX = "/api/v1/cases/{case_id}/"
LATER = "2026-12-01"
# A body each action would accept on a case in the right stage, by path under the case.
ACTIONS: dict[str, dict[str, Any]] = {
    "investigation": {"officers": ["甲", "乙"]},
    "legal-review": {"items": [{"kind": "stop_production"}], "reviewed_on": LATER},
    "collective-discussion": {"discussed_on": LATER},
    "notice": {"items": [{"kind": "stop_production"}], "notified_on": LATER},
    "hearing-waiver": {},
    "hearing-request": {"requested_on": LATER, "hearing_noticed_on": LATER, "hearing_on": "2026-12-20"},
    "hearing": {"held_on": LATER},
    "extension": {"opinion": "案情复杂"},
    "decision": {"outcome": "penalty", "items": [{"kind": "fine", "amount_fen": 100_000}], "decided_on": LATER},
    "service": {"served_on": LATER},
    "payments": {"paid_on": LATER, "amount_fen": 1},
    "court-enforcement": {"requested_on": LATER, "court": "洪江市人民法院"},
    "items/{item_id}/outcome": {"outcome": "reinstated", "decided_by": "洪江市应急管理局", "decided_on": LATER},
    "execution": {"how": "voluntary", "executed_on": LATER},
    "closure": {"closed_on": LATER},
    "archive": {"archived_on": LATER},
    "evidence": {"kind": "photo", "title": "补充", "collected_on": LATER},
}


async def assert_archived_refuses_every_change(
    client: httpx.AsyncClient, engine: AsyncEngine, headers: dict[str, str], case: dict[str, Any]
) -> None:
    """Every action of a case answers 409 case-archived on an archived case and changes nothing."""
    offered = {
        route.path.removeprefix(ACTION_PREFIX)
        for route in cases_router.routes
        if isinstance(route, APIRoute) and "POST" in route.methods and route.path.startswith(ACTION_PREFIX)
    }
    assert set(ACTIONS) == offered, "every action endpoint of a case is tried"
    cid = case["id"]
    before = (case["version"], await outbox_count(engine, cid))
    for path, body in ACTIONS.items():
        url = f"/api/v1/cases/{cid}/{path.replace('{item_id}', case['items'][0]['item_id'])}"
        response = await client.post(url, json=body, headers=headers)
        assert response.status_code == 409, (path, response.text)
        problem = response.json()
        assert problem["type"].endswith("/case-archived"), (path, problem)
        assert "can no longer change" in problem["detail"]
    after = (await client.get(f"/api/v1/cases/{cid}", headers=headers)).json()
    assert (after["version"], after["stage"], await outbox_count(engine, cid)) == (before[0], "archived", before[1])


async def test_a_case_goes_from_filing_to_archive_and_then_can_no_longer_change(
    client: httpx.AsyncClient, stack: Stack, engine: AsyncEngine, enterprise_id: uuid.UUID
) -> None:
    h = officer(stack)
    case = await file_case(client, h, enterprise_id)
    cid = case["id"]
    assert (case["stage"], case["rule_set"], case["decide_by"], case["unit_code"]) == (
        "filed",
        "mem_order_18",
        "2026-05-31",
        "yjj",
    )
    await act(client, h, cid, "investigation", {"officers": ["李四", "王五"], "opinion": "开始调查"})
    evidence = await post(
        client,
        h,
        f"/api/v1/cases/{cid}/evidence",
        {
            "kind": "photo",
            "title": "仓库现场照片",
            "collected_on": "2026-03-03",
            "collected_by": ["李四", "王五"],
            "attachments": [
                {"storage_key": "cases/x/1.jpg", "filename": "1.jpg", "content_type": "image/jpeg", "size_bytes": 2048}
            ],
        },
    )
    assert evidence["attachments"][0]["storage_key"] == "cases/x/1.jpg"
    items = [
        {"kind": "fine", "amount_fen": 2_000_000},
        {"kind": "confiscation", "confiscated_items": ["烟花爆竹 30箱"], "value_fen": 450_000},
        {"kind": "stop_production"},
    ]
    # A stop order is a major decision: notice before legal review is refused (409) and changes nothing.
    refused = await client.post(
        f"/api/v1/cases/{cid}/notice", json={"items": items, "notified_on": "2026-03-10"}, headers=h
    )
    assert refused.status_code == 409
    assert "legal review" in refused.json()["detail"]
    await act(
        client,
        h,
        cid,
        "legal-review",
        {"items": items, "reviewed_on": "2026-03-05", "approver": "法制员", "opinion": "合法"},
    )
    await act(client, h, cid, "collective-discussion", {"discussed_on": "2026-03-06", "opinion": "集体讨论同意"})
    notified = await act(client, h, cid, "notice", {"items": items, "notified_on": "2026-03-10"})
    assert notified["hearing_request_by"] == "2026-03-15"
    late = await client.post(
        f"/api/v1/cases/{cid}/hearing-request",
        json={"requested_on": "2026-03-16", "hearing_noticed_on": "2026-03-16", "hearing_on": "2026-03-30"},
        headers=h,
    )
    assert late.status_code == 409
    await act(
        client,
        h,
        cid,
        "hearing-request",
        {"requested_on": "2026-03-12", "hearing_noticed_on": "2026-03-13", "hearing_on": "2026-03-20"},
    )
    await act(client, h, cid, "hearing", {"held_on": "2026-03-20", "opinion": "听证意见不成立"})
    decided = await act(client, h, cid, "decision", {"outcome": "penalty", "items": items, "decided_on": "2026-03-24"})
    assert (decided["stage"], decided["fine_total_fen"], decided["service_by"]) == ("decided", 2_000_000, "2026-03-31")
    assert decided["decision_number"].startswith("洪应急罚〔2026〕")
    served = await act(client, h, cid, "service", {"served_on": "2026-03-25", "method": "direct"})
    assert served["pay_by"] == "2026-04-09"
    # Paid 5 days late (04-10..04-14; the payment day does not count): 4 x 3% of 20,000 yuan.
    paid = await post(client, h, f"/api/v1/cases/{cid}/payments", {"paid_on": "2026-04-14", "amount_fen": 2_000_000})
    assert (paid["fine_outstanding_fen"], paid["late_charge_outstanding_fen"]) == (0, 240_000)
    detail = (await client.get(f"/api/v1/cases/{cid}?on=2026-05-01", headers=h)).json()
    assert detail["owed"] == {"as_of": "2026-05-01", "fine_outstanding_fen": 0, "late_charge_outstanding_fen": 240_000}
    refused_exec = await client.post(
        f"/api/v1/cases/{cid}/execution", json={"how": "voluntary", "executed_on": "2026-04-15"}, headers=h
    )
    assert refused_exec.status_code == 409
    await post(client, h, f"/api/v1/cases/{cid}/payments", {"paid_on": "2026-04-20", "amount_fen": 240_000})
    stop_item = next(i for i in decided["items"] if i["kind"] == "stop_production")
    await act(
        client,
        h,
        cid,
        f"items/{stop_item['item_id']}/outcome",
        {"outcome": "reinstated", "decided_by": "洪江市应急管理局", "decided_on": "2026-04-25"},
    )
    await act(client, h, cid, "execution", {"how": "voluntary", "executed_on": "2026-04-20"})
    await act(client, h, cid, "closure", {"closed_on": "2026-04-28", "approver": "局长 张三"})
    archived = await act(client, h, cid, "archive", {"archived_on": "2026-05-06"})
    assert archived["stage"] == "archived"
    assert archived["archive_number"]

    detail = (await client.get(f"/api/v1/cases/{cid}", headers=h)).json()
    actions = [e["action"] for e in detail["history"]]
    assert actions[:6] == ["file", "investigate", "legal_review", "collective_discussion", "notify", "request_hearing"]
    assert actions[-3:] == ["execute", "close", "archive"]
    assert all(e["approver"] and e["at"] for e in detail["history"])
    assert detail["history"][0]["opinion"] == "同意立案"
    assert [p["late_charge_part_fen"] for p in detail["payments"]] == [0, 240_000]
    assert len(detail["evidence"]) == 1

    events = [e["event_type"] for e in await outbox_events(engine, cid)]
    assert events[0] == "case.filed"
    assert {
        "case.decided",
        "case.served",
        "case.payment_recorded",
        "case.item_outcome_recorded",
        "case.executed",
        "case.closed",
        "case.archived",
        "case.evidence_added",
    } <= set(events)
    versions = [e["aggregate_version"] for e in await outbox_events(engine, cid)]
    assert versions == list(range(versions[0], versions[0] + len(versions))), (
        "one event per change, versions rising by one"
    )

    # Any change to the archived case: 409 with a clear reason, nothing changed.
    await assert_archived_refuses_every_change(client, engine, h, archived)
    await assert_archived_refuses_every_change(client, engine, admin(stack), archived)


async def test_archived_delegated_and_simplified_cases_refuse_every_change_before_any_other_check(
    client: httpx.AsyncClient, stack: Stack, engine: AsyncEngine, legal_today: LegalDay, enterprise_in: EnterpriseIn
) -> None:
    township = "431281121000"
    enterprise = await enterprise_in(township)
    legal_today("2026-04-10")
    delegation = await post(
        client,
        admin(stack),
        "/api/v1/delegations",
        {
            "township_code": township,
            "scope": ["general_procedure", "fine"],
            "starts_on": "2026-01-01",
            "ends_on": "2026-12-31",
            "document_number": "洪应急委〔2026〕21号",
            "document_title": "行政执法委托书",
            "published_on": "2025-12-20",
        },
    )
    t = township_officer(stack, township)
    case = await file_case(client, t, enterprise, filed_on="2026-04-01")
    cid = case["id"]
    fine = [{"kind": "fine", "amount_fen": 500_000}]
    await act(client, t, cid, "investigation", {"officers": ["乡执法甲", "乡执法乙"]})
    await act(client, t, cid, "notice", {"items": fine, "notified_on": "2026-04-02"})
    await act(client, t, cid, "hearing-waiver", {})
    await act(client, t, cid, "decision", {"outcome": "penalty", "items": fine, "decided_on": "2026-04-03"})
    await act(client, t, cid, "service", {"served_on": "2026-04-04"})
    await post(client, t, f"/api/v1/cases/{cid}/payments", {"paid_on": "2026-04-05", "amount_fen": 500_000})
    await act(client, t, cid, "execution", {"how": "voluntary", "executed_on": "2026-04-05"})
    await act(client, t, cid, "closure", {"closed_on": "2026-04-06"})
    archived = await act(client, t, cid, "archive", {"archived_on": "2026-04-07"})
    assert (archived["stage"], archived["delegated"]) == ("archived", True)
    # With the delegation revoked, every township act would be outside it (403): archived answers first.
    await post(
        client,
        admin(stack),
        f"/api/v1/delegations/{delegation['id']}/revocation",
        {"revoked_on": "2026-04-08", "reason": "委托期满前收回"},
    )
    legal_today("2026-12-20")  # every change's date has happened: only the archive can refuse it
    await assert_archived_refuses_every_change(client, engine, t, archived)
    await assert_archived_refuses_every_change(client, engine, officer(stack), archived)

    # A simplified case would refuse a general-procedure step as such (stage): archived answers first.
    h = officer(stack)
    shop = {"party_name": "某店", "cause": "安全出口堵塞", "decided_on": "2026-04-01", "fine_fen": 100_000}
    simplified = await post(client, h, "/api/v1/cases/simplified", simplified_decision(enterprise, **shop))
    sid = simplified["id"]
    await post(client, h, f"/api/v1/cases/{sid}/payments", {"paid_on": "2026-04-02", "amount_fen": 100_000})
    await act(client, h, sid, "execution", {"how": "voluntary", "executed_on": "2026-04-02"})
    await act(client, h, sid, "closure", {"closed_on": "2026-04-03"})
    archived_simplified = await act(client, h, sid, "archive", {"archived_on": "2026-04-04"})
    assert (archived_simplified["procedure"], archived_simplified["stage"]) == ("simplified", "archived")
    await assert_archived_refuses_every_change(client, engine, h, archived_simplified)


async def test_cases_filed_before_and_after_2026_02_01_follow_their_rules(
    client: httpx.AsyncClient,
    stack: Stack,
    engine: AsyncEngine,
    settings: EnforcementSettings,
    enterprise_id: uuid.UUID,
) -> None:
    old = await file_case(client, officer(stack), enterprise_id, filed_on="2026-01-20")
    new = await file_case(client, officer(stack), enterprise_id, filed_on="2026-02-01")
    assert (old["rule_set"], old["decide_by"]) == ("2021_law_sector_rule", "2026-02-19")
    assert (new["rule_set"], new["decide_by"]) == ("mem_order_18", "2026-05-02")
    extended = await act(client, officer(stack), old["id"], "extension", {"opinion": "案情复杂, 负责人批准延长"})
    assert extended["decide_by"] == "2026-04-20"

    clocks = (await client.get("/api/v1/cases/clocks?on=2026-04-30&limit=200", headers=admin(stack))).json()["items"]
    by_case = {(c["case_id"], c["clock"]): c for c in clocks}
    assert by_case[(old["id"], "decide")]["status"] == "overdue"
    assert by_case[(new["id"], "decide")]["status"] == "nearing"
    assert by_case[(new["id"], "decide")]["days_left"] == 2
    overdue = (
        await client.get("/api/v1/cases/clocks?on=2026-04-30&status=overdue&limit=200", headers=admin(stack))
    ).json()["items"]
    assert (new["id"], "decide") not in {(c["case_id"], c["clock"]) for c in overdue}

    # The job emits each warning once, however often it runs.
    from datetime import date

    uow = system_uow(engine, settings)
    async with uow:
        first = await emit_clock_warnings(uow=uow, rules=PROCEDURE_RULES, today=date(2026, 4, 30))
        await uow.commit()
    uow = system_uow(engine, settings)
    async with uow:
        again = await emit_clock_warnings(uow=uow, rules=PROCEDURE_RULES, today=date(2026, 4, 30))
        await uow.commit()
    assert first >= 2
    assert again == 0
    warnings = [e for e in await outbox_events(engine, old["id"]) if e["event_type"] == "case.clock_warning"]
    assert [(w["data"]["clock"], w["data"]["status"], w["data"]["due_on"]) for w in warnings] == [
        ("decide", "overdue", "2026-04-20")
    ]
    # The scheduled job runs the same code under its advisory lock.
    assert await run_job_once(clock_warning_job(settings), create_sessionmaker(engine), DATABASE, settings.service_name)


async def test_simplified_procedure_limit_and_refusal_that_changes_nothing(
    client: httpx.AsyncClient, stack: Stack, engine: AsyncEngine, enterprise_id: uuid.UUID
) -> None:
    h = officer(stack)
    body = simplified_decision(enterprise_id, fine_fen=300_000)
    ok = await post(client, h, "/api/v1/cases/simplified", body)
    assert (ok["procedure"], ok["stage"], ok["fine_total_fen"], ok["pay_by"]) == (
        "simplified",
        "served",
        300_000,
        "2026-03-16",
    )
    assert [e["event_type"] for e in await outbox_events(engine, ok["id"])] == ["case.simplified_decided"]

    cases_before = await scalar(engine, "SELECT count(*) FROM enforcement.penalty_case")
    outbox_before = await outbox_count(engine)
    refused = await client.post("/api/v1/cases/simplified", json={**body, "fine_fen": 300_100}, headers=h)
    assert refused.status_code == 422
    assert "at most 3000 yuan for a unit" in refused.json()["detail"]
    assert refused.json()["errors"][0]["field"] == "fine_fen"
    assert await scalar(engine, "SELECT count(*) FROM enforcement.penalty_case") == cases_before
    assert await outbox_count(engine) == outbox_before

    person = await client.post(
        "/api/v1/cases/simplified",
        json={**body, "party_type": "person", "party_name": "某人", "fine_fen": 20_001},
        headers=h,
    )
    assert person.status_code == 422
    assert "200 yuan for a person" in person.json()["detail"]

    # Paid and closed like any other case.
    cid = ok["id"]
    await post(client, h, f"/api/v1/cases/{cid}/payments", {"paid_on": "2026-03-05", "amount_fen": 300_000})
    await act(client, h, cid, "execution", {"how": "voluntary", "executed_on": "2026-03-05"})
    closed = await act(client, h, cid, "closure", {"closed_on": "2026-03-06"})
    assert closed["stage"] == "closed"


async def test_a_township_acts_only_within_its_delegation_and_in_the_bureaus_name(
    client: httpx.AsyncClient,
    stack: Stack,
    engine: AsyncEngine,
    settings: EnforcementSettings,
    legal_today: LegalDay,
) -> None:
    legal_today("2026-04-10")
    township = "431281105000"
    enterprise = await seed_enterprise(engine, settings, township=township)
    elsewhere = await seed_enterprise(engine, settings, township=OTHER_TOWNSHIP)
    t = township_officer(stack, township)
    shop = {"party_name": "某店", "cause": "安全出口堵塞", "decided_on": "2026-04-01", "fine_fen": 100_000}
    simplified = simplified_decision(enterprise, **shop, officers=["乡执法甲", "乡执法乙"])

    no_delegation = await client.post("/api/v1/cases/simplified", json=simplified, headers=t)
    assert no_delegation.status_code == 403
    assert "holds no delegation" in no_delegation.json()["detail"]

    delegation = await post(
        client,
        admin(stack),
        "/api/v1/delegations",
        {
            "township_code": township,
            "scope": ["simplified_procedure", "general_procedure", "warning", "fine"],
            "max_fine_fen": 1_000_000,
            "starts_on": "2026-01-01",
            "ends_on": "2026-12-31",
            "document_number": "洪应急委〔2026〕1号",
            "document_title": "行政执法委托书",
            "published_on": "2025-12-20",
        },
    )
    ok = await post(client, t, "/api/v1/cases/simplified", simplified)
    assert (ok["delegated"], ok["delegated_township_code"], ok["unit_code"], ok["delegation_id"]) == (
        True,
        township,
        "yjj",
        delegation["id"],
    )

    cases_before = await scalar(engine, "SELECT count(*) FROM enforcement.penalty_case")
    outbox_before = await outbox_count(engine)
    outside = [
        ({**simplified, "enterprise_id": str(elsewhere)}, f"not in {OTHER_TOWNSHIP}"),  # a party outside its township
        ({**simplified, "decided_on": "2025-12-31"}, "runs from 2026-01-01 to 2026-12-31"),  # before the term
    ]
    for body, reason in outside:
        response = await client.post("/api/v1/cases/simplified", json=body, headers=t)
        assert response.status_code == 403, response.text
        assert reason in response.json()["detail"]
    case = await post(
        client,
        t,
        "/api/v1/cases",
        {
            "party_type": "unit",
            "party_name": "某店",
            "enterprise_id": str(enterprise),
            "cause": "x",
            "filed_on": "2026-04-02",
        },
    )
    assert case["delegated"]
    assert case["unit_code"] == "yjj"
    await act(client, t, case["id"], "investigation", {"officers": ["乡执法甲", "乡执法乙"]})
    await act(
        client,
        t,
        case["id"],
        "notice",
        {"items": [{"kind": "fine", "amount_fen": 500_000}], "notified_on": "2026-04-05"},
    )
    await act(client, t, case["id"], "hearing-waiver", {})
    version = (await client.get(f"/api/v1/cases/{case['id']}", headers=t)).json()["version"]
    beyond = await client.post(
        f"/api/v1/cases/{case['id']}/decision",
        json={
            "outcome": "penalty",
            "items": [{"kind": "fine", "amount_fen": 500_000}, {"kind": "stop_production"}],
            "decided_on": "2026-04-06",
        },
        headers=t,
    )
    assert beyond.status_code == 403
    assert "does not cover: stop_production" in beyond.json()["detail"]
    too_much = await client.post(
        f"/api/v1/cases/{case['id']}/decision",
        json={"outcome": "penalty", "items": [{"kind": "fine", "amount_fen": 1_000_100}], "decided_on": "2026-04-06"},
        headers=t,
    )
    assert too_much.status_code == 403
    assert "up to 10000 yuan" in too_much.json()["detail"]
    assert (await client.get(f"/api/v1/cases/{case['id']}", headers=t)).json()["version"] == version
    assert await scalar(engine, "SELECT count(*) FROM enforcement.penalty_case") == cases_before + 1
    assert await outbox_count(engine) == outbox_before + 4  # filed, investigate, notify, waive

    counts = (await client.get("/api/v1/cases/counts?year=2026", headers=admin(stack))).json()
    assert counts["delegated_by_township"][township] == 2
    assert counts["delegated_total"] >= 2
    listed = (await client.get(f"/api/v1/cases?delegated=true&township_code={township}", headers=admin(stack))).json()
    assert {c["id"] for c in listed["items"]} == {ok["id"], case["id"]}

    # Another department's officer may read but not act on the township's case.
    other = await client.post(f"/api/v1/cases/{case['id']}/extension", json={}, headers=officer(stack, "zjj"))
    assert other.status_code == 403

    legal_today("2026-06-02")
    revoked = await post(
        client,
        admin(stack),
        f"/api/v1/delegations/{delegation['id']}/revocation",
        {"revoked_on": "2026-06-01", "reason": "调整委托范围"},
    )
    assert revoked["revoked_on"] == "2026-06-01"
    after_revocation = await client.post(
        "/api/v1/cases/simplified", json={**simplified, "decided_on": "2026-06-02"}, headers=t
    )
    assert after_revocation.status_code == 403
    assert "revoked" in after_revocation.json()["detail"]


async def test_referral_items_record_government_and_police_outcomes_and_court_enforcement(
    client: httpx.AsyncClient, stack: Stack, enterprise_id: uuid.UUID
) -> None:
    h = officer(stack)
    items = [
        {"kind": "fine", "amount_fen": 1_000_000},
        {"kind": "licence_suspension", "licence": "烟花爆竹经营(零售)许可证", "suspension_days": 90},
        {"kind": "closure_referral"},
        {"kind": "detention_referral", "persons": 2},
    ]
    case = await file_case(client, h, enterprise_id, filed_on="2026-02-10")
    cid = case["id"]
    await act(client, h, cid, "investigation", {"officers": ["a", "b"]})
    await act(client, h, cid, "legal-review", {"items": items, "reviewed_on": "2026-02-12"})
    await act(client, h, cid, "collective-discussion", {"discussed_on": "2026-02-13"})
    await act(client, h, cid, "notice", {"items": items, "notified_on": "2026-02-14"})
    decided = await act(client, h, cid, "decision", {"outcome": "penalty", "items": items, "decided_on": "2026-02-20"})
    await act(client, h, cid, "service", {"served_on": "2026-02-21"})
    court = await act(client, h, cid, "court-enforcement", {"requested_on": "2026-03-20", "court": "洪江市人民法院"})
    assert court["court_enforcement_requested_on"] == "2026-03-20"
    await act(client, h, cid, "execution", {"how": "court_enforced", "executed_on": "2026-06-01"})
    refused = await client.post(f"/api/v1/cases/{cid}/closure", json={"closed_on": "2026-06-02"}, headers=h)
    assert refused.status_code == 409
    assert "closure_referral, detention_referral" in refused.json()["detail"]
    by_kind = {i["kind"]: i["item_id"] for i in decided["items"]}
    await act(
        client,
        h,
        cid,
        f"items/{by_kind['closure_referral']}/outcome",
        {"outcome": "closure_approved", "decided_by": "洪江市人民政府", "decided_on": "2026-03-01"},
    )
    final = await act(
        client,
        h,
        cid,
        f"items/{by_kind['detention_referral']}/outcome",
        {"outcome": "detained", "decided_by": "洪江市公安局", "decided_on": "2026-03-02", "persons": 1},
    )
    detention = next(i for i in final["items"] if i["kind"] == "detention_referral")
    assert (detention["outcome"], detention["persons"], detention["outcome_by"]) == ("detained", 1, "洪江市公安局")
    closed = await act(client, h, cid, "closure", {"closed_on": "2026-06-02"})
    assert closed["stage"] == "closed"


async def test_idempotency_roles_jurisdiction_concurrency_and_lists(
    client: httpx.AsyncClient, stack: Stack, engine: AsyncEngine, settings: EnforcementSettings
) -> None:
    township = "431281106000"
    enterprise = await seed_enterprise(engine, settings, township=township)
    body = {
        "party_type": "unit",
        "party_name": "某矿",
        "enterprise_id": str(enterprise),
        "cause": "x",
        "filed_on": "2026-03-05",
    }
    key = {"Idempotency-Key": f"k-{uuid.uuid4()}"}
    h = officer(stack)
    first = await client.post("/api/v1/cases", json=body, headers={**h, **key})
    again = await client.post("/api/v1/cases", json=body, headers={**h, **key})
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"]
    assert (
        await scalar(engine, "SELECT count(*) FROM enforcement.penalty_case WHERE township_code = :t", t=township) == 1
    )

    assert (await client.post("/api/v1/cases", json=body, headers=leader(stack))).status_code == 403
    assert (await client.get(f"/api/v1/cases/{first.json()['id']}", headers=leader(stack))).status_code == 200
    outsider = township_officer(stack, OTHER_TOWNSHIP)
    assert (await client.get(f"/api/v1/cases/{first.json()['id']}", headers=outsider)).status_code == 404
    stale = await client.post(
        f"/api/v1/cases/{first.json()['id']}/investigation",
        json={"officers": ["a", "b"]},
        headers={**h, "If-Match": 'W/"7"'},
    )
    assert stale.status_code == 409

    for day in ("2026-03-06", "2026-03-07", "2026-03-08"):
        await post(client, h, "/api/v1/cases", {**body, "filed_on": day})
    page1 = (await client.get(f"/api/v1/cases?township_code={township}&limit=3&include_total=true", headers=h)).json()
    assert page1["total"] == 4
    assert len(page1["items"]) == 3
    assert [c["filed_on"] for c in page1["items"]] == ["2026-03-08", "2026-03-07", "2026-03-06"]
    page2 = (
        await client.get(f"/api/v1/cases?township_code={township}&limit=3&cursor={page1['next_cursor']}", headers=h)
    ).json()
    assert [c["filed_on"] for c in page2["items"]] == ["2026-03-05"]
    assert page2["next_cursor"] is None
    staged = (
        await client.get(f"/api/v1/cases?township_code={township}&stage=filed&filed_from=2026-03-07", headers=h)
    ).json()
    assert len(staged["items"]) == 2
    assert (await client.get("/api/v1/cases?cursor=garbage", headers=h)).status_code == 422
    assert not (await client.get(f"/api/v1/cases?township_code={township}", headers=outsider)).json()["items"]
    # A token that names no jurisdiction reaches no case by jurisdiction: none listed, none shown.
    nowhere = token(stack, ["department_officer"], department="yjj", name="无辖区执法员")
    assert not (await client.get(f"/api/v1/cases?township_code={township}", headers=nowhere)).json()["items"]
    assert (await client.get(f"/api/v1/cases/{first.json()['id']}", headers=nowhere)).status_code == 404


async def test_a_case_filed_in_the_future_is_a_422_and_no_case_number_is_taken(
    client: httpx.AsyncClient, stack: Stack, engine: AsyncEngine, enterprise_id: uuid.UUID
) -> None:
    """A filing dated 2099 would read 〔2099〕 in its case number: the filing day must have happened."""
    cases_before = await scalar(engine, "SELECT count(*) FROM enforcement.penalty_case")
    response = await client.post(
        "/api/v1/cases",
        json={
            "party_type": "unit",
            "party_name": "某店",
            "enterprise_id": str(enterprise_id),
            "cause": "x",
            "filed_on": "2099-01-01",
            "approver": "局长 张三",
        },
        headers=officer(stack),
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["body.filed_on"]
    assert await scalar(engine, "SELECT count(*) FROM enforcement.penalty_case") == cases_before


async def test_a_case_carries_its_campaign_and_an_unknown_campaign_is_a_422(
    client: httpx.AsyncClient, stack: Stack, engine: AsyncEngine, enterprise_id: uuid.UUID
) -> None:
    """A case of the fire check (专项行动) says so in the API and in its events, so the campaign's fines count."""
    h = officer(stack)
    nursing_home = {"party_name": "某养老院", "cause": "消防通道堵塞", "fine_fen": 100_000}
    body = simplified_decision(enterprise_id, **nursing_home, campaign_code="medical_crowded_fire_check_2023")
    simplified = await post(client, h, "/api/v1/cases/simplified", body)
    assert simplified["campaign_code"] == "medical_crowded_fire_check_2023"
    [event] = await outbox_events(engine, simplified["id"])
    assert event["data"]["campaign_code"] == "medical_crowded_fire_check_2023"

    filing = {
        "party_type": "unit",
        "party_name": "某医院",
        "enterprise_id": str(enterprise_id),
        "cause": "未按规定配置消防设施",
        "filed_on": "2026-03-01",
        "campaign_code": "medical_crowded_fire_check_2023",
    }
    filed = await post(client, h, "/api/v1/cases", filing)
    fetched = (await client.get(f"/api/v1/cases/{filed['id']}", headers=h)).json()
    assert fetched["campaign_code"] == "medical_crowded_fire_check_2023"
    [event] = await outbox_events(engine, filed["id"])
    assert (event["event_type"], event["data"]["campaign_code"]) == ("case.filed", "medical_crowded_fire_check_2023")

    cases_before = await scalar(engine, "SELECT count(*) FROM enforcement.penalty_case")
    unknown = await client.post("/api/v1/cases", json={**filing, "campaign_code": "no_such_campaign"}, headers=h)
    assert unknown.status_code == 422
    assert [e["field"] for e in unknown.json()["errors"]] == ["body.campaign_code"]
    assert await scalar(engine, "SELECT count(*) FROM enforcement.penalty_case") == cases_before
