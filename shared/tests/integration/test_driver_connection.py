"""`driver_connection`: the asyncpg connection under a session shares the session's transaction."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from shared.db.engine import driver_connection

from .conftest import COUNTER


async def test_driver_statements_commit_and_roll_back_with_the_session(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    insert = "INSERT INTO platform_test.counter (counter_id, total, aggregate_version) VALUES ($1, 1, 1)"
    async with sessionmaker() as session:
        await (await driver_connection(session)).execute(insert, "driver-rolled-back")
        assert await session.scalar(select(COUNTER.c.total).where(COUNTER.c.counter_id == "driver-rolled-back")) == 1
        await session.rollback()
        await (await driver_connection(session)).execute(insert, "driver-committed")
        await session.commit()
    async with sessionmaker() as session:
        kept = await session.scalars(select(COUNTER.c.counter_id).where(COUNTER.c.counter_id.like("driver-%")))
        assert list(kept) == ["driver-committed"]
        await session.execute(delete(COUNTER).where(COUNTER.c.counter_id == "driver-committed"))
        await session.commit()
