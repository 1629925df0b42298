"""Enterprise registry over the real database and broker: register, validate, update, status, list."""

from __future__ import annotations

from typing import Any

from sqlalchemy import text

from shared.contracts.topics import SUPERVISOR_EVENTS
from shared.db import create_engine, create_sessionmaker
from shared.testing.helpers import read_topic
from supervisor_service.config import SupervisorSettings
from supervisor_service.enterprises import repository

from .aliases import Client, Factory, Headers
from .conftest import ANJIANG, QIANCHENG, TUOKOU, enterprise_body


async def test_registering_publishes_the_full_snapshot(
    client: Client, admin: Headers, stack: Any, worker: None
) -> None:
    body = enterprise_body(name="洪江市黔城镇快照测试有限公司")
    response = await client.post("/api/v1/enterprises", json=body, headers=admin)
    assert response.status_code == 201, response.text
    created = response.json()
    assert response.headers["ETag"] == 'W/"1"'
    assert created["industry_section"] == "C"
    assert created["status"] == "operating"
    found = await read_topic(
        stack,
        SUPERVISOR_EVENTS,
        lambda v: v.get("aggregate_id") == created["id"] and v["event_type"] == "enterprise.registered",
    )
    key, value, _ = found[0]
    assert key == created["id"].encode()
    assert value["data"]["credit_code"] == body["credit_code"]
    assert value["data"]["supervising_department"] == "yjj"
    assert value["jurisdiction"] == QIANCHENG


async def test_credit_code_check_character_and_uniqueness(client: Client, admin: Headers, register: Factory) -> None:
    body = enterprise_body()
    wrong = body["credit_code"][:17] + ("0" if body["credit_code"][17] != "0" else "1")
    response = await client.post("/api/v1/enterprises", json={**body, "credit_code": wrong}, headers=admin)
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["errors"][0]["field"].endswith("credit_code")
    assert "check character" in response.json()["errors"][0]["reason"]

    existing = await register()
    again = await client.post(
        "/api/v1/enterprises", json=enterprise_body(credit_code=existing["credit_code"]), headers=admin
    )
    assert again.status_code == 409
    assert again.json()["type"].endswith("duplicate-credit-code")


async def test_reference_codes_are_validated(client: Client, admin: Headers) -> None:
    unknown_township = await client.post(
        "/api/v1/enterprises", json=enterprise_body(township_code="431281999000", village_code=None), headers=admin
    )
    assert unknown_township.status_code == 422
    wrong_village = await client.post("/api/v1/enterprises", json=enterprise_body(township_code=ANJIANG), headers=admin)
    assert wrong_village.status_code == 422
    assert wrong_village.json()["errors"][0]["field"] == "village_code"
    unknown_industry = await client.post("/api/v1/enterprises", json=enterprise_body(industry_code="98"), headers=admin)
    assert unknown_industry.status_code == 422


async def test_update_uses_if_match_and_publishes_the_new_state(
    client: Client, admin: Headers, register: Factory, stack: Any, worker: None
) -> None:
    created = await register()
    url = f"/api/v1/enterprises/{created['id']}"
    stale = await client.patch(url, json={"employee_count": 40}, headers={**admin, "If-Match": 'W/"7"'})
    assert stale.status_code == 409
    ok = await client.patch(
        url, json={"employee_count": 40, "risk_level": "large"}, headers={**admin, "If-Match": 'W/"1"'}
    )
    assert ok.status_code == 200, ok.text
    assert ok.json()["version"] == 2
    assert ok.headers["ETag"] == 'W/"2"'
    found = await read_topic(
        stack,
        SUPERVISOR_EVENTS,
        lambda v: v.get("aggregate_id") == created["id"] and v["event_type"] == "enterprise.updated",
    )
    assert found[0][1]["aggregate_version"] == 2
    assert found[0][1]["data"]["employee_count"] == 40
    assert found[0][1]["data"]["risk_level"] == "large"


async def test_status_changes_are_actions_with_a_state_machine(
    client: Client, admin: Headers, register: Factory, new_supervisor: Factory, assign: Factory
) -> None:
    created = await register()
    supervisor = await new_supervisor()
    await assign(supervisor["id"], created["id"])
    url = f"/api/v1/enterprises/{created['id']}"
    suspended = await client.post(f"{url}/suspend", json={"reason": "停产整顿"}, headers=admin)
    assert suspended.status_code == 200
    assert suspended.json()["status"] == "suspended"
    assert (await client.post(f"{url}/suspend", headers=admin)).status_code == 409
    assert (await client.post(f"{url}/resume", headers=admin)).json()["status"] == "operating"
    closed = await client.post(f"{url}/close", headers={**admin, "If-Match": 'W/"3"'})
    assert closed.status_code == 200, closed.text
    assert closed.json()["status"] == "closed"
    again = await client.post(f"{url}/resume", headers=admin)
    assert again.status_code == 409
    assert again.json()["type"].endswith("illegal-enterprise-status-change")
    history = await client.get("/api/v1/assignments", params={"enterprise_id": created["id"]}, headers=admin)
    [ended] = history.json()["items"]
    assert ended["active"] is False
    assert ended["end_reason"] == "enterprise closed"


async def test_list_filters_search_and_keyset_pagination(
    client: Client, admin: Headers, register: Factory, new_supervisor: Factory, assign: Factory
) -> None:
    async def in_tuokou(name: str, **fields: Any) -> dict[str, Any]:
        return dict(await register(name=f"洪江市托口镇甲乙丙{name}", township_code=TUOKOU, village_code=None, **fields))

    small = await in_tuokou("竹木加工厂", employee_count=5)
    big = await in_tuokou("水泥有限公司", industry_code="30", employee_count=350, risk_level="major")
    shop = await in_tuokou("超市", industry_code="52", employee_count=2, risk_level="low", supervising_department="swj")
    supervisor = await new_supervisor()
    await assign(supervisor["id"], big["id"])

    async def names(**params: Any) -> list[str]:
        response = await client.get("/api/v1/enterprises", params={"q": "甲乙丙", **params}, headers=admin)
        assert response.status_code == 200, response.text
        return [item["name"] for item in response.json()["items"]]

    assert set(await names()) == {small["name"], big["name"], shop["name"]}
    # Two-character searches (the bigram index) see every enterprise, including other tests' ones.
    assert big["name"] in await names(q="水泥")
    assert shop["name"] in await names(q="超市")
    assert await names(q="丙竹木") == [small["name"]]
    assert set(await names(township_code=TUOKOU)) == {small["name"], big["name"], shop["name"]}
    assert await names(township_code=QIANCHENG) == []
    assert await names(industry_code="C") == sorted([small["name"], big["name"]])
    assert await names(industry_code="30") == [big["name"]]
    assert await names(size="large") == [big["name"]]
    assert await names(size="micro") == sorted([small["name"], shop["name"]])
    assert await names(risk_level="major") == [big["name"]]
    assert await names(covered="true") == [big["name"]]
    assert await names(covered="false") == sorted([small["name"], shop["name"]])
    assert await names(supervising_department="swj") == [shop["name"]]
    listed = (await client.get("/api/v1/enterprises", params={"q": "甲乙丙水泥"}, headers=admin)).json()
    assert listed["items"][0]["supervisor_name"] == supervisor["name"]

    seen: list[str] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"q": "甲乙丙", "limit": 2, "include_total": "true"}
        if cursor:
            params["cursor"] = cursor
        page = (await client.get("/api/v1/enterprises", params=params, headers=admin)).json()
        assert page["total"] == 3
        seen += [i["name"] for i in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == sorted(seen)
    assert len(seen) == 3
    bad = await client.get("/api/v1/enterprises", params={"cursor": "not-a-cursor"}, headers=admin)
    assert bad.status_code == 422


async def test_a_search_keeps_its_planner_settings_on_the_autocommit_read_session(settings: SupervisorSettings) -> None:
    engine = create_engine(settings, pool_size=1)
    reads = create_sessionmaker(engine.execution_options(isolation_level="AUTOCOMMIT"))
    setting = text("SELECT current_setting('enable_seqscan')")
    try:
        async with reads() as session:
            await session.execute(text("SELECT 1"))  # as when the caller's scope was looked up first
            await repository.page(session, [], after=None, limit=1, searching=True)
            assert await session.scalar(setting) == "off"
        async with reads() as session:
            assert await session.scalar(setting) == "on"
            # The pooled connection autocommits again: a transaction-local setting ends with its statement.
            await session.execute(text("SELECT set_config('enable_seqscan', 'off', true)"))
            assert await session.scalar(setting) == "on"
    finally:
        await engine.dispose()
