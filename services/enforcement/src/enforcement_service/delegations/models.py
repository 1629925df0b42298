"""Delegation table."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import BigInteger, Date, Index, String, Text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from enforcement_service.db import Base
from shared.db.models import Versioned


class Delegation(Versioned, Base):
    """A published written delegation of the bureau's enforcement powers to a township."""

    __tablename__ = "delegation"
    __table_args__ = (
        # A township's delegations newest first: the delegation check and the list filtered by township.
        Index("ix_delegation_township_code_starts_on_id", "township_code", "starts_on", "id"),
        # The list's keyset order; in_force_on bounds it by starts_on.
        Index("ix_delegation_starts_on_id", "starts_on", "id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    township_code: Mapped[str] = mapped_column(String(12))
    scope: Mapped[list[str]] = mapped_column(ARRAY(String(32)))
    max_fine_fen: Mapped[int | None] = mapped_column(BigInteger)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    document_number: Mapped[str] = mapped_column(String(100))
    document_title: Mapped[str] = mapped_column(String(200))
    published_on: Mapped[date] = mapped_column(Date)
    revoked_on: Mapped[date | None] = mapped_column(Date)
    revocation_reason: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(200))

    @property
    def jurisdiction(self) -> str:
        """The township whose officials see this record's events."""
        return self.township_code
