"""Events published by the hazard service on `hazard.events`.

Every hazard event carries the hazard's reporting dimensions (enterprise, township, industry,
department, grade, source, campaigns, listing) and its status after the change, so a projection
can count it without keeping hazard state. Dates are ISO 8601 strings (`YYYY-MM-DD`), money is
an integer number of fen from 0 to 10,000,000,000,000 (`shared.validation.MAX_FEN`, 100 billion yuan:
the producer refuses more, so a consumer may sum millions of amounts in a bigint).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import Field

from shared.contracts.envelope import EventPayload
from shared.contracts.registry import REGISTRY, event
from shared.contracts.topics import HAZARD_EVENTS
from shared.contracts.vocabulary import RISK_LEVEL_OF_COLOUR, RiskLevel

HAZARD = "hazard"
RISK_POINT = "risk_point"
HAZARD_UPSTREAM_SYNC = "hazard_upstream_sync"


class HazardFacts(EventPayload):
    """Dimensions every hazard event repeats (not an event itself)."""

    hazard_id: str
    enterprise_id: str
    township_code: str
    industry_code: str | None = None
    department_code: str | None = Field(default=None, description="Supervising department code, when known.")
    grade: str = Field(description="general | major")
    source: str = Field(
        description="self_report | department_inspection | leader_inspection | resident_supervisor"
        " | complaint | referral"
    )
    campaign_codes: list[str] = Field(default_factory=list, description="专项行动 codes from campaigns.json.")
    status: str = Field(description="The hazard's status after this event.")
    previous_status: str | None = None
    listed: bool = Field(default=False, description="Whether the hazard is listed for supervision (挂牌督办).")
    listing_level: str | None = None
    reported_on: str | None = None


@event("hazard.reported", 1, aggregate=HAZARD, topic=HAZARD_EVENTS)
class HazardReportedV1(HazardFacts):
    """A hazard was found in an enterprise and entered the list."""

    status: str = "reported"
    description: str
    reported_on: str
    category: str | None = None
    location: str | None = None
    reporter_name: str | None = None
    reporting_unit: str | None = None
    source_reference: str | None = Field(default=None, description="Finding id in the service it came from.")
    funds_fen: int | None = None
    deadline: str | None = None


@event("hazard.judged", 1, aggregate=HAZARD, topic=HAZARD_EVENTS)
class HazardJudgedV1(HazardFacts):
    """A major hazard was judged against a clause of a 重大事故隐患判定标准."""

    standard_code: str
    standard_version: str
    clause_code: str
    clause_article: str | None = None
    note: str | None = None


@event("hazard.ledgered", 1, aggregate=HAZARD, topic=HAZARD_EVENTS)
class HazardLedgeredV1(HazardFacts):
    """A major hazard entered the ledger (台账) and was queued for the upward report."""

    ledger_number: str
    ledgered_on: str


class ListingLevel(StrEnum):
    """Who lists a major hazard for supervision (挂牌督办): the codes `hazard.listed` carries as `level`."""

    CITY_GOVERNMENT = "city_government"
    SAFETY_COMMITTEE_OFFICE = "safety_committee_office"


LISTING_LEVEL_NAMES: dict[str, str] = {
    ListingLevel.CITY_GOVERNMENT: "市政府挂牌督办",
    ListingLevel.SAFETY_COMMITTEE_OFFICE: "市安委办挂牌督办",
}
"""The Chinese name of each listing level, as producer and consumers print it."""


@event("hazard.listed", 1, aggregate=HAZARD, topic=HAZARD_EVENTS)
class HazardListedV1(HazardFacts):
    """A major hazard was listed for supervision (挂牌督办) with a hand-over note (交办)."""

    listing_id: str
    level: str
    document_number: str
    listed_on: str
    responsible_unit: str
    handing_unit: str
    supervising_unit: str
    deadline: str


@event("hazard.listing_receipt_signed", 1, aggregate=HAZARD, topic=HAZARD_EVENTS)
class HazardListingReceiptSignedV1(HazardFacts):
    """The responsible unit signed the receipt of a listing's hand-over note."""

    listing_id: str
    signed_by: str
    signed_on: str


@event("hazard.plan_accepted", 1, aggregate=HAZARD, topic=HAZARD_EVENTS)
class HazardPlanAcceptedV1(HazardFacts):
    """A rectification plan meeting the 五到位 was accepted."""

    measures: str
    funds_fen: int
    deadline: str
    responsible_person: str
    emergency_plan: str


@event("hazard.rectification_started", 1, aggregate=HAZARD, topic=HAZARD_EVENTS)
class HazardRectificationStartedV1(HazardFacts):
    """Rectification started with a deadline (also after a rejected review or verification)."""

    deadline: str
    responsible_person: str | None = None
    restarted: bool = Field(default=False, description="True when a review or verification sent it back.")


@event("hazard.deferral_requested", 1, aggregate=HAZARD, topic=HAZARD_EVENTS)
class HazardDeferralRequestedV1(HazardFacts):
    """An enterprise asked to extend the rectification deadline."""

    deferral_id: str
    current_deadline: str
    requested_deadline: str
    reason: str


@event("hazard.deferral_approved", 1, aggregate=HAZARD, topic=HAZARD_EVENTS)
class HazardDeferralApprovedV1(HazardFacts):
    """A deferral was approved; the rectification deadline moved."""

    deferral_id: str
    previous_deadline: str
    new_deadline: str


@event("hazard.deferral_rejected", 1, aggregate=HAZARD, topic=HAZARD_EVENTS)
class HazardDeferralRejectedV1(HazardFacts):
    """A deferral request was refused; the deadline stands."""

    deferral_id: str
    reason: str


@event("hazard.assessed", 1, aggregate=HAZARD, topic=HAZARD_EVENTS)
class HazardAssessedV1(HazardFacts):
    """A self or third-party assessment of a major hazard's rectification was recorded."""

    assessment_kind: str = Field(description="self | third_party")
    assessor: str
    conclusion: str
    assessed_on: str
    funds_spent_fen: int | None = None


@event("hazard.acceptance_applied", 1, aggregate=HAZARD, topic=HAZARD_EVENTS)
class HazardAcceptanceAppliedV1(HazardFacts):
    """The enterprise applied for acceptance; the on-site review is due by review_due_on."""

    applied_on: str
    review_due_on: str


@event("hazard.reviewed", 1, aggregate=HAZARD, topic=HAZARD_EVENTS)
class HazardReviewedV1(HazardFacts):
    """The on-site review passed (status reviewed); closure (销号) follows."""

    reviewed_on: str
    reviewers: list[str] = Field(default_factory=list)
    opinion: str | None = None
    review_due_on: str | None = None
    on_time: bool = True


@event("hazard.rectification_rejected", 1, aggregate=HAZARD, topic=HAZARD_EVENTS)
class HazardRectificationRejectedV1(HazardFacts):
    """A review (major) or verification (general) failed; the hazard is back to rectifying."""

    stage: str = Field(description="review | verification")
    reason: str
    deadline: str


@event("hazard.rectified", 1, aggregate=HAZARD, topic=HAZARD_EVENTS)
class HazardRectifiedV1(HazardFacts):
    """A general hazard was reported as rectified."""

    rectified_on: str
    funds_spent_fen: int | None = None
    on_time: bool = True


@event("hazard.verified", 1, aggregate=HAZARD, topic=HAZARD_EVENTS)
class HazardVerifiedV1(HazardFacts):
    """A general hazard's rectification was verified."""

    verified_on: str


@event("hazard.closed", 1, aggregate=HAZARD, topic=HAZARD_EVENTS)
class HazardClosedV1(HazardFacts):
    """The hazard was closed (销号)."""

    closed_on: str
    funds_spent_fen: int | None = None
    deadline: str | None = None
    was_overdue: bool = False


@event("hazard.withdrawn", 1, aggregate=HAZARD, topic=HAZARD_EVENTS)
class HazardWithdrawnV1(HazardFacts):
    """A mistaken report was withdrawn with a reason; it stays in the record."""

    reason: str


@event("hazard.overdue", 1, aggregate=HAZARD, topic=HAZARD_EVENTS)
class HazardOverdueV1(HazardFacts):
    """A deadline passed without the step it bounds; emitted once per hazard and deadline."""

    deadline_kind: str = Field(description="rectification | review")
    deadline: str
    detected_on: str


@event("hazard.escalated", 1, aggregate=HAZARD, topic=HAZARD_EVENTS)
class HazardEscalatedV1(HazardFacts):
    """An overdue hazard was escalated: warning, interview (约谈), penalty or stop order."""

    step: str = Field(description="warning | interview | penalty | stop_order")
    note: str | None = None


@event("hazard.notice_published", 1, aggregate=HAZARD, topic=HAZARD_EVENTS)
class HazardNoticePublishedV1(HazardFacts):
    """A public notice (通报) about the hazard was published."""

    notice_id: str
    kind: str = Field(description="listing | closure | overdue | other")
    title: str
    document_number: str | None = None
    published_on: str


@event("hazard.upstream_sync_changed", 1, aggregate=HAZARD_UPSTREAM_SYNC, topic=HAZARD_EVENTS)
class HazardUpstreamSyncChangedV1(EventPayload):
    """The upward direct report of a hazard to one target changed state (aggregate id: hazard_id:target)."""

    hazard_id: str
    target: str = Field(description="national_direct_report | provincial_one_list")
    sync_status: str = Field(description="synced | failing")
    external_id: str | None = None
    township_code: str | None = None
    enterprise_id: str | None = None
    last_event_type: str | None = None
    attempts: int = 0
    last_error: str | None = None


class RiskPointFacts(EventPayload):
    """Dimensions every risk point event repeats (not an event itself)."""

    risk_point_id: str
    enterprise_id: str
    township_code: str
    industry_code: str | None = None
    name: str
    level: str = Field(description="red | orange | yellow | blue")


@event("risk_point.registered", 1, aggregate=RISK_POINT, topic=HAZARD_EVENTS)
class RiskPointRegisteredV1(RiskPointFacts):
    """A risk point of an enterprise was registered with its four-colour level (双重预防)."""

    responsible_person: str | None = None
    longitude: float | None = None
    latitude: float | None = None


@event("risk_point.updated", 1, aggregate=RISK_POINT, topic=HAZARD_EVENTS)
class RiskPointUpdatedV1(RiskPointFacts):
    """A risk point changed (level, measures, responsible person)."""

    previous_level: str | None = None
    responsible_person: str | None = None


@event("risk_point.retired", 1, aggregate=RISK_POINT, topic=HAZARD_EVENTS)
class RiskPointRetiredV1(RiskPointFacts):
    """A risk point no longer exists (the process or equipment was removed)."""

    reason: str


class RiskPointFactsV2(RiskPointFacts):
    """The dimensions of risk point events from version 2: the level in the contract's one risk vocabulary."""

    level: RiskLevel = Field(description="The risk level (shared.contracts.vocabulary.RiskLevel).")


@event("risk_point.registered", 2, aggregate=RISK_POINT, topic=HAZARD_EVENTS)
class RiskPointRegisteredV2(RiskPointFactsV2):
    """A risk point of an enterprise was registered with its risk level (双重预防)."""

    responsible_person: str | None = None
    longitude: float | None = None
    latitude: float | None = None


@event("risk_point.updated", 2, aggregate=RISK_POINT, topic=HAZARD_EVENTS)
class RiskPointUpdatedV2(RiskPointFactsV2):
    """A risk point changed (level, measures, responsible person)."""

    previous_level: RiskLevel | None = None
    responsible_person: str | None = None


@event("risk_point.retired", 2, aggregate=RISK_POINT, topic=HAZARD_EVENTS)
class RiskPointRetiredV2(RiskPointFactsV2):
    """A risk point no longer exists (the process or equipment was removed)."""

    reason: str


def _risk_levels_from_colours(data: dict[str, Any]) -> dict[str, Any]:
    """Version 1 named levels by colour (red, orange, yellow, blue); version 2 by the contract's RiskLevel."""
    upcast = dict(data)
    for name in ("level", "previous_level"):
        if upcast.get(name) in RISK_LEVEL_OF_COLOUR:
            upcast[name] = RISK_LEVEL_OF_COLOUR[upcast[name]].value
    return upcast


for _risk_point_event in ("risk_point.registered", "risk_point.updated", "risk_point.retired"):
    REGISTRY.register_upcaster(_risk_point_event, 1, _risk_levels_from_colours)
