"""Request and response bodies of crackdowns, interviews, exposures and typical cases (money in fen)."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from shared.http.list_rows import ListRows
from shared.http.pagination import Page
from shared.validation import ActDate, Fen


class UnitFields(BaseModel):
    """The unit acting (named only by a city administrator) and the township concerned."""

    unit_code: str | None = Field(default=None, max_length=32)
    township_code: str | None = Field(default=None, pattern=r"^\d{12}$")


class Seizure(BaseModel):
    """Something stopped or seized."""

    item: str = Field(min_length=1, max_length=200)
    quantity: str = Field(min_length=1, max_length=32, description="Exact quantity as a decimal string, e.g. 12.5")
    unit: str | None = Field(default=None, max_length=16)
    value_fen: Fen = 0


class CrackdownCreate(UnitFields):
    """An action against illegal operations (打非治违)."""

    acted_on: ActDate
    patrols: int = Field(ge=0, le=10_000)
    persons_deployed: int = Field(ge=1, le=100_000)
    sites_stopped: int = Field(default=0, ge=0, le=10_000)
    seizures: list[Seizure] = Field(default_factory=list, max_length=500)
    campaign_code: str | None = Field(default=None, max_length=64)
    description: str | None = Field(default=None, max_length=4000)


class CrackdownRead(BaseModel):
    """A crackdown action as returned."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    unit_type: str
    unit_code: str
    township_code: str | None
    acted_on: date
    patrols: int
    persons_deployed: int
    sites_stopped: int
    seizures: list[Seizure]
    seizure_value_fen: int
    campaign_code: str | None
    description: str | None
    created_at: datetime


class InterviewCreate(UnitFields):
    """An interview (约谈)."""

    held_on: ActDate
    persons: int = Field(ge=1, le=1000, description="People interviewed.")
    enterprise_ids: list[uuid.UUID] = Field(default_factory=list, max_length=100)
    subject: str = Field(min_length=1, max_length=2000)
    hazard_id: str | None = Field(default=None, max_length=64)


class InterviewRead(BaseModel):
    """An interview as returned."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    unit_type: str
    unit_code: str
    township_code: str | None
    held_on: date
    persons: int
    enterprise_ids: list[uuid.UUID]
    subject: str
    hazard_id: str | None
    created_at: datetime


class ExposureCreate(UnitFields):
    """A public warning exposure (警示曝光)."""

    published_on: ActDate
    channel: str = Field(min_length=1, max_length=100, description="e.g. 洪江发布, 怀化日报")
    title: str = Field(min_length=1, max_length=300)
    enterprise_ids: list[uuid.UUID] = Field(default_factory=list, max_length=100)


class ExposureRead(BaseModel):
    """An exposure as returned."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    unit_type: str
    unit_code: str
    township_code: str | None
    published_on: date
    channel: str
    title: str
    enterprise_ids: list[uuid.UUID]
    created_at: datetime


class TypicalCaseCreate(UnitFields):
    """A published typical case (典型案例)."""

    case_id: uuid.UUID | None = None
    published_on: ActDate
    title: str = Field(min_length=1, max_length=300)
    channel: str = Field(min_length=1, max_length=100)
    summary: str | None = Field(default=None, max_length=8000)


class TypicalCaseRead(BaseModel):
    """A typical case as returned."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    case_id: uuid.UUID | None
    unit_type: str
    unit_code: str
    township_code: str | None
    published_on: date
    title: str
    channel: str
    summary: str | None
    created_at: datetime


CrackdownPage = Page[CrackdownRead]
InterviewPage = Page[InterviewRead]
ExposurePage = Page[ExposureRead]
TypicalCasePage = Page[TypicalCaseRead]
CRACKDOWN_ROWS = ListRows(CrackdownRead)
INTERVIEW_ROWS = ListRows(InterviewRead)
EXPOSURE_ROWS = ListRows(ExposureRead)
TYPICAL_CASE_ROWS = ListRows(TypicalCaseRead)
