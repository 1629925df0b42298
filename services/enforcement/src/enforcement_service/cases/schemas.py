"""Request and response bodies of the penalty case API (money in integer fen)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, model_validator

from enforcement_service.cases.domain import ExecutionHow, ItemKind, Outcome, PenaltyItem, Procedure, Stage
from shared.http.list_rows import ListRows
from shared.http.pagination import Page
from shared.reference_data.campaigns import CampaignCode
from shared.validation import ActDate


class PartyType(StrEnum):
    """Whether the party is a unit (生产经营单位) or a person."""

    UNIT = "unit"
    PERSON = "person"


class CaseSource(StrEnum):
    """Where a case came from."""

    INSPECTION = "inspection"
    LEAD = "lead"
    COMPLAINT = "complaint"
    REFERRAL = "referral"
    OTHER = "other"


class PenaltyItemIn(BaseModel):
    """A typed penalty item; a fine carries its amount, a confiscation its items and value..."""

    kind: ItemKind
    amount_fen: int | None = Field(default=None, ge=1, le=10_000_000_000, description="Fine in fen.")
    confiscated_items: list[str] = Field(default_factory=list, max_length=200)
    value_fen: int | None = Field(default=None, ge=0, le=100_000_000_000, description="Value confiscated in fen.")
    licence: str | None = Field(default=None, max_length=200)
    suspension_days: int | None = Field(default=None, ge=1, le=3650)
    persons: int | None = Field(default=None, ge=1, le=1000, description="Persons referred for detention.")

    def to_domain(self) -> PenaltyItem:
        """The domain item."""
        return PenaltyItem(
            kind=self.kind,
            amount_fen=self.amount_fen,
            confiscated_items=list(self.confiscated_items),
            value_fen=self.value_fen,
            licence=self.licence,
            suspension_days=self.suspension_days,
            persons=self.persons,
        )


class PenaltyItemRead(BaseModel):
    """A penalty item with its outcome, if any."""

    item_id: str
    kind: ItemKind
    amount_fen: int | None = None
    confiscated_items: list[str] = Field(default_factory=list)
    value_fen: int | None = None
    licence: str | None = None
    suspension_days: int | None = None
    persons: int | None = None
    outcome: str | None = None
    outcome_by: str | None = None
    outcome_on: date | None = None


class Step(BaseModel):
    """Who approved a step and with what opinion; the approver defaults to the caller."""

    approver: str | None = Field(default=None, max_length=200)
    opinion: str | None = Field(default=None, max_length=4000)


class CaseCreate(Step):
    """Filing (立案) of a case under the general procedure."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "party_type": "unit",
                    "party_name": "洪江市安江镇宏达木材加工厂",
                    "enterprise_id": "3f0c2a9e-5b7d-4c1e-9a2f-6d8b1e4c7a10",
                    "cause": "未对粉尘爆炸危险场所采取防范措施，涉嫌违反《中华人民共和国安全生产法》第四十一条",
                    "source": "inspection",
                    "inspection_id": "e2b7c4a1-9d3f-4e86-a5c0-7b1d8f2e6a93",
                    "filed_on": "2025-11-21",
                    "approver": "张建国",
                    "opinion": "同意立案",
                }
            ]
        }
    )

    party_type: PartyType
    party_name: str = Field(min_length=1, max_length=200)
    enterprise_id: uuid.UUID | None = Field(default=None, description="The enterprise (unit) concerned, if registered.")
    township_code: str | None = Field(
        default=None, pattern=r"^\d{12}$", description="Where the party is; taken from the enterprise when given."
    )
    unit_code: str | None = Field(default=None, max_length=32, description="Only a city administrator names it.")
    cause: str = Field(min_length=1, max_length=4000, description="The suspected violation (案由).")
    source: CaseSource = CaseSource.INSPECTION
    inspection_id: uuid.UUID | None = None
    lead_id: uuid.UUID | None = None
    campaign_code: CampaignCode | None = None
    filed_on: ActDate

    @model_validator(mode="after")
    def _where(self) -> CaseCreate:
        if self.enterprise_id is None and self.township_code is None:
            raise ValueError("give enterprise_id or township_code")
        return self


class SimplifiedCreate(BaseModel):
    """A penalty decided on the spot (简易程序): a warning and/or a small fine."""

    party_type: PartyType
    party_name: str = Field(min_length=1, max_length=200)
    enterprise_id: uuid.UUID | None = None
    township_code: str | None = Field(default=None, pattern=r"^\d{12}$")
    unit_code: str | None = Field(default=None, max_length=32)
    cause: str = Field(min_length=1, max_length=4000)
    decided_on: ActDate
    warning: bool = False
    fine_fen: int = Field(default=0, ge=0, le=10_000_000_000)
    officers: list[str] = Field(min_length=2, max_length=20, description="At least two officers on the spot.")
    campaign_code: CampaignCode | None = None

    @model_validator(mode="after")
    def _where(self) -> SimplifiedCreate:
        if self.enterprise_id is None and self.township_code is None:
            raise ValueError("give enterprise_id or township_code")
        return self


class InvestigationStart(Step):
    """Start of the investigation by at least two officers."""

    officers: list[str] = Field(min_length=1, max_length=20)


class LegalReviewRecord(Step):
    """The legal review of the proposed penalty."""

    items: list[PenaltyItemIn] = Field(min_length=1, max_length=8)
    reviewed_on: ActDate


class CollectiveDiscussionRecord(Step):
    """The collective discussion of the bureau's leaders."""

    discussed_on: ActDate


class NoticeRecord(Step):
    """Notice of the proposed penalty and of the rights to state, defend and ask for a hearing."""

    items: list[PenaltyItemIn] = Field(min_length=1, max_length=8)
    notified_on: ActDate


class HearingRequestRecord(Step):
    """The party's request for a hearing and the hearing's date."""

    requested_on: ActDate
    hearing_noticed_on: ActDate
    hearing_on: date


class HearingRecord(Step):
    """The hearing held."""

    held_on: ActDate


class DecisionRecord(Step):
    """The decision: penalty (with items), no penalty, or transfer to the judiciary."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "outcome": "penalty",
                    "items": [{"kind": "warning"}, {"kind": "fine", "amount_fen": 3000000}],
                    "decided_on": "2025-12-10",
                    "approver": "张建国",
                    "opinion": "经集体讨论，决定给予警告，并处罚款人民币叁万元",
                }
            ]
        }
    )

    outcome: Outcome
    items: list[PenaltyItemIn] = Field(default_factory=list, max_length=8)
    decided_on: ActDate


class ServiceRecord(Step):
    """Service (送达) of the decision."""

    served_on: ActDate
    method: str = Field(default="direct", max_length=32, description="direct | post | electronic | public_notice ...")


class PaymentCreate(BaseModel):
    """A payment towards the fine and its late charge."""

    paid_on: ActDate
    amount_fen: int = Field(ge=1, le=100_000_000_000)
    receipt_number: str | None = Field(default=None, max_length=64)


class CourtEnforcementRecord(Step):
    """The application to the court for compulsory enforcement."""

    requested_on: ActDate
    court: str = Field(min_length=1, max_length=200)


class ItemOutcomeRecord(BaseModel):
    """The outcome of a referral or stop order."""

    outcome: str = Field(min_length=1, max_length=32)
    decided_by: str = Field(min_length=1, max_length=200, description="e.g. 洪江市人民政府 or 洪江市公安局")
    decided_on: ActDate
    persons: int | None = Field(default=None, ge=0, le=1000)


class ExecutionRecord(Step):
    """How the decision was carried out."""

    how: ExecutionHow
    executed_on: ActDate


class ClosureRecord(Step):
    """Closure (结案)."""

    closed_on: ActDate


class ArchiveRecord(Step):
    """Archiving (归档)."""

    archived_on: ActDate


class AttachmentRef(BaseModel):
    """A stored file (photo, record, document) referenced by its storage key."""

    storage_key: str = Field(min_length=1, max_length=500)
    filename: str = Field(min_length=1, max_length=200)
    content_type: str = Field(min_length=1, max_length=100)
    size_bytes: int = Field(ge=0)
    sha256: str | None = Field(default=None, pattern=r"^[0-9a-f]{64}$")


class EvidenceCreate(BaseModel):
    """An item of evidence."""

    kind: str = Field(min_length=1, max_length=32, description="documentary | physical | photo | video | record ...")
    title: str = Field(min_length=1, max_length=200)
    description: str | None = Field(default=None, max_length=4000)
    collected_on: ActDate
    collected_by: list[str] = Field(default_factory=list, max_length=20)
    attachments: list[AttachmentRef] = Field(default_factory=list, max_length=100)


class EvidenceRead(EvidenceCreate):
    """An item of evidence as returned."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    created_by: str
    created_at: datetime


class StageEntryRead(BaseModel):
    """One step of the history."""

    model_config = ConfigDict(from_attributes=True)

    action: str
    from_stage: Stage
    to_stage: Stage
    approver: str
    opinion: str | None
    at: datetime


class PaymentRead(BaseModel):
    """A payment as recorded."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    paid_on: date
    amount_fen: int
    fine_part_fen: int
    late_charge_part_fen: int
    receipt_number: str | None


class CaseRead(BaseModel):
    """A case as the API returns it."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    case_number: str
    procedure: Procedure
    stage: Stage
    party_type: PartyType
    party_name: str
    enterprise_id: uuid.UUID | None
    township_code: str
    industry_code: str | None
    unit_type: str
    unit_code: str
    delegated: bool
    delegated_township_code: str | None
    delegation_id: uuid.UUID | None
    cause: str
    source: str
    inspection_id: uuid.UUID | None
    lead_id: uuid.UUID | None
    campaign_code: str | None
    rule_set: str
    filed_on: date
    decide_by: date
    decide_extended: bool
    officers: list[str]
    proposed_items: list[PenaltyItemRead]
    legal_reviewed_on: date | None
    collective_discussed_on: date | None
    notified_on: date | None
    hearing_request_by: date | None
    hearing_requested_on: date | None
    hearing_on: date | None
    hearing_held_on: date | None
    hearing_waived: bool
    outcome: Outcome | None
    decided_on: date | None
    decision_number: str | None
    items: list[PenaltyItemRead]
    fine_total_fen: int
    service_by: date | None
    served_on: date | None
    pay_by: date | None
    fine_paid_fen: int
    late_charge_paid_fen: int
    court_enforcement_requested_on: date | None
    court: str | None
    executed_on: date | None
    execution_how: ExecutionHow | None
    closed_on: date | None
    archived_on: date | None
    archive_number: str | None
    version: int
    created_at: datetime
    updated_at: datetime


class Owed(BaseModel):
    """What the party owes on a day (late charge exact to the fen)."""

    as_of: date
    fine_outstanding_fen: int
    late_charge_outstanding_fen: int


class ClockRead(BaseModel):
    """A legal limit of a case."""

    case_id: uuid.UUID
    case_number: str
    clock: str
    due_on: date
    days_left: int
    status: str
    stage: Stage
    township_code: str
    unit_code: str
    delegated: bool


class CaseDetail(CaseRead):
    """A case with its history, evidence, payments, what is owed today and its running clocks."""

    history: list[StageEntryRead]
    evidence: list[EvidenceRead]
    payments: list[PaymentRead]
    owed: Owed
    clocks: list[ClockRead]


class PaymentResult(BaseModel):
    """A recorded payment and what remains owed."""

    payment: PaymentRead
    fine_outstanding_fen: int
    late_charge_outstanding_fen: int
    case: CaseRead


class CaseCounts(BaseModel):
    """Cases counted by who acted: the bureau and departments, and each township under delegation."""

    year: int
    filed_general: int
    simplified: int
    by_units: dict[str, int] = Field(description="Cases in a department's own name, by unit code.")
    delegated_total: int
    delegated_by_township: dict[str, int]


CasePage = Page[CaseRead]
CASE_ROWS = ListRows(CaseRead)
ClockPage = Page[ClockRead]
