"""Async engine and session factory."""

from __future__ import annotations

from typing import Any, cast

import asyncpg
from sqlalchemy import event
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from shared.settings import ServiceSettings


def create_engine(settings: ServiceSettings, *, pool_size: int | None = None) -> AsyncEngine:
    """An asyncpg engine sized by the settings, tagged with the service name in pg_stat_activity."""
    engine = create_async_engine(
        settings.database_url,
        pool_size=pool_size or settings.db_pool_size,
        max_overflow=settings.db_max_overflow,
        pool_timeout=settings.db_pool_timeout_s,
        connect_args={"server_settings": {"application_name": settings.service_name}},
    )
    event.listen(engine.sync_engine, "checkout", _replace_closed_connection)
    return engine


def _replace_closed_connection(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
    """Hand out no connection the server has closed (a restart, an idle timeout): the pool then opens a new one.

    asyncpg learns of a closed socket without a round trip, so this costs nothing per checkout, unlike
    `pool_pre_ping`, which with asyncpg spends three round trips (BEGIN, a ping, ROLLBACK) on every request.
    A connection that breaks while in use is still discarded by SQLAlchemy's disconnect detection.
    """
    if dbapi_connection.driver_connection.is_closed():
        raise DisconnectionError("the server closed this pooled connection")


def create_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions that keep loaded objects usable after commit."""
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)


async def driver_connection(session: AsyncSession) -> asyncpg.Connection:
    """The asyncpg connection under a session, in the session's transaction (or autocommit, for a read session).

    Only for what SQLAlchemy does not offer: hand-built SQL with positional parameters in one round trip,
    COPY, statements over arrays of rows. Everything else goes through the session.
    """
    raw = await (await session.connection()).get_raw_connection()
    adapted: Any = raw.dbapi_connection
    # SQLAlchemy's asyncpg adapter sends BEGIN lazily, before its own first statement; without this a
    # driver statement sent first would commit on its own. The adapter skips BEGIN under autocommit.
    if adapted._transaction is None:
        await adapted._start_transaction()
    return cast(asyncpg.Connection, raw.driver_connection)
