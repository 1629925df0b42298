"""Request and response bodies of the inspection API."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class InspectionKind(StrEnum):
    """Kinds of inspection."""

    ROUTINE = "routine"
    LEADER_LED = "leader_led"
    JOINT = "joint"
    NIGHT_RAID = "night_raid"
    CAMPAIGN = "campaign"
    COMPLAINT = "complaint"
    FOLLOW_UP = "follow_up"


class InspectionCreate(BaseModel):
    """An inspection that took place."""

    kind: InspectionKind
    unit_code: str = Field(min_length=1, max_length=32, description="Department or township that inspected.")
    township_code: str | None = Field(default=None, pattern=r"^\d{12}$")
    inspected_on: date
    persons_deployed: int = Field(ge=1, le=10_000)
    enterprise_ids: list[uuid.UUID] = Field(min_length=1, max_length=1000)


class InspectionRead(BaseModel):
    """An inspection as the API returns it."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    kind: InspectionKind
    unit_code: str
    township_code: str | None
    inspected_on: date
    persons_deployed: int
    enterprise_ids: list[uuid.UUID]
    version: int
    created_at: datetime
