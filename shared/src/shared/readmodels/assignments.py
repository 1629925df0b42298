"""The resident-supervisor assignment read model a consuming service keeps from the supervisor service's events.

A service declares its table with the column mixin and gets the handlers for its consumer:

    class AssignmentView(AssignmentViewColumns, Base):
        __tablename__ = "assignment_view"

    HANDLERS = assignment_view_handlers(AssignmentView)
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Date, DateTime, Index, Integer, String, exists, func, or_, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from shared.contracts.envelope import EventEnvelope, EventPayload
from shared.contracts.supervisor import AssignmentSnapshot
from shared.db.types import utcnow
from shared.db.uow import UnitOfWork
from shared.messaging.consumer import Handler


class AssignmentViewColumns:
    """Who supervises which enterprise from when to when; `aggregate_version` guards against stale events."""

    assignment_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    supervisor_id: Mapped[str] = mapped_column(String(64))
    enterprise_id: Mapped[uuid.UUID]
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    aggregate_version: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, server_default=func.now())

    @declared_attr.directive
    @classmethod
    def __table_args__(cls) -> tuple[Index, ...]:
        """A supervisor's assignments are looked up by supervisor and enterprise."""
        name = cls.__tablename__  # type: ignore[attr-defined]
        return (Index(f"ix_{name}_supervisor_id_enterprise_id", "supervisor_id", "enterprise_id"),)


def assignment_view_handlers(model: type[AssignmentViewColumns]) -> dict[str, Handler]:
    """Consumer handlers that keep `model` up to date from assignment events (each carries the whole assignment)."""

    async def apply_snapshot(uow: UnitOfWork, envelope: EventEnvelope, payload: EventPayload) -> None:
        assert isinstance(payload, AssignmentSnapshot)
        values = {
            "assignment_id": uuid.UUID(payload.assignment_id),
            "supervisor_id": payload.supervisor_id,
            "enterprise_id": uuid.UUID(payload.enterprise_id),
            "start_date": date.fromisoformat(payload.start_date),
            "end_date": date.fromisoformat(payload.end_date) if payload.end_date else None,
            "aggregate_version": envelope.aggregate_version,
        }
        stmt = insert(model).values(**values)
        await uow.session.execute(
            stmt.on_conflict_do_update(
                index_elements=[model.assignment_id],
                set_={**{k: stmt.excluded[k] for k in values if k != "assignment_id"}, "updated_at": func.now()},
                where=model.aggregate_version < stmt.excluded.aggregate_version,
            )
        )

    return {"assignment.started": apply_snapshot, "assignment.ended": apply_snapshot}


async def is_assigned(
    session: AsyncSession,
    model: type[AssignmentViewColumns],
    *,
    supervisor_id: str,
    enterprise_id: uuid.UUID,
    on: date,
) -> bool:
    """Whether the supervisor was assigned to the enterprise on that day (the end date is the last day)."""
    covering = exists().where(
        model.supervisor_id == supervisor_id,
        model.enterprise_id == enterprise_id,
        model.start_date <= on,
        or_(model.end_date.is_(None), model.end_date >= on),
    )
    return bool(await session.scalar(select(covering)))
