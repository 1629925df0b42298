"""Queries of the upstream outbox, the id mapping and the target states."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, func, or_, select, tuple_
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from hazard_service.enterprises.models import EnterpriseView
from hazard_service.hazards.models import Hazard
from hazard_service.standards.models import JudgmentClause, JudgmentStandard
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


PENDING = (UpstreamMessage.sent_at.is_(None), UpstreamMessage.parked_at.is_(None))
PARKED = (UpstreamMessage.parked_at.is_not(None), UpstreamMessage.discarded_at.is_(None))


async def due_targets(session: AsyncSession, targets: Sequence[str], now: datetime) -> list[str]:
    """The targets whose oldest pending message is due: one index probe per target, no row read when idle."""
    due = []
    for target in targets:
        stmt = (
            select(UpstreamMessage.next_attempt_at)
            .where(UpstreamMessage.target == target, *PENDING)
            .order_by(UpstreamMessage.id)
            .limit(1)
        )
        head = await session.scalar(stmt)
        if head is not None and head <= now:
            due.append(target)
    return due


async def pending(session: AsyncSession, target: str, limit: int) -> Sequence[UpstreamMessage]:
    """The target's oldest pending messages, in order (read without locks: the job's advisory lock keeps other
    replicas out, and nothing else writes a pending message)."""
    stmt = select(UpstreamMessage).where(UpstreamMessage.target == target, *PENDING).order_by(UpstreamMessage.id)
    return (await session.execute(stmt.limit(limit))).scalars().all()


async def enterprises(session: AsyncSession, ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, EnterpriseView]:
    """Enterprises of the read model by id."""
    stmt = select(EnterpriseView).where(EnterpriseView.enterprise_id.in_(set(ids)))
    return {e.enterprise_id: e for e in (await session.execute(stmt)).scalars().all()}


async def clauses(
    session: AsyncSession, keys: Iterable[tuple[str, str | None, str]]
) -> dict[tuple[str, str | None, str], tuple[JudgmentStandard, JudgmentClause]]:
    """The standard version and clause each (standard, version, clause) names; the newest version when unnamed."""
    wanted = set(keys)
    stmt = (
        select(JudgmentStandard, JudgmentClause)
        .join(
            JudgmentClause,
            (JudgmentClause.standard_code == JudgmentStandard.code)
            & (JudgmentClause.standard_version == JudgmentStandard.version),
        )
        .where(tuple_(JudgmentClause.standard_code, JudgmentClause.code).in_([(s, c) for s, _, c in wanted]))
        .order_by(JudgmentStandard.version)
    )
    found: dict[tuple[str, str | None, str], tuple[JudgmentStandard, JudgmentClause]] = {}
    for standard, clause in (await session.execute(stmt)).all():
        for key in ((standard.code, standard.version, clause.code), (standard.code, None, clause.code)):
            if key in wanted:
                found[key] = (standard, clause)
    return found


async def external_ids(session: AsyncSession, target: str, hazard_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, str]:
    """The target's ids of the hazards it already knows."""
    stmt = select(UpstreamMapping.hazard_id, UpstreamMapping.external_id).where(
        UpstreamMapping.target == target,
        UpstreamMapping.hazard_id.in_(set(hazard_ids)),
        UpstreamMapping.external_id.is_not(None),
    )
    return {row[0]: str(row[1]) for row in (await session.execute(stmt)).all()}


async def message(session: AsyncSession, target: str, message_id: uuid.UUID) -> UpstreamMessage | None:
    """One message of a target by its message id."""
    stmt = select(UpstreamMessage).where(UpstreamMessage.target == target, UpstreamMessage.message_id == message_id)
    return (await session.execute(stmt)).scalar_one_or_none()


async def parked(session: AsyncSession, message_id: int, *, lock: bool = False) -> UpstreamMessage | None:
    """A parked message (not discarded) by its row id."""
    stmt = select(UpstreamMessage).where(UpstreamMessage.id == message_id, *PARKED)
    return (await session.execute(stmt.with_for_update() if lock else stmt)).scalar_one_or_none()


async def hazard_state(session: AsyncSession, hazard_id: uuid.UUID) -> tuple[int, str] | None:
    """A hazard's version and status (for a timeline entry that does not change it)."""
    row = (await session.execute(select(Hazard.version, Hazard.status).where(Hazard.id == hazard_id))).first()
    return (row[0], row[1]) if row else None


async def reconciliation(
    session: AsyncSession, start: datetime, end: datetime, limit: int
) -> tuple[dict[str, dict[str, int]], dict[str, list[uuid.UUID]]]:
    """Per target, counts of what was sent, receipted, parked and discarded in [start, end), and the messages
    sent then that no receipt has acknowledged yet (at most `limit` per target)."""
    sent = (UpstreamMessage.sent_at >= start) & (UpstreamMessage.sent_at < end)
    receipt = UpstreamMessage.receipt_status
    counts = select(
        UpstreamMessage.target,
        func.count().filter(sent).label("sent"),
        func.count().filter(sent, receipt == "accepted").label("acknowledged"),
        func.count().filter(sent, receipt == "rejected").label("rejected"),
        func.count().filter(sent, receipt == "corrected").label("corrected"),
        func.count().filter(sent, receipt.is_(None)).label("unacknowledged"),
        func.count().filter(UpstreamMessage.parked_at >= start, UpstreamMessage.parked_at < end).label("parked"),
        func.count()
        .filter(UpstreamMessage.discarded_at >= start, UpstreamMessage.discarded_at < end)
        .label("discarded"),
    ).where(
        or_(
            *(
                column >= start
                for column in (UpstreamMessage.sent_at, UpstreamMessage.parked_at, UpstreamMessage.discarded_at)
            )
        )
    )
    rows = (await session.execute(counts.group_by(UpstreamMessage.target))).mappings().all()
    totals = {row["target"]: {k: int(v) for k, v in row.items() if k != "target"} for row in rows}
    missing: dict[str, list[uuid.UUID]] = {}
    for target in totals:
        stmt = (
            select(UpstreamMessage.message_id)
            .where(UpstreamMessage.target == target, sent, receipt.is_(None))
            .order_by(UpstreamMessage.sent_at)
            .limit(limit)
        )
        missing[target] = list((await session.execute(stmt)).scalars().all())
    return totals, missing


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


async def backlog(session: AsyncSession) -> dict[str, tuple[int, datetime | None, int]]:
    """Per target: pending messages, the creation time of the oldest, and parked messages."""
    pending_ = and_(*PENDING)
    stmt = (
        select(
            UpstreamMessage.target,
            func.count().filter(pending_),
            func.min(UpstreamMessage.created_at).filter(pending_),
            func.count().filter(*PARKED),
        )
        .where(UpstreamMessage.sent_at.is_(None), UpstreamMessage.discarded_at.is_(None))
        .group_by(UpstreamMessage.target)
    )
    return {row[0]: (int(row[1]), row[2], int(row[3])) for row in (await session.execute(stmt)).all()}


def outbox(*, target: str | None, unsent_only: bool, parked_only: bool = False) -> Select[UpstreamMessage]:
    """Messages of the upstream outbox: all, unsent, or parked and not discarded (unordered)."""
    stmt = select(UpstreamMessage)
    if target:
        stmt = stmt.where(UpstreamMessage.target == target)
    if unsent_only:
        stmt = stmt.where(UpstreamMessage.sent_at.is_(None), UpstreamMessage.discarded_at.is_(None))
    if parked_only:
        stmt = stmt.where(*PARKED)
    return stmt


async def messages(
    session: AsyncSession, stmt: Select[UpstreamMessage], *, after_id: int | None, limit: int
) -> Sequence[UpstreamMessage]:
    """The outbox's messages `stmt` selects, newest first, before a position."""
    if after_id is not None:
        stmt = stmt.where(UpstreamMessage.id < after_id)
    return (await session.execute(stmt.order_by(UpstreamMessage.id.desc()).limit(limit))).scalars().all()
