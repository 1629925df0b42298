"""Request and response bodies of the hazard API."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class HazardGrade(StrEnum):
    """一般 or 重大 事故隐患."""

    GENERAL = "general"
    MAJOR = "major"


class HazardSource(StrEnum):
    """Who found the hazard."""

    SELF_REPORT = "self_report"
    DEPARTMENT_INSPECTION = "department_inspection"
    LEADER_INSPECTION = "leader_inspection"
    RESIDENT_SUPERVISOR = "resident_supervisor"
    COMPLAINT = "complaint"
    REFERRAL = "referral"


class HazardCreate(BaseModel):
    """A newly found hazard."""

    enterprise_id: uuid.UUID
    grade: HazardGrade
    source: HazardSource
    description: str = Field(min_length=2, max_length=4000)
    reported_on: date


class HazardRead(BaseModel):
    """A hazard as the API returns it."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    enterprise_id: uuid.UUID
    township_code: str
    industry_code: str | None
    grade: HazardGrade
    source: HazardSource
    description: str
    status: str
    reported_on: date
    version: int
    created_at: datetime
