"""Column mixins every service's models share."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, Integer, func
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from shared.db.types import utcnow


class Versioned:
    """A record use cases change: its version rises by one with each change (the ETag a change is based on,
    and the events' aggregate version)."""

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
