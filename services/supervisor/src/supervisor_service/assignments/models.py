"""Assignment table."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import Boolean, Date, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shared.db.models import Updated
from supervisor_service.db import Base
from supervisor_service.enterprises.models import Enterprise


class Assignment(Updated, Base):
    """A supervisor resident at an enterprise from start_date until it ends."""

    __tablename__ = "assignment"
    __table_args__ = (
        # The invariant "at most one active resident supervisor per enterprise" lives in the database,
        # so two concurrent assignments cannot both commit.
        Index("uq_assignment_active_enterprise", "enterprise_id", unique=True, postgresql_where=text("active")),
        Index("ix_assignment_active_supervisor", "supervisor_id", postgresql_where=text("active")),
        Index("ix_assignment_enterprise_start", "enterprise_id", "start_date"),
        Index("ix_assignment_supervisor_start", "supervisor_id", "start_date"),
        Index("ix_assignment_updated_at", "updated_at", "id"),  # the change feed's order
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    supervisor_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("supervisor.id"))
    enterprise_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("enterprise.id"))
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    end_reason: Mapped[str | None] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    # Read from the session's identity map only: every use case has the enterprise loaded already.
    enterprise: Mapped[Enterprise] = relationship(lazy="raise_on_sql")

    @property
    def jurisdiction(self) -> str:
        """The township of the enterprise the supervisor is resident at."""
        return self.enterprise.township_code
