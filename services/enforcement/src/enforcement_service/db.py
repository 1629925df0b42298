"""The enforcement schema: metadata, platform tables and the declarative base."""

from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, Integer, func
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

from shared.db import make_service_database
from shared.db.types import utcnow

SCHEMA = "enforcement"
DATABASE = make_service_database(SCHEMA)


class Base(DeclarativeBase):
    """Declarative base bound to the enforcement schema's metadata."""

    metadata = DATABASE.metadata


class Versioned:
    """A record use cases change: its version rises by one with each change (the ETag a change is based on)."""

    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, server_default=func.now())

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        """SQLAlchemy checks and raises the version on each UPDATE (a concurrent change fails, never overwrites)."""
        return {"version_id_col": cls.version}


class Updated(Versioned):
    """A versioned record that also keeps when it last changed."""

    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow, server_default=func.now()
    )
