"""The enterprise read model a consuming service keeps from the supervisor service's events.

A service declares its table with the column mixin and gets the handlers for its consumer:

    class EnterpriseView(EnterpriseViewColumns, Base):
        __tablename__ = "enterprise_view"

    HANDLERS = enterprise_view_handlers(EnterpriseView)
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, Index, Integer, String, func, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from shared.contracts.envelope import EventEnvelope, EventPayload
from shared.contracts.supervisor import EnterpriseRegisteredV1, EnterpriseStatusChangedV1, EnterpriseUpdatedV1
from shared.db.types import utcnow
from shared.db.uow import UnitOfWork
from shared.messaging.consumer import Handler


class EnterpriseViewColumns:
    """Columns of an enterprise read model; `aggregate_version` guards against stale events."""

    enterprise_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    credit_code: Mapped[str] = mapped_column(String(18))
    industry_code: Mapped[str] = mapped_column(String(8))
    township_code: Mapped[str] = mapped_column(String(12))
    village_code: Mapped[str | None] = mapped_column(String(12))
    employee_count: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16))
    aggregate_version: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, server_default=func.now())

    @declared_attr.directive
    @classmethod
    def __table_args__(cls) -> tuple[Any, ...]:
        """Jurisdiction filters look enterprises up by township."""
        return (Index(f"ix_{cls.__tablename__}_township_code", "township_code"),)  # type: ignore[attr-defined]


async def upsert_if_newer(uow: UnitOfWork, model: type[EnterpriseViewColumns], values: dict[str, Any]) -> None:
    """Insert the enterprise, or overwrite it only with a newer aggregate version."""
    stmt = insert(model).values(**values)
    columns = {k: stmt.excluded[k] for k in values if k != "enterprise_id"}
    await uow.session.execute(
        stmt.on_conflict_do_update(
            index_elements=[model.enterprise_id],
            set_={**columns, "updated_at": func.now()},
            where=model.aggregate_version < stmt.excluded.aggregate_version,
        )
    )


def enterprise_view_handlers(model: type[EnterpriseViewColumns]) -> dict[str, Handler]:
    """Consumer handlers that keep `model` up to date from enterprise events."""

    async def apply_snapshot(uow: UnitOfWork, envelope: EventEnvelope, payload: EventPayload) -> None:
        assert isinstance(payload, EnterpriseRegisteredV1 | EnterpriseUpdatedV1)
        await upsert_if_newer(
            uow,
            model,
            {
                "enterprise_id": uuid.UUID(payload.enterprise_id),
                "name": payload.name,
                "credit_code": payload.credit_code,
                "industry_code": payload.industry_code,
                "township_code": payload.township_code,
                "village_code": payload.village_code,
                "employee_count": payload.employee_count,
                "status": payload.status,
                "aggregate_version": envelope.aggregate_version,
            },
        )

    async def apply_status_changed(uow: UnitOfWork, envelope: EventEnvelope, payload: EventPayload) -> None:
        assert isinstance(payload, EnterpriseStatusChangedV1)
        version = envelope.aggregate_version
        await uow.session.execute(
            update(model)
            .where(model.enterprise_id == uuid.UUID(payload.enterprise_id), model.aggregate_version < version)
            .values(status=payload.status, aggregate_version=version, updated_at=func.now())
        )

    return {
        "enterprise.registered": apply_snapshot,
        "enterprise.updated": apply_snapshot,
        "enterprise.status_changed": apply_status_changed,
    }
