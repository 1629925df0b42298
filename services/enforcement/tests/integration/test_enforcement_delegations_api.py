"""Delegations over the real database: a township acts on its cases only while its delegation is in
force and covers the act, who grants and revokes delegations, and the delegation list."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.dialects import postgresql
from sqlalchemy.ext.asyncio import AsyncEngine

from enforcement_service.delegations.repository import DelegationFilter, page_query
from shared.testing.helpers import token
from shared.testing.plugin import Stack

from .conftest import (
    OTHER_TOWNSHIP,
    EnterpriseIn,
    LegalDay,
    admin,
    officer,
    outbox_count,
    post,
    scalar,
    simplified_decision,
    township_officer,
)


def delegation_body(township: str, **overrides: Any) -> dict[str, Any]:
    """A delegation of the general procedure and fines for 2026."""
    return {
        "township_code": township,
        "scope": ["general_procedure", "fine"],
        "starts_on": "2026-01-01",
        "ends_on": "2026-12-31",
        "document_number": f"洪应急委〔2026〕{uuid.uuid4().hex[:6]}号",
        "document_title": "行政执法委托书",
        "published_on": "2025-12-20",
        **overrides,
    }


@dataclass(frozen=True)
class Delegated:
    """A township holding a delegation, an enterprise there and the headers of one of its officers."""

    township: str
    enterprise: uuid.UUID
    officer: dict[str, str]
    delegation: dict[str, Any]


Delegate = Callable[..., Awaitable[Delegated]]


@pytest.fixture
def delegate(client: httpx.AsyncClient, stack: Stack, enterprise_in: EnterpriseIn, legal_today: LegalDay) -> Delegate:
    """Grants `township` a delegation (`delegation_body` with `terms`) on the legal day `on`, after seeding an
    enterprise there."""

    async def grant(township: str, on: str, **terms: Any) -> Delegated:
        enterprise = await enterprise_in(township)
        legal_today(on)
        delegation = await post(client, admin(stack), "/api/v1/delegations", delegation_body(township, **terms))
        return Delegated(township, enterprise, township_officer(stack, township), delegation)

    return grant


async def file_delegated_case(
    client: httpx.AsyncClient, headers: dict[str, str], enterprise: uuid.UUID, filed_on: str
) -> dict[str, Any]:
    """A case a township files under its delegation, investigated by two of its officers."""
    case = await post(
        client,
        headers,
        "/api/v1/cases",
        {
            "party_type": "unit",
            "party_name": "某厂",
            "enterprise_id": str(enterprise),
            "cause": "未按规定开展安全培训",
            "filed_on": filed_on,
        },
    )
    assert case["delegated"]
    return await post(
        client, headers, f"/api/v1/cases/{case['id']}/investigation", {"officers": ["乡执法甲", "乡执法乙"]}
    )


Attempts = list[tuple[str, dict[str, Any]]]


def refusals(
    client: httpx.AsyncClient, engine: AsyncEngine, headers: dict[str, str], case_id: str
) -> Callable[[Attempts, str], Awaitable[None]]:
    """A check of attempts by `headers` on one case: each is refused with 403 outside-delegation naming the
    reason, and nothing changes."""

    async def refused(attempts: Attempts, reason: str) -> None:
        before = (
            (await client.get(f"/api/v1/cases/{case_id}", headers=headers)).json()["version"],
            await outbox_count(engine),
        )
        for path, body in attempts:
            response = await client.post(f"/api/v1/cases/{case_id}/{path}", json=body, headers=headers)
            assert response.status_code == 403, (path, response.text)
            problem = response.json()
            assert problem["type"].endswith("/outside-delegation"), (path, problem)
            assert reason in problem["detail"], (path, problem["detail"])
        after = (await client.get(f"/api/v1/cases/{case_id}", headers=headers)).json()["version"]
        assert (after, await outbox_count(engine)) == before

    return refused


FINE = [{"kind": "fine", "amount_fen": 500_000}]


async def test_a_township_can_no_longer_act_once_its_delegation_is_revoked_but_the_bureau_can(
    client: httpx.AsyncClient, stack: Stack, engine: AsyncEngine, legal_today: LegalDay, delegate: Delegate
) -> None:
    granted = await delegate("431281122000", on="2026-04-10")
    township, t = granted.township, granted.officer
    case = await file_delegated_case(client, t, granted.enterprise, "2026-04-01")
    cid = case["id"]
    await post(
        client,
        admin(stack),
        f"/api/v1/delegations/{granted.delegation['id']}/revocation",
        {"revoked_on": "2026-04-15", "reason": "收回"},
    )
    # Before the revocation takes effect the township still acts.
    await post(
        client,
        t,
        f"/api/v1/cases/{cid}/evidence",
        {"kind": "record", "title": "询问笔录", "collected_on": "2026-04-11"},
    )

    legal_today("2026-04-20")
    attempts: Attempts = [
        ("investigation", {"officers": ["乡执法甲", "乡执法乙"]}),
        ("evidence", {"kind": "photo", "title": "现场照片", "collected_on": "2026-04-20"}),
        ("legal-review", {"items": FINE, "reviewed_on": "2026-04-20"}),
        ("notice", {"items": FINE, "notified_on": "2026-04-20"}),
        ("extension", {"opinion": "延长"}),
        ("decision", {"outcome": "penalty", "items": FINE, "decided_on": "2026-04-20"}),
        ("service", {"served_on": "2026-04-20"}),
        ("payments", {"paid_on": "2026-04-20", "amount_fen": 500_000}),
        ("execution", {"how": "voluntary", "executed_on": "2026-04-20"}),
        ("closure", {"closed_on": "2026-04-20"}),
        ("archive", {"archived_on": "2026-04-20"}),
    ]
    refused = refusals(client, engine, t, cid)
    await refused(attempts, "the delegation was revoked on 2026-04-15")
    # Dating the act back into the delegation's term does not help: the township no longer holds it.
    await refused(
        [("notice", {"items": FINE, "notified_on": "2026-04-14"})],
        "on 2026-04-20, the day the act is recorded: the delegation was revoked on 2026-04-15",
    )

    # The bureau, in whose name the case was begun, carries it on.
    h = officer(stack)
    await post(client, h, f"/api/v1/cases/{cid}/notice", {"items": FINE, "notified_on": "2026-04-20"})
    await post(client, h, f"/api/v1/cases/{cid}/hearing-waiver", {})
    decided = await post(
        client, h, f"/api/v1/cases/{cid}/decision", {"outcome": "penalty", "items": FINE, "decided_on": "2026-04-21"}
    )
    assert (decided["stage"], decided["delegated"], decided["delegated_township_code"], decided["unit_code"]) == (
        "decided",
        True,
        township,
        "yjj",
    )


async def test_a_township_can_no_longer_act_after_its_delegation_expired_until_a_new_one_is_granted(
    client: httpx.AsyncClient, stack: Stack, engine: AsyncEngine, legal_today: LegalDay, delegate: Delegate
) -> None:
    granted = await delegate("431281123000", on="2026-06-20", ends_on="2026-06-30")
    township, t = granted.township, granted.officer
    cid = (await file_delegated_case(client, t, granted.enterprise, "2026-06-10"))["id"]
    refused = refusals(client, engine, t, cid)

    legal_today("2026-07-02")
    await refused(
        [("extension", {"opinion": "延长"}), ("hearing-waiver", {})],
        "the delegation runs from 2026-01-01 to 2026-06-30; 2026-07-02 is outside it",
    )
    await refused(
        [("notice", {"items": FINE, "notified_on": "2026-06-29"})],
        "on 2026-07-02, the day the act is recorded",
    )

    await post(
        client,
        admin(stack),
        "/api/v1/delegations",
        delegation_body(township, starts_on="2026-07-01", published_on="2026-06-25"),
    )
    notified = await post(client, t, f"/api/v1/cases/{cid}/notice", {"items": FINE, "notified_on": "2026-07-02"})
    assert notified["stage"] == "notified"


async def test_a_township_cannot_propose_a_penalty_outside_its_delegation(
    client: httpx.AsyncClient, stack: Stack, engine: AsyncEngine, delegate: Delegate
) -> None:
    granted = await delegate("431281124000", on="2026-04-10", max_fine_fen=1_000_000)
    t = granted.officer
    cid = (await file_delegated_case(client, t, granted.enterprise, "2026-04-01"))["id"]
    refused = refusals(client, engine, t, cid)
    stop = [*FINE, {"kind": "stop_production"}]
    await refused(
        [
            ("legal-review", {"items": stop, "reviewed_on": "2026-04-02"}),
            ("notice", {"items": stop, "notified_on": "2026-04-02"}),
        ],
        "the delegation does not cover: stop_production",
    )
    await refused(
        [("notice", {"items": [{"kind": "fine", "amount_fen": 1_000_100}], "notified_on": "2026-04-02"})],
        "the delegation allows fines up to 10000 yuan",
    )

    # The bureau holds the power itself: it may propose the stop order on the township's case.
    reviewed = await post(
        client, officer(stack), f"/api/v1/cases/{cid}/legal-review", {"items": stop, "reviewed_on": "2026-04-03"}
    )
    assert reviewed["stage"] == "legal_review"
    notified = await post(client, t, f"/api/v1/cases/{cid}/notice", {"items": FINE, "notified_on": "2026-04-04"})
    assert [i["kind"] for i in notified["proposed_items"]] == ["fine"]


async def test_only_the_city_administration_and_the_bureau_grant_and_revoke_within_their_jurisdiction(
    client: httpx.AsyncClient, stack: Stack, engine: AsyncEngine
) -> None:
    township = "431281125000"
    body = delegation_body(township)
    other_department = officer(stack, "zjj")
    bureau_elsewhere = token(stack, ["department_officer"], jurisdictions=[OTHER_TOWNSHIP], department="yjj")
    count_sql = "SELECT count(*) FROM enforcement.delegation WHERE township_code = :t"
    outbox_before = await outbox_count(engine)
    for headers, reason in [
        (other_department, "only the city administration or an officer of the bureau (yjj)"),
        (township_officer(stack, township), "needs one of the roles"),
        (bureau_elsewhere, f"township {township} lies outside the caller's jurisdiction"),
    ]:
        response = await client.post("/api/v1/delegations", json=body, headers=headers)
        assert response.status_code == 403, response.text
        assert reason in response.json()["detail"]
    assert await scalar(engine, count_sql, t=township) == 0
    assert await outbox_count(engine) == outbox_before

    bureau = officer(stack)
    granted = await post(client, bureau, "/api/v1/delegations", body)
    assert granted["township_code"] == township

    revocation = {"revoked_on": "2026-06-01", "reason": "调整"}
    path = f"/api/v1/delegations/{granted['id']}/revocation"
    outbox_before = await outbox_count(engine)
    for headers, status, reason in [
        (other_department, 403, "only the city administration or an officer of the bureau (yjj)"),
        (township_officer(stack, township), 403, "needs one of the roles"),
        (bureau_elsewhere, 404, "delegation not found"),
    ]:
        response = await client.post(path, json=revocation, headers=headers)
        assert response.status_code == status, response.text
        assert reason in response.json()["detail"]
    unchanged = (await client.get(f"/api/v1/delegations/{granted['id']}", headers=bureau)).json()
    assert (unchanged["version"], unchanged["revoked_on"]) == (1, None)
    assert await outbox_count(engine) == outbox_before
    revoked = await post(client, bureau, path, revocation)
    assert revoked["revoked_on"] == "2026-06-01"


async def test_the_delegation_list_pages_and_filters_in_sql_on_its_indexes(
    client: httpx.AsyncClient, stack: Stack, engine: AsyncEngine
) -> None:
    township, neighbour = "431281126000", "431281127000"
    h = admin(stack)
    last_year = await post(
        client,
        h,
        "/api/v1/delegations",
        delegation_body(township, starts_on="2025-01-01", ends_on="2025-12-31", published_on="2024-12-20"),
    )
    first_half = await post(client, h, "/api/v1/delegations", delegation_body(township, ends_on="2026-06-30"))
    second_half = await post(
        client, h, "/api/v1/delegations", delegation_body(township, starts_on="2026-07-01", published_on="2026-06-25")
    )
    await post(
        client, h, f"/api/v1/delegations/{second_half['id']}/revocation", {"revoked_on": "2026-09-01", "reason": "收回"}
    )
    theirs = await post(client, h, "/api/v1/delegations", delegation_body(neighbour))

    async def ids(query: str, headers: dict[str, str] = h) -> list[str]:
        response = await client.get(f"/api/v1/delegations?{query}", headers=headers)
        assert response.status_code == 200, response.text
        return [d["id"] for d in response.json()["items"]]

    page1 = (
        await client.get(f"/api/v1/delegations?township_code={township}&limit=2&include_total=true", headers=h)
    ).json()
    assert page1["total"] == 3
    assert [d["id"] for d in page1["items"]] == [second_half["id"], first_half["id"]]
    page2 = (
        await client.get(
            f"/api/v1/delegations?township_code={township}&limit=2&cursor={page1['next_cursor']}", headers=h
        )
    ).json()
    assert ([d["id"] for d in page2["items"]], page2["next_cursor"]) == ([last_year["id"]], None)

    assert await ids(f"township_code={township}&in_force_on=2026-03-01") == [first_half["id"]]
    assert await ids(f"township_code={township}&in_force_on=2026-08-31") == [second_half["id"]]
    assert await ids(f"township_code={township}&in_force_on=2026-09-01") == []
    assert await ids(f"township_code={township}&revoked=true") == [second_half["id"]]
    assert await ids(f"township_code={township}&revoked=false") == [first_half["id"], last_year["id"]]
    assert theirs["id"] in await ids("in_force_on=2026-09-01")
    assert await ids("limit=200", headers=township_officer(stack, neighbour)) == [theirs["id"]]
    assert (await client.get("/api/v1/delegations?cursor=garbage", headers=h)).status_code == 422

    # Each filter is answered from an index, not by reading the whole table.
    for filters, index in [
        (DelegationFilter(township_code=township), "ix_delegation_township_code_starts_on_id"),
        (DelegationFilter(in_force_on=date(2026, 7, 1)), "ix_delegation_starts_on_id"),
    ]:
        sql = page_query(filters, limit=51, after=None).compile(
            dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True}
        )
        async with engine.connect() as conn:
            await conn.execute(text("SET LOCAL enable_seqscan = off"))
            plan = "\n".join(row[0] for row in await conn.execute(text(f"EXPLAIN {sql}")))
        assert index in plan, plan


async def test_the_city_administration_enters_a_townships_past_act_covered_on_its_own_day(
    client: httpx.AsyncClient, stack: Stack, engine: AsyncEngine, delegate: Delegate
) -> None:
    """History: a 2023 township decision entered in 2026 needs the 2023 delegation on the day of the act. The
    township itself may no longer record it (its power ended); the city administration enters it as history."""
    term_2023 = {"starts_on": "2023-01-01", "ends_on": "2023-12-31", "published_on": "2022-12-20"}
    granted = await delegate("431281124000", on="2026-03-01", scope=["simplified_procedure", "fine"], **term_2023)
    township, enterprise = granted.township, granted.enterprise
    body = simplified_decision(enterprise, decided_on="2023-05-10", fine_fen=50_000, officers=["乡执法甲", "乡执法乙"])
    by_township = await client.post("/api/v1/cases/simplified", json=body, headers=township_officer(stack, township))
    assert by_township.status_code == 403, by_township.text
    assert "on 2026-03-01, the day the act is recorded" in by_township.json()["detail"]

    entered = await post(client, admin(stack), "/api/v1/cases/simplified", {**body, "unit_code": township})
    assert (entered["delegated"], entered["delegated_township_code"], entered["unit_code"]) == (True, township, "yjj")

    cases_before = await scalar(engine, "SELECT count(*) FROM enforcement.penalty_case")
    outside = await client.post(
        "/api/v1/cases/simplified",
        json={**body, "unit_code": township, "decided_on": "2024-02-01"},
        headers=admin(stack),
    )
    assert outside.status_code == 403
    assert "2024-02-01 is outside it" in outside.json()["detail"]
    assert await scalar(engine, "SELECT count(*) FROM enforcement.penalty_case") == cases_before
