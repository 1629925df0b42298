"""Enterprise table."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import Boolean, Date, Float, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from shared.db.models import Updated
from supervisor_service.db import Base


class Enterprise(Updated, Base):
    """A production or business unit in the registry."""

    __tablename__ = "enterprise"
    __table_args__ = (
        # The list is ordered by (name, id); each filter has an index that also yields that order.
        Index("ix_enterprise_name_id", "name", "id"),
        Index("ix_enterprise_updated_at", "updated_at", "id"),  # the change feed's order
        Index("ix_enterprise_township_code_name", "township_code", "name", "id"),
        Index("ix_enterprise_industry_division_name", "industry_division", "name", "id"),
        Index("ix_enterprise_industry_section_name", "industry_section", "name", "id"),
        Index("ix_enterprise_risk_level_name", "risk_level", "name", "id"),
        Index("ix_enterprise_supervising_department_name", "supervising_department", "name", "id"),
        Index("ix_enterprise_employee_count", "employee_count"),
        Index("ix_enterprise_status", "status"),
        Index("ix_enterprise_industry_code", "industry_code"),
        # Chinese substring search (name LIKE '%…%') through trigrams; needs a UTF-8 LC_CTYPE.
        Index("ix_enterprise_name_trgm", "name", postgresql_using="gin", postgresql_ops={"name": "gin_trgm_ops"}),
        # Two-character searches are shorter than a trigram; supervisor.name_bigrams is created by the migration.
        Index("ix_enterprise_name_bigrams", text("supervisor.name_bigrams(lower(name))"), postgresql_using="gin"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    name: Mapped[str] = mapped_column(String(200))
    credit_code: Mapped[str] = mapped_column(String(18), unique=True)
    industry_code: Mapped[str] = mapped_column(String(8, collation="C"))
    industry_section: Mapped[str] = mapped_column(String(1))
    industry_division: Mapped[str | None] = mapped_column(String(2))
    township_code: Mapped[str] = mapped_column(String(12, collation="C"))
    village_code: Mapped[str | None] = mapped_column(String(12))
    address: Mapped[str | None] = mapped_column(String(300))
    longitude: Mapped[float | None] = mapped_column(Float)
    latitude: Mapped[float | None] = mapped_column(Float)
    employee_count: Mapped[int] = mapped_column(Integer)
    high_risk: Mapped[bool] = mapped_column(Boolean, default=False)
    risk_level: Mapped[str | None] = mapped_column(String(16))
    supervising_department: Mapped[str | None] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))
    # The day the enterprise entered the registry: history imported later keeps its own day.
    registered_on: Mapped[date] = mapped_column(Date)

    @property
    def jurisdiction(self) -> str:
        """The township whose officers the enterprise's events concern."""
        return self.township_code
