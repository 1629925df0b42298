"""Bodies of the visit API."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from supervisor_service.assignments.schemas import ResidentRecord
from supervisor_service.visits.domain import GradeSuggestion


class FindingCreate(BaseModel):
    """A problem found during the visit."""

    model_config = ConfigDict(str_strip_whitespace=True)

    description: str = Field(min_length=2, max_length=2000)
    grade_suggestion: GradeSuggestion = GradeSuggestion.GENERAL
    location: str | None = Field(default=None, max_length=200)
    photo_refs: list[str] = Field(
        default_factory=list, max_length=20, description="References (URLs or object keys) of uploaded photos."
    )
    clause_code: str | None = Field(default=None, max_length=32, description="Major-hazard standard clause, if known.")


class VisitCreate(BaseModel):
    """A visit the calling supervisor made to one of their enterprises."""

    model_config = ConfigDict(
        str_strip_whitespace=True,
        json_schema_extra={
            "examples": [
                {
                    "enterprise_id": "3f0c2a9e-5b7d-4c1e-9a2f-6d8b1e4c7a10",
                    "visited_on": "2025-11-18",
                    "checked_items": ["安全生产责任制落实", "特种作业人员持证上岗", "消防设施器材"],
                    "summary": "企业主要负责人在岗，特种作业人员持证上岗，仓库灭火器压力不足",
                    "findings": [
                        {"description": "仓库2具灭火器压力不足", "grade_suggestion": "general", "location": "成品仓库"}
                    ],
                }
            ]
        },
    )

    enterprise_id: uuid.UUID
    visited_on: date
    checked_items: list[str] = Field(default_factory=list, max_length=50, description="What was checked.")
    summary: str | None = Field(default=None, max_length=2000)
    findings: list[FindingCreate] = Field(default_factory=list, max_length=50)


class FindingRead(BaseModel):
    """A finding as returned."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    description: str
    grade_suggestion: GradeSuggestion
    location: str | None
    photo_refs: list[str]
    clause_code: str | None


class VisitRead(ResidentRecord):
    """A logged visit with its findings."""

    visited_on: date
    checked_items: list[str]
    summary: str | None
    findings: list[FindingRead]
    created_at: datetime


class VisitFilters(BaseModel):
    """Filters of the visit list."""

    supervisor_id: uuid.UUID | None = None
    enterprise_id: uuid.UUID | None = None
    visited_from: date | None = None
    visited_to: date | None = None


class EnterpriseQuarter(BaseModel):
    """One enterprise in a supervisor's quarterly report."""

    enterprise_id: uuid.UUID
    enterprise_name: str
    visits: int
    findings: int
    last_visited_on: date | None


class QuarterlyReport(BaseModel):
    """A supervisor's quarter: enterprises, visits and findings."""

    supervisor_id: uuid.UUID
    supervisor_name: str
    year: int
    quarter: int
    period_start: date
    period_end: date
    enterprises_assigned: int
    enterprises_visited: int
    visits: int
    findings: int
    major_findings: int
    enterprises: list[EnterpriseQuarter]


class InactiveSupervisor(BaseModel):
    """A supervisor with enterprises but no recent visit (点名通报)."""

    supervisor_id: uuid.UUID
    code: str
    name: str
    org_kind: str
    org_code: str
    phone: str | None
    active_assignments: int
    last_visited_on: date | None
    days_since_last_visit: int | None


class InactiveSupervisors(BaseModel):
    """The call-out list."""

    as_of: date
    inactive_after_days: int
    items: list[InactiveSupervisor]
