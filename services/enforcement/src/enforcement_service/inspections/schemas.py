"""Request and response bodies of the inspection API."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, model_validator

from shared.http.list_rows import ListRows
from shared.http.pagination import Page
from shared.validation import ActDate


class InspectionKind(StrEnum):
    """Kinds of inspection."""

    ROUTINE = "routine"
    LEADER_LED = "leader_led"
    JOINT = "joint"
    NIGHT_RAID = "night_raid"
    CAMPAIGN = "campaign"
    COMPLAINT = "complaint"
    FOLLOW_UP = "follow_up"


class Grade(StrEnum):
    """Suggested hazard grade of a finding."""

    GENERAL = "general"
    MAJOR = "major"


class FindingCreate(BaseModel):
    """A finding in one of the enterprises checked."""

    enterprise_id: uuid.UUID
    description: str = Field(min_length=1, max_length=2000)
    grade_suggestion: Grade = Grade.GENERAL
    standard_code: str | None = Field(default=None, max_length=64, description="e.g. MEM-10 for 应急管理部令第10号")
    clause: str | None = Field(default=None, max_length=64)
    rectify_by: date | None = None


class InspectionCreate(BaseModel):
    """An inspection that took place."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "kind": "leader_led",
                    "inspected_on": "2025-11-20",
                    "leader_name": "刘志远",
                    "leader_post": "洪江市人民政府副市长",
                    "team_members": ["刘志远", "李明", "王芳"],
                    "enterprise_ids": ["3f0c2a9e-5b7d-4c1e-9a2f-6d8b1e4c7a10"],
                    "summary": "督导检查木材加工企业1家，发现一般事故隐患1处，已责令限期整改",
                    "findings": [
                        {
                            "enterprise_id": "3f0c2a9e-5b7d-4c1e-9a2f-6d8b1e4c7a10",
                            "description": "除尘系统未设置泄爆装置",
                            "grade_suggestion": "general",
                            "rectify_by": "2025-12-05",
                        }
                    ],
                }
            ]
        }
    )

    kind: InspectionKind
    unit_code: str | None = Field(
        default=None, max_length=32, description="Department or township code; only a city administrator names it."
    )
    inspected_on: ActDate
    leader_name: str | None = Field(default=None, max_length=100, description="Required for a leader-led inspection.")
    leader_post: str | None = Field(default=None, max_length=100)
    team_members: list[str] = Field(min_length=1, max_length=500, description="Names of the persons deployed.")
    persons_deployed: int | None = Field(
        default=None, ge=1, le=10_000, description="Persons deployed (人次); defaults to the team size."
    )
    enterprise_ids: list[uuid.UUID] = Field(min_length=1, max_length=1000)
    campaign_code: str | None = Field(default=None, max_length=64, description="专项行动 code (campaigns.json).")
    summary: str | None = Field(default=None, max_length=4000)
    findings: list[FindingCreate] = Field(default_factory=list, max_length=1000)

    @model_validator(mode="after")
    def _consistent(self) -> InspectionCreate:
        if self.kind is InspectionKind.LEADER_LED and not (self.leader_name and self.leader_post):
            raise ValueError("a leader-led inspection names the leader and the leader's post")
        if self.kind is InspectionKind.CAMPAIGN and not self.campaign_code:
            raise ValueError("a campaign inspection names its campaign_code")
        if len(set(self.enterprise_ids)) != len(self.enterprise_ids):
            raise ValueError("enterprise_ids must not repeat")
        checked = set(self.enterprise_ids)
        if any(f.enterprise_id not in checked for f in self.findings):
            raise ValueError("every finding belongs to one of the enterprises checked")
        if self.persons_deployed is not None and self.persons_deployed < len(set(self.team_members)):
            raise ValueError("persons_deployed cannot be fewer than the team members")
        return self


class FindingRead(BaseModel):
    """A finding as the API returns it."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    enterprise_id: uuid.UUID
    township_code: str
    industry_code: str | None
    description: str
    grade_suggestion: Grade
    standard_code: str | None
    clause: str | None
    rectify_by: date | None


class InspectionRead(BaseModel):
    """An inspection as the API returns it."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    kind: InspectionKind
    unit_type: str
    unit_code: str
    township_code: str | None
    inspected_on: date
    leader_name: str | None
    leader_post: str | None
    team_members: list[str]
    persons_deployed: int
    enterprise_ids: list[uuid.UUID]
    findings_count: int
    major_findings_count: int
    campaign_code: str | None
    summary: str | None
    version: int
    created_at: datetime
    updated_at: datetime


class InspectionDetail(InspectionRead):
    """An inspection with its findings."""

    findings: list[FindingRead]


InspectionPage = Page[InspectionRead]
INSPECTION_ROWS = ListRows(InspectionRead)
