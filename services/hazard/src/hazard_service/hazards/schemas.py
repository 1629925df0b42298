"""Request and response bodies of the hazard API."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from hazard_service.hazards.domain import Grade as HazardGrade
from hazard_service.hazards.domain import Status as HazardStatus
from shared.http.list_rows import ListRows
from shared.validation import ActDate, Fen

__all__ = ["HazardGrade", "HazardStatus"]

Text = Field(min_length=1, max_length=4000)


class HazardSource(StrEnum):
    """Who found the hazard."""

    SELF_REPORT = "self_report"
    DEPARTMENT_INSPECTION = "department_inspection"
    LEADER_INSPECTION = "leader_inspection"
    RESIDENT_SUPERVISOR = "resident_supervisor"
    COMPLAINT = "complaint"
    REFERRAL = "referral"


class HazardSort(StrEnum):
    """Sort orders of the hazard list; a leading minus means descending."""

    REPORTED_ON_DESC = "-reported_on"
    REPORTED_ON = "reported_on"
    DEADLINE = "deadline"
    DEADLINE_DESC = "-deadline"
    CREATED_AT_DESC = "-created_at"
    CREATED_AT = "created_at"


class HazardCreate(BaseModel):
    """A newly found hazard."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "enterprise_id": "3f0c2a9e-5b7d-4c1e-9a2f-6d8b1e4c7a10",
                    "grade": "general",
                    "source": "department_inspection",
                    "description": "二号车间配电箱未接地，箱门缺失，线路裸露",
                    "reported_on": "2025-11-20",
                    "category": "电气安全",
                    "location": "二号车间东侧",
                    "reporter_name": "李明",
                    "reporting_unit": "洪江市应急管理局",
                    "department_code": "yjj",
                    "funds_fen": 150000,
                    "deadline": "2025-12-05",
                }
            ]
        },
    )

    enterprise_id: uuid.UUID
    grade: HazardGrade
    source: HazardSource
    description: str = Field(min_length=2, max_length=4000)
    reported_on: ActDate
    category: str | None = Field(default=None, max_length=64)
    location: str | None = Field(default=None, max_length=300)
    campaign_codes: list[str] = Field(default_factory=list, max_length=20, description="Codes of campaigns.json.")
    reporter_name: str | None = Field(default=None, max_length=100)
    reporting_unit: str | None = Field(default=None, max_length=200)
    department_code: str | None = Field(default=None, max_length=32)
    funds_fen: Fen | None = Field(default=None, description="Estimated rectification funds, in fen.")
    deadline: date | None = Field(default=None, description="Proposed rectification deadline.")


class StartRectification(BaseModel):
    """Start rectifying; a general hazard needs a deadline, a major one takes its plan's by default."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "deadline": "2025-12-05",
                    "responsible_person": "王强",
                    "note": "更换接地线并加装箱门，整改期间停用该配电箱",
                }
            ]
        }
    )

    deadline: date | None = None
    responsible_person: str | None = Field(default=None, max_length=100)
    note: str | None = Field(default=None, max_length=4000)


class MarkRectified(BaseModel):
    """The enterprise reports a general hazard fixed."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "rectified_on": "2025-12-01",
                    "funds_spent_fen": 128000,
                    "note": "已重新敷设接地线，加装防护箱门，经电工检测合格",
                }
            ]
        }
    )

    rectified_on: ActDate
    funds_spent_fen: Fen | None = None
    note: str | None = Field(default=None, max_length=4000)


class Verify(BaseModel):
    """An official confirms a general hazard's rectification."""

    verified_on: ActDate
    note: str | None = Field(default=None, max_length=4000)


class RejectRectification(BaseModel):
    """A verification or review failed: back to rectifying with a new deadline."""

    reason: str = Field(min_length=2, max_length=4000)
    deadline: date


class Judge(BaseModel):
    """Judge a major hazard against a clause of a standard."""

    standard_code: str = Field(min_length=1, max_length=64)
    clause_code: str = Field(min_length=1, max_length=64)
    standard_version: str | None = Field(default=None, description="Defaults to the newest imported version.")
    note: str | None = Field(default=None, max_length=4000)


class Ledger(BaseModel):
    """Enter a judged major hazard in the ledger (台账)."""

    ledgered_on: ActDate
    ledger_number: str | None = Field(default=None, max_length=64, description="Generated when omitted.")


class ListingCreate(BaseModel):
    """挂牌督办 with its hand-over note (交办单)."""

    level: str = Field(min_length=1, max_length=64, description="A configured listing level code.")
    document_number: str = Field(min_length=1, max_length=100, description="督办文号.")
    listed_on: ActDate
    responsible_unit: str = Field(min_length=1, max_length=200)
    handing_unit: str = Field(min_length=1, max_length=200)
    supervising_unit: str = Field(min_length=1, max_length=200)
    deadline: date
    note: str | None = Field(default=None, max_length=4000)


class ListingReceipt(BaseModel):
    """The responsible unit signs the receipt of the hand-over note."""

    signed_by: str = Field(min_length=1, max_length=100)
    signed_on: ActDate


class ListingRead(BaseModel):
    """A hazard's listing for supervision."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    hazard_id: uuid.UUID
    level: str
    document_number: str
    listed_on: date
    responsible_unit: str
    handing_unit: str
    supervising_unit: str
    deadline: date
    note: str | None
    receipt_signed_by: str | None
    receipt_signed_on: date | None


class Plan(BaseModel):
    """A rectification plan: all five of the 五到位 are required."""

    measures: str = Field(min_length=2, max_length=4000)
    funds_fen: Fen
    deadline: date
    responsible_person: str = Field(min_length=1, max_length=100)
    emergency_plan: str = Field(min_length=2, max_length=4000)


class DeferralCreate(BaseModel):
    """Ask to move the rectification deadline."""

    requested_deadline: date
    reason: str = Field(min_length=2, max_length=4000)


class DeferralDecision(BaseModel):
    """Approve or refuse a deferral (a refusal needs a reason)."""

    reason: str | None = Field(default=None, max_length=4000)


class DeferralRead(BaseModel):
    """A deferral request and its decision."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    hazard_id: uuid.UUID
    current_deadline: date
    requested_deadline: date
    reason: str
    status: str
    requested_by: str
    decided_by: str | None
    decision_reason: str | None
    created_at: datetime
    decided_at: datetime | None


class AssessmentKind(StrEnum):
    """Who assessed the rectification."""

    SELF = "self"
    THIRD_PARTY = "third_party"


class Assess(BaseModel):
    """A self or third-party assessment of a major hazard's rectification."""

    assessment_kind: AssessmentKind
    assessor: str = Field(min_length=1, max_length=200)
    conclusion: str = Field(min_length=2, max_length=4000)
    assessed_on: ActDate
    funds_spent_fen: Fen | None = None


class ApplyAcceptance(BaseModel):
    """The enterprise applies for acceptance."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"applied_on": "2025-12-02"}]})

    applied_on: ActDate


class Review(BaseModel):
    """The on-site review (复核) passed."""

    reviewed_on: ActDate
    reviewers: list[str] = Field(min_length=1, max_length=20)
    opinion: str | None = Field(default=None, max_length=4000)


class Close(BaseModel):
    """Close the hazard (销号)."""

    closed_on: ActDate
    note: str | None = Field(default=None, max_length=4000)


class Withdraw(BaseModel):
    """Withdraw a mistaken report; the reason is required and kept."""

    reason: str = Field(min_length=2, max_length=4000)


class EscalationStep(StrEnum):
    """How an overdue hazard is escalated."""

    WARNING = "warning"
    INTERVIEW = "interview"
    PENALTY = "penalty"
    STOP_ORDER = "stop_order"


class Escalate(BaseModel):
    """Escalate an overdue hazard."""

    step: EscalationStep
    note: str | None = Field(default=None, max_length=4000)


class NoticeKind(StrEnum):
    """What a public notice is about."""

    LISTING = "listing"
    CLOSURE = "closure"
    OVERDUE = "overdue"
    OTHER = "other"


class NoticeCreate(BaseModel):
    """A public notice (通报)."""

    kind: NoticeKind
    title: str = Field(min_length=2, max_length=300)
    document_number: str | None = Field(default=None, max_length=100)
    body: str | None = Field(default=None, max_length=20000)
    published_on: ActDate


class NoticeRead(BaseModel):
    """A published notice."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    hazard_id: uuid.UUID
    kind: str
    title: str
    document_number: str | None
    body: str | None
    published_on: date
    published_by: str


class PhotoPhase(StrEnum):
    """Whether a photo shows the hazard or its rectification."""

    BEFORE = "before"
    AFTER = "after"


class PhotoRead(BaseModel):
    """A stored photo's metadata; the bytes are at /photos/{id}/content, or at the signed URLs without a token."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    hazard_id: uuid.UUID
    phase: PhotoPhase
    content_type: str
    size_bytes: int
    sha256: str
    original_name: str | None
    uploaded_by: str
    uploaded_at: datetime
    url: str | None = Field(default=None, description="Short-lived signed URL of the photo (for an <img>).")
    thumbnail_url: str | None = Field(
        default=None, description="Short-lived signed URL of a JPEG thumbnail; null when the image has none."
    )


class TimelineEntryRead(BaseModel):
    """One step of a hazard's history."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    hazard_version: int
    action: str
    from_status: str | None
    to_status: str
    actor: str
    actor_name: str | None
    actor_roles: list[str]
    reason: str | None
    details: dict[str, Any]
    occurred_at: datetime


class HazardRead(BaseModel):
    """A hazard as the API returns it."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    enterprise_id: uuid.UUID
    enterprise_name: str | None
    township_code: str
    industry_code: str | None
    department_code: str | None
    grade: HazardGrade
    source: HazardSource
    source_reference: str | None
    campaign_codes: list[str]
    category: str | None
    location: str | None
    description: str
    reporter_name: str | None
    reporting_unit: str | None
    reported_by: str | None
    reported_on: date
    status: HazardStatus
    funds_fen: int | None
    funds_spent_fen: int | None
    rectification_deadline: date | None
    original_deadline: date | None
    responsible_person: str | None
    measures: str | None
    emergency_plan: str | None
    standard_code: str | None
    standard_version: str | None
    clause_code: str | None
    ledger_number: str | None
    ledgered_on: date | None
    listed: bool
    listing_level: str | None
    applied_on: date | None
    review_due_on: date | None
    rectified_on: date | None
    closed_on: date | None
    deferral_pending: bool
    overdue: bool
    was_overdue: bool
    escalation_step: str | None
    withdrawn_reason: str | None
    version: int
    created_at: datetime
    updated_at: datetime
    allowed_actions: list[str] = Field(default_factory=list, description="Actions the caller may take now.")


class HazardSummary(BaseModel):
    """A hazard in a list."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    enterprise_id: uuid.UUID
    enterprise_name: str | None
    township_code: str
    grade: HazardGrade
    source: HazardSource
    campaign_codes: list[str]
    description: str
    status: HazardStatus
    reported_on: date
    rectification_deadline: date | None
    listed: bool
    listing_level: str | None
    overdue: bool
    version: int
    created_at: datetime
    updated_at: datetime


HAZARD_ROWS = ListRows(HazardSummary)


class HazardFilters(BaseModel):
    """Filters of the hazard list and the ledger export."""

    status: list[HazardStatus] = Field(default_factory=list)
    grade: HazardGrade | None = None
    township_code: str | None = None
    enterprise_id: uuid.UUID | None = None
    source: HazardSource | None = None
    campaign_code: str | None = None
    overdue: bool | None = None
    listed: bool | None = None
    listing_level: str | None = None
    reported_from: date | None = None
    reported_to: date | None = None
    deadline_from: date | None = None
    deadline_to: date | None = None
    closed_from: date | None = None
    closed_to: date | None = None


class OneListSystemRead(BaseModel):
    """One configured system of 一单四制."""

    code: str
    name: str
    description: str


class HazardConfigRead(BaseModel):
    """Configuration clients need: the 一单四制 systems, listing levels, photo limits, review days."""

    one_list_systems: list[OneListSystemRead]
    listing_levels: list[dict[str, str]]
    photo_max_bytes: int
    photo_content_types: list[str]
    review_due_days: int
