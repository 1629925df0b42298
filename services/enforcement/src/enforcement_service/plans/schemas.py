"""Request and response bodies of enforcement plans."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, model_validator

from shared.http.list_rows import ListRows
from shared.http.pagination import Page


class UnitType(StrEnum):
    """A plan belongs to a department or a township."""

    DEPARTMENT = "department"
    TOWNSHIP = "township"


class MonthlyTarget(BaseModel):
    """Planned counts of one month."""

    month: int = Field(ge=1, le=12)
    inspections: int = Field(default=0, ge=0)
    enterprise_checks: int = Field(default=0, ge=0, description="家次")
    cases: int = Field(default=0, ge=0)


class PlanSet(BaseModel):
    """The annual enforcement plan of a unit (creates or replaces it)."""

    year: int = Field(ge=2000, le=2100)
    unit_type: UnitType
    unit_code: str = Field(min_length=1, max_length=32)
    approved_by: str = Field(min_length=1, max_length=200, description="e.g. 洪江市人民政府")
    approved_on: date
    document_number: str | None = Field(default=None, max_length=100)
    months: list[MonthlyTarget] = Field(min_length=12, max_length=12)

    @model_validator(mode="after")
    def _each_month_once(self) -> PlanSet:
        if sorted(m.month for m in self.months) != list(range(1, 13)):
            raise ValueError("months lists each month 1..12 once")
        if self.unit_type is UnitType.TOWNSHIP and not (len(self.unit_code) == 12 and self.unit_code.isdigit()):
            raise ValueError("a township plan's unit_code is the 12-digit township code")
        return self


class PlanRead(BaseModel):
    """A plan as returned."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    year: int
    unit_type: UnitType
    unit_code: str
    approved_by: str
    approved_on: date
    document_number: str | None
    months: list[MonthlyTarget]
    version: int
    updated_at: datetime


PlanPage = Page[PlanRead]
PLAN_ROWS = ListRows(PlanRead)


class PlanCounts(BaseModel):
    """Planned and actual counts over a month or a year."""

    planned_inspections: int
    actual_inspections: int
    planned_enterprise_checks: int
    actual_enterprise_checks: int
    planned_cases: int
    actual_cases: int


class MonthProgress(PlanCounts):
    """Planned and actual counts of one month."""

    month: int


class PlanProgress(PlanCounts):
    """Actual against plan by month, with year totals."""

    year: int
    unit_type: UnitType
    unit_code: str
    months: list[MonthProgress]
    completion_basis_points: int | None = Field(
        description="Actual inspections / planned inspections in 1/10000, rounded half up; null when none planned."
    )
