"""Bodies of the supervisor API."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from shared.http.pagination import UpdatedSince
from shared.validation import ActDate

PHONE = r"^[0-9+\-() ]{5,32}$"


class OrgKind(StrEnum):
    """Whether a supervisor belongs to a department or a township."""

    DEPARTMENT = "department"
    TOWNSHIP = "township"


class SupervisorCreate(BaseModel):
    """A new resident supervisor."""

    model_config = ConfigDict(
        str_strip_whitespace=True,
        json_schema_extra={
            "examples": [
                {
                    "name": "陈红梅",
                    "org_kind": "township",
                    "org_code": "431281102000",
                    "position": "安江镇应急管理办公室专干",
                    "phone": "0745-7612345",
                    "appointed_on": "2025-01-06",
                }
            ]
        },
    )

    code: str | None = Field(default=None, max_length=32, description="Staff code; generated when omitted.")
    name: str = Field(min_length=2, max_length=50)
    org_kind: OrgKind
    org_code: str = Field(max_length=16, description="Department code, or the township's 12-digit division code.")
    position: str | None = Field(default=None, max_length=100)
    phone: str | None = Field(default=None, pattern=PHONE)
    active: bool = True
    appointed_on: ActDate | None = Field(
        default=None, description="The day the supervisor took office (任职日期); today when omitted."
    )


class SupervisorUpdate(BaseModel):
    """Fields to change (PATCH)."""

    model_config = ConfigDict(str_strip_whitespace=True)

    name: str | None = Field(default=None, min_length=2, max_length=50)
    org_kind: OrgKind | None = None
    org_code: str | None = Field(default=None, max_length=16)
    position: str | None = Field(default=None, max_length=100)
    phone: str | None = Field(default=None, pattern=PHONE)
    active: bool | None = None
    appointed_on: ActDate | None = Field(default=None, description="Correct the day of appointment (任职日期).")


class SupervisorRead(BaseModel):
    """A supervisor with the organisation's name and current deployment."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    code: str
    name: str
    org_kind: OrgKind
    org_code: str
    org_name: str | None = None
    township_code: str | None
    position: str | None
    phone: str | None
    active: bool
    appointed_on: date
    active_assignments: int = 0
    mode: str = Field(default="none", description="none, one_to_one or one_to_many.")
    version: int
    created_at: datetime
    updated_at: datetime


class SupervisorFilters(BaseModel):
    """Filters of the supervisor list."""

    q: str | None = None
    org_code: str | None = None
    township_code: str | None = None
    active: bool | None = None
    updated_since: UpdatedSince = None
