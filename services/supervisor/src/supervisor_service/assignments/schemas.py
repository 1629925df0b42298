"""Bodies of the assignment API."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Protocol, Self

from pydantic import BaseModel, ConfigDict, Field

from shared.http.list_rows import ListRows
from shared.http.pagination import UpdatedSince


class Named(Protocol):
    """A row with a name (a supervisor, an enterprise)."""

    @property
    def name(self) -> str: ...


class AssignmentCreate(BaseModel):
    """Assign one supervisor to one enterprise (one-to-one) or several (one-to-many)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "supervisor_id": "c5e8b1d4-7a2f-4b69-8e3c-1d9f0a6b2c57",
                    "enterprise_ids": ["3f0c2a9e-5b7d-4c1e-9a2f-6d8b1e4c7a10", "8a41d6f2-0c3b-4e57-b9d8-2f6a7c1e5b34"],
                    "start_date": "2025-01-06",
                }
            ]
        }
    )

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
    updated_at: datetime


ASSIGNMENT_ROWS = ListRows(AssignmentRead)


class AssignmentFilters(BaseModel):
    """Filters of the assignment list."""

    enterprise_id: uuid.UUID | None = None
    supervisor_id: uuid.UUID | None = None
    active: bool | None = None
    updated_since: UpdatedSince = None
