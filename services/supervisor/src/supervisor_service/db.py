"""The supervisor schema: metadata, platform tables, the declarative base and the versioned-row mixin."""

from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, Integer, func
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

from shared.db import make_service_database
from shared.db.types import utcnow

SCHEMA = "supervisor"
DATABASE = make_service_database(SCHEMA)


class Base(DeclarativeBase):
    """Declarative base bound to the supervisor schema's metadata."""

    metadata = DATABASE.metadata


class Versioned:
    """A row changed in place: its version (optimistic concurrency and the events' aggregate version) and times."""

    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, server_default=func.now(), onupdate=utcnow
    )

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        """Let SQLAlchemy check and bump the version on every UPDATE."""
        return {"version_id_col": cls.__table__.c.version}  # type: ignore[attr-defined]
