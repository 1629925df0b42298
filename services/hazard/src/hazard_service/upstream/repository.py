"""Queries of the upstream outbox, the id mapping and the target states."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from hazard_service.upstream.models import UpstreamMapping, UpstreamMessage, UpstreamTargetState


async def enqueue(
    session: AsyncSession,
    *,
    targets: Sequence[str],
    message_id: uuid.UUID,
    hazard_id: uuid.UUID,
    township_code: str,
    event_type: str,
    payload: dict[str, Any],
) -> None:
    """Queue one hazard change for every target, in the transaction of the change itself."""
    if not targets:
        return
    await session.execute(
        insert(UpstreamMessage)
        .values(
            [
                {
                    "target": target,
                    "message_id": message_id,
                    "hazard_id": hazard_id,
                    "township_code": township_code,
                    "event_type": event_type,
                    "payload": payload,
                }
                for target in targets
            ]
        )
        .on_conflict_do_nothing(index_elements=["target", "message_id"])
    )
    await session.execute(
        insert(UpstreamMapping)
        .values([{"target": t, "hazard_id": hazard_id, "sync_status": "pending", "version": 1} for t in targets])
        .on_conflict_do_nothing(index_elements=["target", "hazard_id"])
    )


async def due_messages(session: AsyncSession, target: str, now: datetime, limit: int) -> Sequence[UpstreamMessage]:
    """The target's oldest unsent messages, if the oldest is due (order is kept: a failure blocks the rest)."""
    stmt = (
        select(UpstreamMessage)
        .where(UpstreamMessage.target == target, UpstreamMessage.sent_at.is_(None))
        .order_by(UpstreamMessage.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    rows = (await session.execute(stmt)).scalars().all()
    if rows and rows[0].next_attempt_at > now:
        return []
    return rows


async def mapping(session: AsyncSession, target: str, hazard_id: uuid.UUID) -> UpstreamMapping | None:
    """The id mapping of a hazard at a target."""
    return await session.get(UpstreamMapping, (target, hazard_id), with_for_update=True)


async def mappings(session: AsyncSession, hazard_id: uuid.UUID) -> Sequence[UpstreamMapping]:
    """A hazard's mappings at every target."""
    stmt = select(UpstreamMapping).where(UpstreamMapping.hazard_id == hazard_id).order_by(UpstreamMapping.target)
    return (await session.execute(stmt)).scalars().all()


async def target_state(session: AsyncSession, target: str) -> UpstreamTargetState:
    """The delivery state of a target, created on first use."""
    state = await session.get(UpstreamTargetState, target, with_for_update=True)
    if state is None:
        state = UpstreamTargetState(target=target, consecutive_failures=0, alerting=False)
        session.add(state)
        await session.flush()
    return state


async def target_states(session: AsyncSession) -> Sequence[UpstreamTargetState]:
    """Every target's delivery state."""
    stmt = select(UpstreamTargetState).order_by(UpstreamTargetState.target)
    return (await session.execute(stmt)).scalars().all()


async def backlog(session: AsyncSession) -> dict[str, tuple[int, datetime | None]]:
    """Unsent messages per target and the creation time of the oldest."""
    stmt = (
        select(UpstreamMessage.target, func.count(), func.min(UpstreamMessage.created_at))
        .where(UpstreamMessage.sent_at.is_(None))
        .group_by(UpstreamMessage.target)
    )
    return {row[0]: (int(row[1]), row[2]) for row in (await session.execute(stmt)).all()}


async def messages(
    session: AsyncSession, *, target: str | None, unsent_only: bool, after_id: int | None, limit: int
) -> Sequence[UpstreamMessage]:
    """Messages of the upstream outbox, newest first."""
    stmt = select(UpstreamMessage)
    if target:
        stmt = stmt.where(UpstreamMessage.target == target)
    if unsent_only:
        stmt = stmt.where(UpstreamMessage.sent_at.is_(None))
    if after_id is not None:
        stmt = stmt.where(UpstreamMessage.id < after_id)
    return (await session.execute(stmt.order_by(UpstreamMessage.id.desc()).limit(limit))).scalars().all()
