"""Bodies of the assignment API."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Protocol, Self

from pydantic import BaseModel, Field

from shared.http.list_rows import ListRows


class Named(Protocol):
    """A row with a name (a supervisor, an enterprise)."""

    @property
    def name(self) -> str: ...


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


class ResidentRecord(BaseModel):
    """What a record of a supervisor at an enterprise shows first: both, by id and by name."""

    id: uuid.UUID
    supervisor_id: uuid.UUID
    supervisor_name: str
    enterprise_id: uuid.UUID
    enterprise_name: str
    township_code: str

    @classmethod
    def of(cls, record: object, supervisor: Named, enterprise: Named, **fields: object) -> Self:
        """The read model of `record`: its attributes of the model's field names, the two names, then `fields`."""
        values = {name: getattr(record, name) for name in cls.model_fields if hasattr(record, name)}
        return cls.model_validate(
            values | {"supervisor_name": supervisor.name, "enterprise_name": enterprise.name} | fields
        )


class AssignmentRead(ResidentRecord):
    """An assignment with the names a console shows."""

    start_date: date
    end_date: date | None
    end_reason: str | None
    active: bool
    version: int


ASSIGNMENT_ROWS = ListRows(AssignmentRead)


class AssignmentFilters(BaseModel):
    """Filters of the assignment list."""

    enterprise_id: uuid.UUID | None = None
    supervisor_id: uuid.UUID | None = None
    active: bool | None = None
