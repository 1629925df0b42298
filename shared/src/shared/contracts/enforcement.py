"""Events published by the enforcement service on `enforcement.events`.

Conventions every payload follows:
- money is an integer number of fen (`*_fen`), never a float, from 0 to 10,000,000,000,000
  (`shared.validation.MAX_FEN`, 100 billion yuan: the producer refuses more, so a consumer may sum
  millions of amounts in a bigint);
- dates are ISO `YYYY-MM-DD` strings, instants ISO 8601 with offset;
- `unit_type` is `department` or `township`; `unit_code` is the department code or the township
  division code of the unit that acted; `township_code` is where the subject (enterprise/party)
  lies, so reports can count by township;
- `delegated` marks acts a township performed under a delegation of the bureau (委托执法), in the
  bureau's name; `delegated_township_code` names that township so reports count them separately;
- the envelope's `jurisdiction` is `township_code` when known;
- one change of a case emits exactly one event, so `aggregate_version` rises by one per event:
  `case.stage_changed` for steps without a fact of their own (investigate, legal_review,
  collective_discussion, notify, waive_hearing, request_hearing, hold_hearing, extend_deadline,
  request_court_enforcement), and the specific event (`case.decided`, `case.served`,
  `case.executed`, `case.closed`, `case.archived`) for the others, which carry `from_stage`,
  `to_stage`, `approver` and `opinion` too. A simplified decision emits only
  `case.simplified_decided` (its fine counts in fines like a `case.decided` one).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from shared.contracts.envelope import EventPayload
from shared.contracts.registry import event
from shared.contracts.topics import ENFORCEMENT_EVENTS

INSPECTION = "inspection"
INSPECTION_FINDING = "inspection_finding"
PENALTY_CASE = "penalty_case"
DELEGATION = "delegation"
CRACKDOWN = "crackdown_action"
INTERVIEW = "interview"
EXPOSURE = "exposure"
TYPICAL_CASE = "typical_case"
ENFORCEMENT_PLAN = "enforcement_plan"
CASE_LEAD = "case_lead"


class _Part(BaseModel):
    """A value object nested in a payload; consumers ignore unknown fields."""

    model_config = ConfigDict(extra="ignore", frozen=True)


# --- inspections -------------------------------------------------------------------------------


@event("inspection.recorded", 1, aggregate=INSPECTION, topic=ENFORCEMENT_EVENTS)
class InspectionRecordedV1(EventPayload):
    """An inspection took place: who went, where, and how many enterprises were checked.

    `kind`: routine | leader_led | joint | night_raid | campaign | complaint | follow_up.
    """

    inspection_id: str
    kind: str
    unit_code: str
    township_code: str | None = None
    inspected_on: str
    persons_deployed: int
    enterprise_ids: list[str]
    unit_type: str | None = None
    department_code: str | None = None
    leader_name: str | None = None
    leader_post: str | None = None
    team_members: list[str] = Field(default_factory=list)
    enterprises_checked: int | None = None
    findings_count: int = 0
    major_findings_count: int = 0
    campaign_code: str | None = None
    delegated: bool = False
    delegated_township_code: str | None = None


@event("inspection.finding_recorded", 1, aggregate=INSPECTION_FINDING, topic=ENFORCEMENT_EVENTS)
class InspectionFindingRecordedV1(EventPayload):
    """A finding of an inspection; self-contained so the hazard service registers it as a hazard
    exactly once (key: `finding_id`).

    `grade_suggestion`: general | major. `source` is the hazard source it maps to:
    department_inspection | leader_inspection | complaint.
    """

    finding_id: str
    inspection_id: str
    enterprise_id: str
    township_code: str
    industry_code: str | None = None
    description: str
    grade_suggestion: str
    source: str
    inspection_kind: str
    unit_type: str
    unit_code: str
    found_on: str
    standard_code: str | None = None
    clause: str | None = None
    rectify_by: str | None = None
    leader_name: str | None = None
    campaign_code: str | None = None


# --- penalty cases -----------------------------------------------------------------------------


class PenaltyItemV1(_Part):
    """One typed penalty on a decision.

    `kind`: warning | fine | confiscation | stop_production | licence_suspension |
    licence_revocation | closure_referral | detention_referral.
    """

    item_id: str
    kind: str
    amount_fen: int | None = None
    confiscated_items: list[str] = Field(default_factory=list)
    value_fen: int | None = None
    licence: str | None = None
    suspension_days: int | None = None
    persons: int | None = None
    outcome: str | None = None


CAMPAIGN_CODE = "专项行动 (campaigns.json) the case belongs to."


@event("case.filed", 1, aggregate=PENALTY_CASE, topic=ENFORCEMENT_EVENTS)
class CaseFiledV1(EventPayload):
    """A penalty case was filed (立案) under the general procedure.

    `party_type`: unit | person. `rule_set`: the procedural rule in force at filing
    (`2021_law_sector_rule` or `mem_order_18`). `source`: inspection | lead | complaint | referral | other.
    """

    case_id: str
    case_number: str
    procedure: str
    party_type: str
    party_name: str
    enterprise_id: str | None = None
    township_code: str
    unit_type: str
    unit_code: str
    delegated: bool = False
    delegated_township_code: str | None = None
    delegation_id: str | None = None
    filed_on: str
    rule_set: str
    decide_by: str
    cause: str
    source: str
    inspection_id: str | None = None
    lead_id: str | None = None
    industry_code: str | None = None
    campaign_code: str | None = Field(default=None, description=CAMPAIGN_CODE)


@event("case.stage_changed", 1, aggregate=PENALTY_CASE, topic=ENFORCEMENT_EVENTS)
class CaseStageChangedV1(EventPayload):
    """A case moved from one procedural stage to the next, approved by someone with an opinion.

    Stages: filed | investigation | legal_review | collective_discussion | notified | hearing |
    decided | served | executed | closed | archived.
    """

    case_id: str
    case_number: str
    from_stage: str
    to_stage: str
    approver: str
    opinion: str | None = None
    changed_at: str
    township_code: str
    unit_code: str
    delegated: bool = False
    delegated_township_code: str | None = None
    hearing_requested: bool | None = None
    officers: list[str] = Field(default_factory=list)
    action: str | None = None
    decide_by: str | None = None


@event("case.decided", 1, aggregate=PENALTY_CASE, topic=ENFORCEMENT_EVENTS)
class CaseDecidedV1(EventPayload):
    """A decision was made on a case (general or simplified procedure).

    `outcome`: penalty | no_penalty | transfer_judiciary. Totals are in fen.
    """

    case_id: str
    case_number: str
    procedure: str
    outcome: str
    decided_on: str
    decision_number: str | None = None
    party_type: str
    enterprise_id: str | None = None
    township_code: str
    unit_type: str
    unit_code: str
    delegated: bool = False
    delegated_township_code: str | None = None
    items: list[PenaltyItemV1] = Field(default_factory=list)
    fine_total_fen: int = 0
    confiscation_value_fen: int = 0
    stop_production: bool = False
    licence_actions: int = 0
    closure_referrals: int = 0
    detention_referrals: int = 0
    detention_persons: int = 0
    approver: str | None = None
    from_stage: str | None = None
    to_stage: str | None = None
    opinion: str | None = None
    industry_code: str | None = None
    campaign_code: str | None = Field(default=None, description=CAMPAIGN_CODE)


@event("case.simplified_decided", 1, aggregate=PENALTY_CASE, topic=ENFORCEMENT_EVENTS)
class CaseSimplifiedDecidedV1(EventPayload):
    """A penalty decided and served on the spot under the simplified procedure (简易程序): a warning
    and/or a fine within the limit. It is the only event of that decision (no `case.decided`)."""

    case_id: str
    case_number: str
    party_type: str
    party_name: str
    enterprise_id: str | None = None
    township_code: str
    unit_type: str
    unit_code: str
    delegated: bool = False
    delegated_township_code: str | None = None
    decided_on: str
    warning: bool
    fine_fen: int
    officers: list[str] = Field(default_factory=list)
    pay_by: str | None = None
    items: list[PenaltyItemV1] = Field(default_factory=list)
    industry_code: str | None = None
    campaign_code: str | None = Field(default=None, description=CAMPAIGN_CODE)


@event("case.evidence_added", 1, aggregate=PENALTY_CASE, topic=ENFORCEMENT_EVENTS)
class CaseEvidenceAddedV1(EventPayload):
    """An item of evidence (with its attachments) was listed on a case."""

    case_id: str
    evidence_id: str
    kind: str
    title: str
    attachment_ids: list[str] = Field(default_factory=list)
    township_code: str


@event("case.served", 1, aggregate=PENALTY_CASE, topic=ENFORCEMENT_EVENTS)
class CaseServedV1(EventPayload):
    """The decision was served (送达) on the party; `pay_by` is the end of the payment period."""

    case_id: str
    case_number: str
    served_on: str
    method: str
    pay_by: str | None = None
    township_code: str
    unit_code: str
    delegated: bool = False
    delegated_township_code: str | None = None
    from_stage: str | None = None
    to_stage: str | None = None
    approver: str | None = None
    opinion: str | None = None


@event("case.payment_recorded", 1, aggregate=PENALTY_CASE, topic=ENFORCEMENT_EVENTS)
class CasePaymentRecordedV1(EventPayload):
    """A payment towards a fine (and its late charge) was recorded."""

    case_id: str
    payment_id: str
    paid_on: str
    amount_fen: int
    fine_part_fen: int
    late_charge_part_fen: int
    fine_outstanding_fen: int
    late_charge_outstanding_fen: int
    township_code: str
    unit_code: str
    delegated: bool = False
    delegated_township_code: str | None = None


@event("case.court_enforcement_requested", 1, aggregate=PENALTY_CASE, topic=ENFORCEMENT_EVENTS)
class CaseCourtEnforcementRequestedV1(EventPayload):
    """The bureau applied to the court for compulsory enforcement (申请法院强制执行)."""

    case_id: str
    requested_on: str
    court: str
    fine_outstanding_fen: int
    late_charge_fen: int
    township_code: str


@event("case.item_outcome_recorded", 1, aggregate=PENALTY_CASE, topic=ENFORCEMENT_EVENTS)
class CaseItemOutcomeRecordedV1(EventPayload):
    """The outcome of a penalty item was recorded: the government's decision on a closure referral,
    the police outcome (and persons) of a detention referral, or the reinstatement after a stop order."""

    case_id: str
    item_id: str
    kind: str
    outcome: str
    decided_by: str | None = None
    decided_on: str
    persons: int | None = None
    township_code: str
    unit_code: str


@event("case.executed", 1, aggregate=PENALTY_CASE, topic=ENFORCEMENT_EVENTS)
class CaseExecutedV1(EventPayload):
    """The decision was carried out. `how`: voluntary | court_enforced | not_applicable."""

    case_id: str
    case_number: str
    executed_on: str
    how: str
    fine_paid_fen: int
    late_charge_paid_fen: int
    township_code: str
    unit_code: str
    delegated: bool = False
    delegated_township_code: str | None = None
    from_stage: str | None = None
    to_stage: str | None = None
    approver: str | None = None
    opinion: str | None = None


@event("case.closed", 1, aggregate=PENALTY_CASE, topic=ENFORCEMENT_EVENTS)
class CaseClosedV1(EventPayload):
    """The case was closed (结案)."""

    case_id: str
    case_number: str
    closed_on: str
    approver: str
    township_code: str
    unit_code: str
    delegated: bool = False
    delegated_township_code: str | None = None
    from_stage: str | None = None
    to_stage: str | None = None
    opinion: str | None = None


@event("case.archived", 1, aggregate=PENALTY_CASE, topic=ENFORCEMENT_EVENTS)
class CaseArchivedV1(EventPayload):
    """The case was archived (归档); it can no longer change."""

    case_id: str
    case_number: str
    archived_on: str
    archive_number: str
    township_code: str
    from_stage: str | None = None
    to_stage: str | None = None
    approver: str | None = None
    opinion: str | None = None


@event("case.clock_warning", 1, aggregate=PENALTY_CASE, topic=ENFORCEMENT_EVENTS)
class CaseClockWarningV1(EventPayload):
    """A legal time limit of a case is near (`nearing`) or has passed (`overdue`).

    `clock`: decide | hearing_request | service | payment. Emitted once per (case, clock, status).
    """

    case_id: str
    case_number: str
    clock: str
    status: str
    due_on: str
    days_left: int
    township_code: str
    unit_code: str
    delegated: bool = False
    delegated_township_code: str | None = None


# --- delegation --------------------------------------------------------------------------------


@event("delegation.granted", 1, aggregate=DELEGATION, topic=ENFORCEMENT_EVENTS)
class DelegationGrantedV1(EventPayload):
    """The bureau delegated enforcement to a township (委托执法) by a published document.

    `scope`: the penalty item kinds the township may impose; `max_fine_fen` caps a fine (None: no cap).
    """

    delegation_id: str
    township_code: str
    scope: list[str]
    max_fine_fen: int | None = None
    starts_on: str
    ends_on: str
    document_number: str
    document_title: str
    published_on: str


@event("delegation.revoked", 1, aggregate=DELEGATION, topic=ENFORCEMENT_EVENTS)
class DelegationRevokedV1(EventPayload):
    """A delegation was revoked before its term ended."""

    delegation_id: str
    township_code: str
    revoked_on: str
    reason: str


# --- crackdowns, interviews, exposures, typical cases ----------------------------------------


class SeizureV1(_Part):
    """Something seized or stopped in a crackdown action."""

    item: str
    quantity: str
    unit: str | None = None
    value_fen: int = 0


@event("crackdown.action_recorded", 1, aggregate=CRACKDOWN, topic=ENFORCEMENT_EVENTS)
class CrackdownActionRecordedV1(EventPayload):
    """An action against illegal operations (打非治违)."""

    action_id: str
    unit_type: str
    unit_code: str
    township_code: str | None = None
    acted_on: str
    patrols: int
    persons_deployed: int
    sites_stopped: int
    seizures: list[SeizureV1] = Field(default_factory=list)
    seizure_value_fen: int = 0
    campaign_code: str | None = None


@event("interview.recorded", 1, aggregate=INTERVIEW, topic=ENFORCEMENT_EVENTS)
class InterviewRecordedV1(EventPayload):
    """An interview (约谈) was held; `persons` is the number of people interviewed."""

    interview_id: str
    unit_type: str
    unit_code: str
    township_code: str | None = None
    held_on: str
    persons: int
    enterprise_ids: list[str] = Field(default_factory=list)
    subject: str
    hazard_id: str | None = None


@event("exposure.published", 1, aggregate=EXPOSURE, topic=ENFORCEMENT_EVENTS)
class ExposurePublishedV1(EventPayload):
    """A public warning exposure (警示曝光) was published."""

    exposure_id: str
    unit_type: str
    unit_code: str
    township_code: str | None = None
    published_on: str
    channel: str
    title: str
    enterprise_ids: list[str] = Field(default_factory=list)


@event("typical_case.published", 1, aggregate=TYPICAL_CASE, topic=ENFORCEMENT_EVENTS)
class TypicalCasePublishedV1(EventPayload):
    """A typical case (典型案例) was published."""

    typical_case_id: str
    case_id: str | None = None
    unit_type: str
    unit_code: str
    township_code: str | None = None
    published_on: str
    title: str
    channel: str


# --- plan --------------------------------------------------------------------------------------


class MonthlyTargetV1(_Part):
    """Planned counts for one month of an annual enforcement plan."""

    month: int
    inspections: int = 0
    enterprise_checks: int = 0
    cases: int = 0


@event("enforcement_plan.set", 1, aggregate=ENFORCEMENT_PLAN, topic=ENFORCEMENT_EVENTS)
class EnforcementPlanSetV1(EventPayload):
    """The annual enforcement plan of a department or township was set or replaced (full state)."""

    plan_id: str
    year: int
    unit_type: str
    unit_code: str
    approved_by: str
    approved_on: str
    document_number: str | None = None
    months: list[MonthlyTargetV1]
    total_inspections: int
    total_enterprise_checks: int
    total_cases: int


# --- case leads --------------------------------------------------------------------------------


@event("case_lead.opened", 1, aggregate=CASE_LEAD, topic=ENFORCEMENT_EVENTS)
class CaseLeadOpenedV1(EventPayload):
    """A lead for a possible case was opened (e.g. from an overdue major hazard); never a case by itself."""

    lead_id: str
    source: str
    hazard_id: str | None = None
    enterprise_id: str | None = None
    township_code: str
    summary: str
    opened_on: str


@event("case_lead.accepted", 1, aggregate=CASE_LEAD, topic=ENFORCEMENT_EVENTS)
class CaseLeadAcceptedV1(EventPayload):
    """An officer accepted a lead; a case may be filed from it (`case_id` when filed)."""

    lead_id: str
    hazard_id: str | None = None
    township_code: str
    accepted_by: str
    accepted_on: str
    note: str | None = None
    case_id: str | None = None


@event("case_lead.dismissed", 1, aggregate=CASE_LEAD, topic=ENFORCEMENT_EVENTS)
class CaseLeadDismissedV1(EventPayload):
    """An officer dismissed a lead with a reason."""

    lead_id: str
    hazard_id: str | None = None
    township_code: str
    dismissed_by: str
    dismissed_on: str
    reason: str


@event("case_lead.case_filed", 1, aggregate=CASE_LEAD, topic=ENFORCEMENT_EVENTS)
class CaseLeadCaseFiledV1(EventPayload):
    """A case was filed from an accepted lead (`case.filed` of that case names the lead too)."""

    lead_id: str
    hazard_id: str | None = None
    township_code: str
    case_id: str
