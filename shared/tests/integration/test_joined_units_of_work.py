"""A joined unit of work (one row of a bulk import): its commit writes its events into the outer transaction,
which alone decides whether any of them is kept."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from shared.auth.principal import Principal, Role
from shared.db.tables import ServiceDatabase
from shared.db.uow import UnitOfWork

from .conftest import Scenario

ACTOR = Principal(subject="importer", roles=frozenset({Role.CITY_ADMIN}))


async def _import(
    sessionmaker: async_sessionmaker[AsyncSession], database: ServiceDatabase, scenario: Scenario, *, keep: bool
) -> str:
    """Two rows, each recording an event through its own joined unit of work and committing it."""
    counter_id = uuid.uuid4().hex
    outer = UnitOfWork(sessionmaker, database, source="platform-test", actor=ACTOR)
    async with outer:
        for version in (1, 2):
            row = outer.joined()
            async with row:
                payload = scenario.payload(counter_id=counter_id, amount=version)
                row.record(payload, aggregate_id=counter_id, aggregate_version=version)
                await row.commit()
        if keep:
            await outer.commit()
    return counter_id


async def _events_of(sessionmaker: async_sessionmaker[AsyncSession], database: ServiceDatabase, counter_id: str) -> int:
    async with sessionmaker() as session:
        statement = select(func.count()).where(database.outbox.c.aggregate_id == counter_id)
        return int(await session.scalar(statement) or 0)


async def test_joined_commits_are_kept_only_when_the_outer_unit_commits(
    sessionmaker: async_sessionmaker[AsyncSession], database: ServiceDatabase, scenario: Scenario
) -> None:
    kept = await _import(sessionmaker, database, scenario, keep=True)
    dropped = await _import(sessionmaker, database, scenario, keep=False)
    assert await _events_of(sessionmaker, database, kept) == 2
    assert await _events_of(sessionmaker, database, dropped) == 0
