"""The driver unit of work over the real PostgreSQL: its change, events, audit entry and Idempotency-Key claim
commit together or not at all, exactly as the session unit of work writes them."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from sqlalchemy import bindparam, func, insert, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from shared.auth.principal import Principal, Role
from shared.context import RequestMeta
from shared.db.driver import DriverStatement
from shared.db.tables import ServiceDatabase
from shared.db.uow import DriverUnitOfWork, IdempotencyClaim, UnitOfWork
from shared.errors import Conflict

from .conftest import COUNTER, Scenario

ACTOR = Principal(subject="driver-tester", roles=frozenset({Role.CITY_ADMIN}), department="yjj")
REQUEST = RequestMeta(client_ip="10.0.0.7", user_agent="pytest", method="POST", path="/api/v1/counters")
INSERT_COUNTER = DriverStatement.of(
    insert(COUNTER).values(counter_id=bindparam("counter_id"), total=bindparam("total"), aggregate_version=1)
)


def _driver_uow(engine: AsyncEngine, database: ServiceDatabase, claim: IdempotencyClaim | None) -> DriverUnitOfWork:
    return DriverUnitOfWork(engine, database, source="platform-test", actor=ACTOR, request=REQUEST, idempotency=claim)


async def _add_counter(uow: DriverUnitOfWork | UnitOfWork, scenario: Scenario, counter_id: str) -> None:
    if isinstance(uow, DriverUnitOfWork):
        await uow.connection.execute(INSERT_COUNTER.sql, *INSERT_COUNTER.args({"counter_id": counter_id, "total": 5}))
    else:
        await uow.session.execute(insert(COUNTER).values(counter_id=counter_id, total=5, aggregate_version=1))
    uow.record(scenario.payload(counter_id=counter_id, amount=5), aggregate_id=counter_id, aggregate_version=1)
    await uow.commit()


async def _written(engine: AsyncEngine, database: ServiceDatabase, counter_id: str) -> dict[str, Any]:
    """What a commit for `counter_id` left: the counter, its outbox row and its audit entry, with the ids that
    differ from one commit to the next (event id, counter id) blanked."""
    outbox, audit = database.outbox, database.audit
    async with engine.connect() as conn:
        counters = await conn.scalar(select(func.count()).where(COUNTER.c.counter_id == counter_id))
        event = (await conn.execute(select(outbox).where(outbox.c.aggregate_id == counter_id))).mappings().one()
        entry = (
            (await conn.execute(select(audit).where(audit.c.actions.contains([{"event_id": str(event["event_id"])}]))))
            .mappings()
            .one()
        )
    data = {**event["payload"]["data"], "counter_id": None}
    return {
        "counters": counters,
        "event": (event["aggregate_type"], event["aggregate_version"], event["event_type"], event["topic"], data),
        "headers": sorted(event["headers"]),
        "audit": {
            key: entry[key]
            for key in ("actor", "actor_roles", "actor_department", "client_ip", "user_agent", "method", "path")
        },
        "actions": [{**action, "event_id": None, "aggregate_id": None} for action in entry["actions"]],
    }


async def test_a_driver_commit_writes_the_change_event_and_audit_entry_as_the_session_unit_of_work_does(
    platform_engine: AsyncEngine,
    sessionmaker: async_sessionmaker[AsyncSession],
    database: ServiceDatabase,
    scenario: Scenario,
) -> None:
    by_driver, by_session = f"drv-{uuid.uuid4().hex[:8]}", f"ses-{uuid.uuid4().hex[:8]}"
    driver_uow = _driver_uow(platform_engine, database, None)
    async with driver_uow:
        await _add_counter(driver_uow, scenario, by_driver)
    session_uow = UnitOfWork(sessionmaker, database, source="platform-test", actor=ACTOR, request=REQUEST)
    async with session_uow:
        await _add_counter(session_uow, scenario, by_session)

    driver_rows = await _written(platform_engine, database, by_driver)
    assert driver_rows["counters"] == 1
    assert driver_rows["event"] == (
        "counter",
        1,
        scenario.event_type,
        scenario.topic,
        {"counter_id": None, "amount": 5},
    )
    assert driver_rows["audit"] == {
        "actor": "driver-tester",
        "actor_roles": ["city_admin"],
        "actor_department": "yjj",
        "client_ip": "10.0.0.7",
        "user_agent": "pytest",
        "method": "POST",
        "path": "/api/v1/counters",
    }
    assert [action["event_type"] for action in driver_rows["actions"]] == [scenario.event_type]
    assert driver_rows == await _written(platform_engine, database, by_session)


async def test_nothing_is_written_and_the_connection_goes_back_when_the_use_case_fails(
    platform_engine: AsyncEngine, database: ServiceDatabase, scenario: Scenario
) -> None:
    counter_id = f"fail-{uuid.uuid4().hex[:8]}"
    checked_out = platform_engine.pool.checkedout()  # type: ignore[attr-defined]
    claim = IdempotencyClaim(subject="driver-tester", key=f"k-{counter_id}", request_hash="h" * 64)

    async def failing_use_case() -> None:
        async with _driver_uow(platform_engine, database, claim) as uow:
            await uow.connection.execute(
                INSERT_COUNTER.sql, *INSERT_COUNTER.args({"counter_id": counter_id, "total": 1})
            )
            uow.record(scenario.payload(counter_id=counter_id, amount=1), aggregate_id=counter_id, aggregate_version=1)
            raise RuntimeError("validation failed late")

    with pytest.raises(RuntimeError, match="validation failed late"):
        await failing_use_case()

    assert platform_engine.pool.checkedout() == checked_out  # type: ignore[attr-defined]
    async with platform_engine.connect() as conn:
        assert await conn.scalar(select(func.count()).where(COUNTER.c.counter_id == counter_id)) == 0
        assert await conn.scalar(select(func.count()).where(database.outbox.c.aggregate_id == counter_id)) == 0
        assert await conn.scalar(select(func.count()).where(database.idempotency.c.key == claim.key)) == 0


@pytest.mark.parametrize(
    ("second_hash", "reason"),
    [("a" * 64, "already being processed"), ("b" * 64, "used for a different request")],
)
async def test_a_key_already_claimed_is_a_conflict_and_the_second_change_is_rolled_back(
    platform_engine: AsyncEngine, database: ServiceDatabase, scenario: Scenario, second_hash: str, reason: str
) -> None:
    key = f"key-{uuid.uuid4().hex[:8]}"
    first, second = f"first-{key}", f"second-{key}"
    claim = IdempotencyClaim(subject="driver-tester", key=key, request_hash="a" * 64)
    async with _driver_uow(platform_engine, database, claim) as uow:
        await _add_counter(uow, scenario, first)

    async def retry() -> None:
        async with _driver_uow(platform_engine, database, IdempotencyClaim("driver-tester", key, second_hash)) as uow:
            await _add_counter(uow, scenario, second)

    with pytest.raises(Conflict, match=reason):
        await retry()

    async with platform_engine.connect() as conn:
        counters = {
            row.counter_id: row.total for row in await conn.execute(select(COUNTER.c.counter_id, COUNTER.c.total))
        }
        claims = await conn.scalar(select(func.count()).where(database.idempotency.c.key == key))
        events = await conn.scalar(select(func.count()).where(database.outbox.c.aggregate_id.in_([first, second])))
    assert counters.get(first) == 5
    assert second not in counters
    assert (claims, events) == (1, 1)
