"""Inspections with findings, crackdowns, interviews, exposures, typical cases and plans over the real database."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import httpx
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from enforcement_service.config import EnforcementSettings
from shared.testing.plugin import Stack

from .conftest import (
    OTHER_TOWNSHIP,
    TOWNSHIP,
    EnterpriseIn,
    LegalDay,
    admin,
    leader,
    officer,
    outbox_events,
    post,
    scalar,
    seed_enterprise,
    township_officer,
)


async def test_an_inspection_records_its_team_enterprises_and_publishes_each_finding(
    client: httpx.AsyncClient, stack: Stack, engine: AsyncEngine, settings: EnforcementSettings
) -> None:
    first = await seed_enterprise(engine, settings)
    second = await seed_enterprise(engine, settings)
    body = {
        "kind": "leader_led",
        "inspected_on": "2026-03-03",
        "leader_name": "王副市长",
        "leader_post": "副市长",
        "team_members": ["王副市长", "李四", "王五"],
        "enterprise_ids": [str(first), str(second)],
        "findings": [
            {
                "enterprise_id": str(first),
                "description": "消防通道堵塞",
                "grade_suggestion": "general",
                "rectify_by": "2026-03-10",
            },
            {
                "enterprise_id": str(second),
                "description": "烟花爆竹超量储存",
                "grade_suggestion": "major",
                "standard_code": "fireworks_2017",
                "clause": "3",
            },
        ],
    }
    inspection = await post(client, officer(stack), "/api/v1/inspections", body)
    assert (inspection["unit_type"], inspection["unit_code"], inspection["township_code"]) == (
        "department",
        "yjj",
        TOWNSHIP,
    )
    assert (inspection["persons_deployed"], inspection["findings_count"], inspection["major_findings_count"]) == (
        3,
        2,
        1,
    )
    events = await outbox_events(engine, inspection["id"])
    assert events[0]["event_type"] == "inspection.recorded"
    recorded = events[0]["data"]
    assert (
        recorded["leader_name"],
        recorded["leader_post"],
        recorded["enterprises_checked"],
        recorded["findings_count"],
    ) == (
        "王副市长",
        "副市长",
        2,
        2,
    )
    for finding in inspection["findings"]:
        [event] = await outbox_events(engine, finding["id"])
        assert event["event_type"] == "inspection.finding_recorded"
        assert event["data"]["source"] == "leader_inspection"
        assert event["data"]["township_code"] == TOWNSHIP
        assert event["data"]["industry_code"] == "2672"
    major = next(f for f in inspection["findings"] if f["grade_suggestion"] == "major")
    assert (await outbox_events(engine, major["id"]))[0]["data"]["clause"] == "3"

    invalid = await client.post("/api/v1/inspections", json={**body, "leader_name": None}, headers=officer(stack))
    assert invalid.status_code == 422
    unknown = await client.post(
        "/api/v1/inspections",
        json={**body, "enterprise_ids": [str(uuid.uuid4())], "findings": []},
        headers=officer(stack),
    )
    assert unknown.status_code == 404
    elsewhere = await client.post(
        "/api/v1/inspections",
        json={**body, "kind": "routine", "findings": []},
        headers=township_officer(stack, OTHER_TOWNSHIP),
    )
    assert elsewhere.status_code == 404

    night = await post(
        client,
        township_officer(stack),
        "/api/v1/inspections",
        {
            "kind": "night_raid",
            "inspected_on": "2026-03-04",
            "team_members": ["甲", "乙"],
            "persons_deployed": 6,
            "enterprise_ids": [str(first)],
        },
    )
    assert (night["unit_type"], night["unit_code"], night["persons_deployed"]) == ("township", TOWNSHIP, 6)
    listed = (
        await client.get(
            "/api/v1/inspections?kind=night_raid&inspected_from=2026-03-04&inspected_to=2026-03-04",
            headers=leader(stack),
        )
    ).json()
    assert night["id"] in {i["id"] for i in listed["items"]}
    assert (
        await client.get(f"/api/v1/inspections/{inspection['id']}", headers=township_officer(stack, OTHER_TOWNSHIP))
    ).status_code == 404
    detail = (await client.get(f"/api/v1/inspections/{inspection['id']}", headers=township_officer(stack))).json()
    assert [f["description"] for f in detail["findings"]] == ["消防通道堵塞", "烟花爆竹超量储存"]


async def test_crackdowns_interviews_exposures_and_typical_cases(
    client: httpx.AsyncClient, stack: Stack, engine: AsyncEngine, enterprise_id: uuid.UUID
) -> None:
    crackdown = await post(
        client,
        township_officer(stack),
        "/api/v1/crackdowns",
        {
            "acted_on": "2026-03-05",
            "patrols": 12,
            "persons_deployed": 36,
            "sites_stopped": 2,
            "seizures": [
                {"item": "非法烟花爆竹", "quantity": "12.5", "unit": "箱", "value_fen": 380_050},
                {"item": "液化气钢瓶", "quantity": "3", "unit": "个", "value_fen": 90_000},
            ],
            "campaign_code": "dafei_2026",
        },
    )
    assert (crackdown["seizure_value_fen"], crackdown["township_code"], crackdown["unit_type"]) == (
        470_050,
        TOWNSHIP,
        "township",
    )
    [event] = await outbox_events(engine, crackdown["id"])
    assert event["event_type"] == "crackdown.action_recorded"
    assert event["data"]["seizures"][0]["quantity"] == "12.5"
    bad = await client.post(
        "/api/v1/crackdowns",
        json={
            "acted_on": "2026-03-05",
            "patrols": 1,
            "persons_deployed": 1,
            "seizures": [{"item": "x", "quantity": "many"}],
        },
        headers=township_officer(stack),
    )
    assert bad.status_code == 422

    interview = await post(
        client,
        officer(stack),
        "/api/v1/interviews",
        {
            "held_on": "2026-03-06",
            "persons": 3,
            "enterprise_ids": [str(enterprise_id)],
            "subject": "重大隐患逾期未整改",
            "township_code": TOWNSHIP,
        },
    )
    assert interview["persons"] == 3
    exposure = await post(
        client,
        officer(stack),
        "/api/v1/exposures",
        {
            "published_on": "2026-03-07",
            "channel": "洪江发布",
            "title": "曝光一批安全生产违法行为",
            "township_code": TOWNSHIP,
        },
    )
    typical = await post(
        client,
        admin(stack),
        "/api/v1/typical-cases",
        {
            "unit_code": "yjj",
            "published_on": "2026-03-08",
            "title": "某烟花爆竹经营部超量储存案",
            "channel": "洪江市应急管理局网站",
        },
    )
    for resource, record, event_type in [
        ("interviews", interview, "interview.recorded"),
        ("exposures", exposure, "exposure.published"),
        ("typical-cases", typical, "typical_case.published"),
        ("crackdowns", crackdown, "crackdown.action_recorded"),
    ]:
        assert (await outbox_events(engine, record["id"]))[0]["event_type"] == event_type
        listed = (await client.get(f"/api/v1/{resource}", headers=leader(stack))).json()
        assert record["id"] in {r["id"] for r in listed["items"]}
    hidden = (await client.get("/api/v1/interviews", headers=township_officer(stack, OTHER_TOWNSHIP))).json()
    assert interview["id"] not in {r["id"] for r in hidden["items"]}
    assert (
        await client.post(
            "/api/v1/exposures",
            json={"published_on": "2026-03-07", "channel": "x", "title": "x"},
            headers=leader(stack),
        )
    ).status_code == 403


async def test_actual_against_plan_by_month(
    client: httpx.AsyncClient, stack: Stack, engine: AsyncEngine, legal_today: LegalDay, enterprise_in: EnterpriseIn
) -> None:
    legal_today("2026-04-10")
    township = "431281107000"
    enterprise = await enterprise_in(township)
    months = [{"month": m, "inspections": 10, "enterprise_checks": 20, "cases": 1} for m in range(1, 13)]
    plan = await post(
        client,
        admin(stack),
        "/api/v1/plans",
        {
            "year": 2026,
            "unit_type": "township",
            "unit_code": township,
            "approved_by": "洪江市人民政府",
            "approved_on": "2026-01-15",
            "document_number": "洪政函〔2026〕3号",
            "months": months,
        },
    )
    assert plan["version"] == 1
    t = township_officer(stack, township)
    for day in ("2026-03-02", "2026-03-20", "2026-04-01"):
        await post(
            client,
            t,
            "/api/v1/inspections",
            {"kind": "routine", "inspected_on": day, "team_members": ["甲", "乙"], "enterprise_ids": [str(enterprise)]},
        )
    await post(
        client,
        admin(stack),
        "/api/v1/delegations",
        {
            "township_code": township,
            "scope": ["simplified_procedure", "warning"],
            "starts_on": "2026-01-01",
            "ends_on": "2026-12-31",
            "document_number": "洪应急委〔2026〕7号",
            "document_title": "委托书",
            "published_on": "2026-01-01",
        },
    )
    await post(
        client,
        t,
        "/api/v1/cases/simplified",
        {
            "party_type": "unit",
            "party_name": "x",
            "enterprise_id": str(enterprise),
            "cause": "x",
            "decided_on": "2026-03-21",
            "warning": True,
            "officers": ["甲", "乙"],
        },
    )
    progress = (await client.get(f"/api/v1/plans/2026/township/{township}/progress", headers=leader(stack))).json()
    march, april = progress["months"][2], progress["months"][3]
    assert (
        march["planned_inspections"],
        march["actual_inspections"],
        march["actual_enterprise_checks"],
        march["actual_cases"],
    ) == (10, 2, 2, 1)
    assert (april["actual_inspections"], april["actual_cases"]) == (1, 0)
    assert (progress["planned_inspections"], progress["actual_inspections"]) == (120, 3)
    assert progress["completion_basis_points"] == 250

    # Replacing the plan needs the current version when If-Match is sent.
    replace = {
        "year": 2026,
        "unit_type": "township",
        "unit_code": township,
        "approved_by": "洪江市人民政府",
        "approved_on": "2026-02-01",
        "months": [{**m, "inspections": 5} for m in months],
    }
    assert (
        await client.post("/api/v1/plans", json=replace, headers={**admin(stack), "If-Match": 'W/"9"'})
    ).status_code == 409
    replaced = await post(client, admin(stack), "/api/v1/plans", replace)
    assert replaced["version"] == 2
    events = await outbox_events(engine, plan["id"])
    assert [e["data"]["total_inspections"] for e in events] == [120, 60]
    assert (
        await client.post("/api/v1/plans", json=replace, headers=township_officer(stack, OTHER_TOWNSHIP))
    ).status_code == 403


def plan_body(unit_type: str, unit_code: str, *, year: int = 2026, approved_on: str | None = None) -> dict[str, Any]:
    """A plan of 4 inspections, 8 enterprise-checks and 1 case a month."""
    return {
        "year": year,
        "unit_type": unit_type,
        "unit_code": unit_code,
        "approved_by": "洪江市人民政府",
        "approved_on": approved_on or f"{year}-01-15",
        "months": [{"month": m, "inspections": 4, "enterprise_checks": 8, "cases": 1} for m in range(1, 13)],
    }


def routine_inspection(day: str, *enterprises: uuid.UUID) -> dict[str, Any]:
    """A routine inspection of some enterprises."""
    return {
        "kind": "routine",
        "inspected_on": day,
        "team_members": ["甲", "乙"],
        "enterprise_ids": [str(e) for e in enterprises],
    }


async def test_a_department_plan_counts_the_departments_own_inspections_and_cases(
    client: httpx.AsyncClient, stack: Stack, engine: AsyncEngine, settings: EnforcementSettings
) -> None:
    department = f"d{uuid.uuid4().hex[:8]}"
    h = officer(stack, department)
    plan = await post(client, h, "/api/v1/plans", plan_body("department", department))
    assert (plan["unit_type"], plan["unit_code"], plan["version"]) == ("department", department, 1)
    here = await seed_enterprise(engine, settings)
    there = await seed_enterprise(engine, settings, township=OTHER_TOWNSHIP)
    await post(client, h, "/api/v1/inspections", routine_inspection("2026-03-03", here, there))
    await post(client, h, "/api/v1/inspections", routine_inspection("2026-03-17", here))
    await post(client, h, "/api/v1/inspections", routine_inspection("2026-05-08", there))
    # Another department's and a township's inspections count for them, not for this department.
    other_department = officer(stack, f"d{uuid.uuid4().hex[:8]}")
    await post(client, other_department, "/api/v1/inspections", routine_inspection("2026-03-05", here))
    await post(client, township_officer(stack), "/api/v1/inspections", routine_inspection("2026-03-06", here))
    await post(
        client,
        h,
        "/api/v1/cases",
        {
            "party_type": "unit",
            "party_name": "某建筑公司",
            "enterprise_id": str(here),
            "cause": "未按规定设置安全警示标志",
            "source": "inspection",
            "filed_on": "2026-03-09",
        },
    )

    progress = (await client.get(f"/api/v1/plans/2026/department/{department}/progress", headers=h)).json()
    march, may = progress["months"][2], progress["months"][4]
    assert (march["actual_inspections"], march["actual_enterprise_checks"], march["actual_cases"]) == (2, 3, 1)
    assert (may["actual_inspections"], may["actual_enterprise_checks"], may["actual_cases"]) == (1, 1, 0)
    assert (progress["planned_inspections"], progress["actual_inspections"]) == (48, 3)
    assert (progress["planned_enterprise_checks"], progress["actual_enterprise_checks"]) == (96, 4)
    assert (progress["planned_cases"], progress["actual_cases"]) == (12, 1)
    assert progress["completion_basis_points"] == 625


async def test_a_plan_is_read_only_by_its_own_unit_and_city_level_readers(
    client: httpx.AsyncClient, stack: Stack
) -> None:
    year = 2042
    department = f"d{uuid.uuid4().hex[:8]}"
    plans = {
        unit_code: (await post(client, admin(stack), "/api/v1/plans", plan_body(unit_type, unit_code, year=year)))["id"]
        for unit_type, unit_code in (("township", TOWNSHIP), ("township", OTHER_TOWNSHIP), ("department", department))
    }

    async def listed(headers: dict[str, str], query: str = "") -> set[str]:
        response = await client.get(f"/api/v1/plans?year={year}{query}", headers=headers)
        assert response.status_code == 200, response.text
        return {p["id"] for p in response.json()["items"]}

    async def progress_status(headers: dict[str, str], unit_type: str, unit_code: str, on: int = year) -> int:
        return (await client.get(f"/api/v1/plans/{on}/{unit_type}/{unit_code}/progress", headers=headers)).status_code

    township = township_officer(stack)
    assert await listed(township) == {plans[TOWNSHIP]}
    assert await listed(township, f"&unit_code={OTHER_TOWNSHIP}") == set()
    assert await progress_status(township, "township", TOWNSHIP) == 200
    assert await progress_status(township, "township", OTHER_TOWNSHIP) == 404
    assert await progress_status(township, "department", department) == 404
    # Outside its scope a plan looks like one that does not exist.
    assert await progress_status(township, "township", TOWNSHIP, on=2099) == 404

    own = officer(stack, department)
    assert await listed(own) == {plans[department]}
    assert await progress_status(own, "department", department) == 200
    assert await progress_status(own, "township", TOWNSHIP) == 404
    assert await progress_status(officer(stack, "zjj"), "department", department) == 404
    assert await listed(officer(stack, "zjj")) == set()

    for city_level in (admin(stack), leader(stack)):
        assert await listed(city_level) == set(plans.values())
        assert await progress_status(city_level, "township", OTHER_TOWNSHIP) == 200


async def test_plans_are_listed_most_recently_approved_first_a_page_at_a_time(
    client: httpx.AsyncClient, stack: Stack
) -> None:
    year = 2043
    departments = [f"d{uuid.uuid4().hex[:8]}" for _ in range(2)]
    units = [
        ("township", "431281103000", "2043-01-10"),
        ("department", departments[0], "2043-01-20"),
        ("township", "431281104000", "2043-01-15"),
        ("department", departments[1], "2043-01-05"),
    ]
    ids = {}
    for unit_type, unit_code, approved_on in units:
        body = plan_body(unit_type, unit_code, year=year, approved_on=approved_on)
        ids[unit_code] = (await post(client, admin(stack), "/api/v1/plans", body))["id"]
    newest_first = [ids[departments[0]], ids["431281104000"], ids["431281103000"], ids[departments[1]]]

    first = (await client.get(f"/api/v1/plans?year={year}&limit=3&include_total=true", headers=leader(stack))).json()
    assert ([p["id"] for p in first["items"]], first["total"]) == (newest_first[:3], 4)
    second = (
        await client.get(f"/api/v1/plans?year={year}&limit=3&cursor={first['next_cursor']}", headers=leader(stack))
    ).json()
    assert ([p["id"] for p in second["items"]], second["next_cursor"]) == (newest_first[3:], None)

    townships = (await client.get(f"/api/v1/plans?year={year}&unit_type=township", headers=leader(stack))).json()
    assert [p["id"] for p in townships["items"]] == [ids["431281104000"], ids["431281103000"]]
    one_unit = (await client.get(f"/api/v1/plans?unit_code={departments[1]}", headers=leader(stack))).json()
    assert [p["id"] for p in one_unit["items"]] == [ids[departments[1]]]
    assert (await client.get("/api/v1/plans?cursor=nonsense", headers=leader(stack))).status_code == 422


async def test_reading_plan_progress_takes_no_row_lock(
    client: httpx.AsyncClient, stack: Stack, engine: AsyncEngine
) -> None:
    township = "431281108000"
    await post(client, admin(stack), "/api/v1/plans", plan_body("township", township, year=2044))
    async with engine.connect() as locker:
        await locker.execute(
            text("SELECT id FROM enforcement.enforcement_plan WHERE year = 2044 AND unit_code = :u FOR UPDATE"),
            {"u": township},
        )
        # A read that waited for the row lock would not answer before the locker rolls back.
        response = await asyncio.wait_for(
            client.get(f"/api/v1/plans/2044/township/{township}/progress", headers=leader(stack)), timeout=10
        )
        await locker.rollback()
    assert response.status_code == 200


async def test_a_township_inspects_in_its_own_name_without_a_delegation(
    client: httpx.AsyncClient, stack: Stack, engine: AsyncEngine, settings: EnforcementSettings
) -> None:
    township = "431281109000"  # never granted a delegation
    enterprise = await seed_enterprise(engine, settings, township=township)
    inspection = await post(
        client, township_officer(stack, township), "/api/v1/inspections", routine_inspection("2026-06-02", enterprise)
    )
    assert (inspection["unit_type"], inspection["unit_code"], inspection["township_code"]) == (
        "township",
        township,
        township,
    )
    [recorded] = await outbox_events(engine, inspection["id"])
    assert (recorded["data"]["unit_code"], recorded["data"]["delegated"]) == (township, False)
    delegated_columns = await scalar(
        engine,
        "SELECT count(*) FROM information_schema.columns WHERE table_schema = 'enforcement'"
        " AND table_name = 'inspection' AND column_name LIKE 'delegated%'",
    )
    assert delegated_columns == 0
