"""Bodies of the assignment API."""

from __future__ import annotations

import uuid
from datetime import date

from pydantic import BaseModel, ConfigDict, Field


class AssignmentCreate(BaseModel):
    """Assign one supervisor to one enterprise (one-to-one) or several (one-to-many)."""

    supervisor_id: uuid.UUID
    enterprise_ids: list[uuid.UUID] = Field(min_length=1, max_length=200)
    start_date: date | None = Field(default=None, description="Defaults to today.")
    replace_current: bool = Field(
        default=False,
        description="End an enterprise's current assignment (reassignment, history kept) instead of refusing.",
    )


class AssignmentEnd(BaseModel):
    """End an assignment."""

    end_date: date | None = Field(default=None, description="Defaults to today.")
    reason: str | None = Field(default=None, max_length=200)


class AssignmentRead(BaseModel):
    """An assignment with the names a console shows."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    supervisor_id: uuid.UUID
    supervisor_name: str
    enterprise_id: uuid.UUID
    enterprise_name: str
    township_code: str
    start_date: date
    end_date: date | None
    end_reason: str | None
    active: bool
    version: int


class AssignmentFilters(BaseModel):
    """Filters of the assignment list."""

    enterprise_id: uuid.UUID | None = None
    supervisor_id: uuid.UUID | None = None
    active: bool | None = None
