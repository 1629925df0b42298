"""The penalty case as a pure state machine: stages, guards, penalty items and payments.

No database or web code here: the service layer copies a case row into `CaseState`, calls one
transition, and copies the state back. Every transition returns the `StageEntry` to record.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from enforcement_service.cases.exceptions import (
    CaseArchived,
    PaymentRefused,
    SimplifiedProcedureRefused,
    StageNotAllowed,
)
from enforcement_service.cases.rules import ProcedureRules, late_charge_fen
from shared.errors import ValidationFailed, field_error


class Stage(StrEnum):
    """Stages of a penalty case."""

    FILED = "filed"
    INVESTIGATION = "investigation"
    LEGAL_REVIEW = "legal_review"
    COLLECTIVE_DISCUSSION = "collective_discussion"
    NOTIFIED = "notified"
    HEARING = "hearing"
    DECIDED = "decided"
    SERVED = "served"
    EXECUTED = "executed"
    CLOSED = "closed"
    ARCHIVED = "archived"


class Procedure(StrEnum):
    """General (普通程序) or simplified (简易程序) procedure."""

    GENERAL = "general"
    SIMPLIFIED = "simplified"


class Outcome(StrEnum):
    """What a decision decided."""

    PENALTY = "penalty"
    NO_PENALTY = "no_penalty"
    TRANSFER_JUDICIARY = "transfer_judiciary"


class ItemKind(StrEnum):
    """Kinds of penalty item on a decision."""

    WARNING = "warning"
    FINE = "fine"
    CONFISCATION = "confiscation"
    STOP_PRODUCTION = "stop_production"
    LICENCE_SUSPENSION = "licence_suspension"
    LICENCE_REVOCATION = "licence_revocation"
    CLOSURE_REFERRAL = "closure_referral"
    DETENTION_REFERRAL = "detention_referral"


class ExecutionHow(StrEnum):
    """How a decision was carried out."""

    VOLUNTARY = "voluntary"
    COURT_ENFORCED = "court_enforced"
    NOT_APPLICABLE = "not_applicable"


# Items that make a decision a major one (重大执法决定): legal review (法制审核) is required.
LEGAL_REVIEW_KINDS = frozenset(
    {
        ItemKind.STOP_PRODUCTION,
        ItemKind.LICENCE_SUSPENSION,
        ItemKind.LICENCE_REVOCATION,
        ItemKind.CLOSURE_REFERRAL,
        ItemKind.DETENTION_REFERRAL,
    }
)
# Items that need the collective discussion of the bureau's leaders (集体讨论).
COLLECTIVE_KINDS = frozenset({ItemKind.STOP_PRODUCTION, ItemKind.LICENCE_REVOCATION, ItemKind.CLOSURE_REFERRAL})
# Outcomes of the referral and order items, by kind.
ITEM_OUTCOMES: dict[ItemKind, frozenset[str]] = {
    ItemKind.CLOSURE_REFERRAL: frozenset({"closure_approved", "closure_rejected"}),
    ItemKind.DETENTION_REFERRAL: frozenset({"detained", "not_detained"}),
    ItemKind.STOP_PRODUCTION: frozenset({"reinstated", "closed_down"}),
}
PENDING_OUTCOME_KINDS = frozenset({ItemKind.CLOSURE_REFERRAL, ItemKind.DETENTION_REFERRAL})


@dataclass
class PenaltyItem:
    """One typed penalty: amounts in fen; referral outcomes filled in later."""

    kind: ItemKind
    amount_fen: int | None = None
    confiscated_items: list[str] = field(default_factory=list)
    value_fen: int | None = None
    licence: str | None = None
    suspension_days: int | None = None
    persons: int | None = None
    item_id: str = field(default_factory=lambda: uuid.uuid4().hex[:12])
    outcome: str | None = None
    outcome_by: str | None = None
    outcome_on: date | None = None

    def validate(self, index: int) -> None:
        """Each kind carries what it needs: a fine its amount, a confiscation its items and value..."""
        where = f"items[{index}]"
        problems: list[dict[str, str]] = []
        if self.kind is ItemKind.FINE and not (self.amount_fen and self.amount_fen > 0):
            problems.append(field_error(f"{where}.amount_fen", "a fine needs a positive amount"))
        if self.kind is ItemKind.CONFISCATION and (not self.confiscated_items or self.value_fen is None):
            problems.append(field_error(f"{where}.confiscated_items", "a confiscation lists its items and value"))
        if self.kind in (ItemKind.LICENCE_SUSPENSION, ItemKind.LICENCE_REVOCATION) and not self.licence:
            problems.append(field_error(f"{where}.licence", "name the licence suspended or revoked"))
        if self.kind is ItemKind.LICENCE_SUSPENSION and not (self.suspension_days and self.suspension_days > 0):
            problems.append(field_error(f"{where}.suspension_days", "a suspension needs its length in days"))
        if self.kind is ItemKind.DETENTION_REFERRAL and not (self.persons and self.persons > 0):
            problems.append(field_error(f"{where}.persons", "a detention referral names how many persons"))
        if problems:
            raise ValidationFailed("a penalty item is incomplete", errors=problems)


@dataclass
class StageEntry:
    """One step of a case's history: what was done, by whom, with what opinion, when."""

    action: str
    from_stage: Stage
    to_stage: Stage
    approver: str
    opinion: str | None
    at: datetime


@dataclass
class CaseState:
    """The procedural state of a case (mirrors the case row's procedural columns)."""

    procedure: Procedure
    stage: Stage
    party_type: str
    rule_set: str
    filed_on: date
    decide_by: date
    decide_extended: bool = False
    officers: list[str] = field(default_factory=list)
    proposed_items: list[PenaltyItem] = field(default_factory=list)
    legal_reviewed_on: date | None = None
    collective_discussed_on: date | None = None
    notified_on: date | None = None
    hearing_request_by: date | None = None
    hearing_requested_on: date | None = None
    hearing_on: date | None = None
    hearing_held_on: date | None = None
    hearing_waived: bool = False
    outcome: Outcome | None = None
    decided_on: date | None = None
    decision_number: str | None = None
    items: list[PenaltyItem] = field(default_factory=list)
    fine_total_fen: int = 0
    service_by: date | None = None
    served_on: date | None = None
    pay_by: date | None = None
    fine_paid_fen: int = 0
    late_charge_paid_fen: int = 0
    court_enforcement_requested_on: date | None = None
    court: str | None = None
    executed_on: date | None = None
    execution_how: ExecutionHow | None = None
    closed_on: date | None = None
    archived_on: date | None = None
    archive_number: str | None = None


def fine_total(items: Sequence[PenaltyItem]) -> int:
    """Sum of the fines of a decision, in fen."""
    return sum(i.amount_fen or 0 for i in items if i.kind is ItemKind.FINE)


def needs_legal_review(items: Sequence[PenaltyItem], rules: ProcedureRules) -> bool:
    """Whether the proposed penalty is a major decision that needs legal review."""
    return any(i.kind in LEGAL_REVIEW_KINDS for i in items) or fine_total(items) >= rules.legal_review_fine_fen


def needs_collective_discussion(items: Sequence[PenaltyItem], rules: ProcedureRules) -> bool:
    """Whether the proposed penalty needs the collective discussion of the bureau's leaders."""
    return any(i.kind in COLLECTIVE_KINDS for i in items) or fine_total(items) >= rules.collective_discussion_fine_fen


def ensure_mutable(case: CaseState) -> None:
    """An archived case refuses every change (CaseArchived), before any other check."""
    if case.stage is Stage.ARCHIVED:
        raise CaseArchived(f"the case was archived on {case.archived_on}; an archived case can no longer change")


def _require_stage(case: CaseState, action: str, *allowed: Stage) -> None:
    ensure_mutable(case)
    if case.stage not in allowed:
        names = ", ".join(s.value for s in allowed)
        raise StageNotAllowed(f"`{action}` is allowed only in stage {names}; the case is in stage {case.stage.value}")


def _require_general(case: CaseState, action: str) -> None:
    ensure_mutable(case)
    if case.procedure is not Procedure.GENERAL:
        raise StageNotAllowed(f"`{action}` belongs to the general procedure; this is a simplified case")


def _not_before(day: date, earlier: date | None, what: str) -> None:
    if earlier is not None and day < earlier:
        raise ValidationFailed(f"the date {day} is before {what} ({earlier})")


def _move(case: CaseState, action: str, to: Stage, approver: str, opinion: str | None, at: datetime) -> StageEntry:
    entry = StageEntry(action=action, from_stage=case.stage, to_stage=to, approver=approver, opinion=opinion, at=at)
    case.stage = to
    return entry


def validate_items(items: Sequence[PenaltyItem]) -> None:
    """Every item carries what its kind needs; a decision has at most one item of each kind."""
    kinds = [i.kind for i in items]
    if len(set(kinds)) != len(kinds):
        raise ValidationFailed("each penalty kind may appear once", errors=[field_error("items", "duplicate kind")])
    for index, item in enumerate(items):
        item.validate(index)


def start_investigation(
    case: CaseState, *, officers: Sequence[str], approver: str, opinion: str | None, at: datetime
) -> StageEntry:
    """filed -> investigation: at least two law-enforcement officers investigate (art. 42)."""
    _require_general(case, "investigate")
    _require_stage(case, "investigate", Stage.FILED)
    distinct = sorted({o.strip() for o in officers if o.strip()})
    if len(distinct) < 2:
        raise StageNotAllowed("an investigation needs at least two law-enforcement officers")
    case.officers = distinct
    return _move(case, "investigate", Stage.INVESTIGATION, approver, opinion, at)


def legal_review(
    case: CaseState,
    *,
    proposed_items: Sequence[PenaltyItem],
    reviewed_on: date,
    approver: str,
    opinion: str | None,
    at: datetime,
) -> StageEntry:
    """investigation -> legal_review: the legal officer reviews the proposed penalty (法制审核)."""
    _require_general(case, "legal_review")
    _require_stage(case, "legal_review", Stage.INVESTIGATION)
    validate_items(proposed_items)
    _not_before(reviewed_on, case.filed_on, "the filing date")
    case.proposed_items = list(proposed_items)
    case.legal_reviewed_on = reviewed_on
    return _move(case, "legal_review", Stage.LEGAL_REVIEW, approver, opinion, at)


def collective_discussion(
    case: CaseState, *, discussed_on: date, approver: str, opinion: str | None, at: datetime
) -> StageEntry:
    """legal_review -> collective_discussion: the bureau's leaders discuss the case (集体讨论)."""
    _require_general(case, "collective_discussion")
    _require_stage(case, "collective_discussion", Stage.LEGAL_REVIEW)
    _not_before(discussed_on, case.legal_reviewed_on, "the legal review")
    case.collective_discussed_on = discussed_on
    return _move(case, "collective_discussion", Stage.COLLECTIVE_DISCUSSION, approver, opinion, at)


def _check_reviews(case: CaseState, items: Sequence[PenaltyItem], rules: ProcedureRules) -> None:
    if needs_legal_review(items, rules) and case.legal_reviewed_on is None:
        raise StageNotAllowed("this penalty is a major decision: legal review (法制审核) is required first")
    if needs_collective_discussion(items, rules) and case.collective_discussed_on is None:
        raise StageNotAllowed("this penalty needs collective discussion (集体讨论) first")


def notify(
    case: CaseState,
    *,
    proposed_items: Sequence[PenaltyItem],
    notified_on: date,
    rules: ProcedureRules,
    approver: str,
    opinion: str | None,
    at: datetime,
) -> StageEntry:
    """-> notified: tell the party the proposed penalty and the rights to state, defend and ask for a hearing."""
    _require_general(case, "notify")
    _require_stage(case, "notify", Stage.INVESTIGATION, Stage.LEGAL_REVIEW, Stage.COLLECTIVE_DISCUSSION)
    validate_items(proposed_items)
    if not proposed_items:
        raise ValidationFailed("a notice proposes at least one penalty", errors=[field_error("items", "empty")])
    _not_before(notified_on, case.filed_on, "the filing date")
    _check_reviews(case, proposed_items, rules)
    case.proposed_items = list(proposed_items)
    case.notified_on = notified_on
    case.hearing_request_by = rules.hearing_request_by(notified_on)
    return _move(case, "notify", Stage.NOTIFIED, approver, opinion, at)


def request_hearing(
    case: CaseState,
    *,
    requested_on: date,
    hearing_noticed_on: date,
    hearing_on: date,
    rules: ProcedureRules,
    approver: str,
    opinion: str | None,
    at: datetime,
) -> StageEntry:
    """notified -> hearing: the party asked within the limit; the hearing is noticed far enough ahead."""
    _require_general(case, "request_hearing")
    _require_stage(case, "request_hearing", Stage.NOTIFIED)
    assert case.hearing_request_by is not None
    _not_before(requested_on, case.notified_on, "the notice")
    if requested_on > case.hearing_request_by:
        raise StageNotAllowed(
            f"the hearing request period ended on {case.hearing_request_by}; a request on {requested_on} is late"
        )
    _not_before(hearing_noticed_on, requested_on, "the request")
    earliest = rules.earliest_hearing_on(hearing_noticed_on)
    if hearing_on < earliest:
        raise StageNotAllowed(
            f"the party must be told {rules.hearing_notice_days} days ahead: a hearing noticed on "
            f"{hearing_noticed_on} may be held on {earliest} at the earliest"
        )
    case.hearing_requested_on = requested_on
    case.hearing_on = hearing_on
    return _move(case, "request_hearing", Stage.HEARING, approver, opinion, at)


def hold_hearing(case: CaseState, *, held_on: date, approver: str, opinion: str | None, at: datetime) -> StageEntry:
    """hearing -> hearing: the hearing was held (record of the hearing officer)."""
    _require_stage(case, "hold_hearing", Stage.HEARING)
    if case.hearing_held_on is not None:
        raise StageNotAllowed(f"the hearing was already held on {case.hearing_held_on}")
    _not_before(held_on, case.hearing_on, "the scheduled hearing date")
    case.hearing_held_on = held_on
    return _move(case, "hold_hearing", Stage.HEARING, approver, opinion, at)


def extend_deadline(case: CaseState, *, rules: ProcedureRules, approver: str, opinion: str, at: datetime) -> StageEntry:
    """Extend the time to decide once, with the approval the rule requires."""
    _require_general(case, "extend_deadline")
    _require_stage(
        case,
        "extend_deadline",
        Stage.FILED,
        Stage.INVESTIGATION,
        Stage.LEGAL_REVIEW,
        Stage.COLLECTIVE_DISCUSSION,
        Stage.NOTIFIED,
        Stage.HEARING,
    )
    if case.decide_extended:
        raise StageNotAllowed("the time to decide was already extended once")
    if rules.decide_extension_days <= 0:
        raise StageNotAllowed(f"the rule {rules.code} allows no extension")
    case.decide_extended = True
    case.decide_by = rules.decide_by(case.filed_on, extended=True)
    return _move(case, "extend_deadline", case.stage, approver, opinion, at)


def decide(
    case: CaseState,
    *,
    outcome: Outcome,
    items: Sequence[PenaltyItem],
    decided_on: date,
    decision_number: str,
    rules: ProcedureRules,
    approver: str,
    opinion: str | None,
    at: datetime,
) -> StageEntry:
    """-> decided: a penalty (after notice and any hearing), no penalty, or transfer to the judiciary."""
    _require_general(case, "decide")
    before_notice = (Stage.INVESTIGATION, Stage.LEGAL_REVIEW, Stage.COLLECTIVE_DISCUSSION)
    _require_stage(case, "decide", *before_notice, Stage.NOTIFIED, Stage.HEARING)
    _not_before(decided_on, case.filed_on, "the filing date")
    if outcome is Outcome.PENALTY:
        if case.stage in before_notice:
            raise StageNotAllowed("a penalty may be decided only after the party was notified of it and its rights")
        if not items:
            raise ValidationFailed("a penalty decision lists its items", errors=[field_error("items", "empty")])
        validate_items(items)
        _check_reviews(case, items, rules)
        if case.stage is Stage.NOTIFIED:
            assert case.hearing_request_by is not None
            if decided_on <= case.hearing_request_by and not case.hearing_waived:
                raise StageNotAllowed(
                    f"the party may ask for a hearing until {case.hearing_request_by}; decide after that "
                    "or record that the party waived its rights"
                )
        if case.stage is Stage.HEARING and case.hearing_held_on is None:
            raise StageNotAllowed("the hearing the party asked for has not been held")
    elif items:
        raise ValidationFailed(
            "only a penalty decision carries penalty items", errors=[field_error("items", "not empty")]
        )
    case.outcome = outcome
    case.items = list(items)
    case.fine_total_fen = fine_total(items)
    case.decided_on = decided_on
    case.decision_number = decision_number
    case.service_by = rules.service_by(decided_on)
    return _move(case, "decide", Stage.DECIDED, approver, opinion, at)


def waive_hearing(case: CaseState, *, approver: str, opinion: str | None, at: datetime) -> StageEntry:
    """The party stated in writing that it does not ask for a hearing (放弃陈述申辩和听证)."""
    _require_stage(case, "waive_hearing", Stage.NOTIFIED)
    case.hearing_waived = True
    return _move(case, "waive_hearing", Stage.NOTIFIED, approver, opinion, at)


def serve(
    case: CaseState, *, served_on: date, rules: ProcedureRules, approver: str, opinion: str | None, at: datetime
) -> StageEntry:
    """decided -> served: the decision was delivered; the payment period starts."""
    _require_stage(case, "serve", Stage.DECIDED)
    if case.outcome is Outcome.TRANSFER_JUDICIARY:
        raise StageNotAllowed("a case transferred to the judiciary is closed, not served")
    _not_before(served_on, case.decided_on, "the decision")
    case.served_on = served_on
    case.pay_by = rules.pay_by(served_on) if case.fine_total_fen > 0 else None
    return _move(case, "serve", Stage.SERVED, approver, opinion, at)


@dataclass(frozen=True)
class PaymentAllocation:
    """How a payment splits between the fine and the late charge, and what remains owed."""

    fine_part_fen: int
    late_charge_part_fen: int
    fine_outstanding_fen: int
    late_charge_outstanding_fen: int


def owed_on(
    case: CaseState, *, on: date, payments: Sequence[tuple[date, int]], rules: ProcedureRules
) -> tuple[int, int]:
    """(fine outstanding, late charge outstanding) on a day, given the payments made so far."""
    fine_outstanding = case.fine_total_fen - case.fine_paid_fen
    charge = 0
    if case.pay_by is not None:
        charge = late_charge_fen(
            rules=rules, fine_fen=case.fine_total_fen, pay_by=case.pay_by, payments=payments, as_of=on
        )
    return fine_outstanding, max(charge - case.late_charge_paid_fen, 0)


def record_payment(
    case: CaseState,
    *,
    paid_on: date,
    amount_fen: int,
    previous_payments: Sequence[tuple[date, int]],
    rules: ProcedureRules,
) -> PaymentAllocation:
    """Apply a payment: to the fine first, then to the late charge accrued up to the payment day."""
    _require_stage(case, "record_payment", Stage.SERVED)
    if amount_fen <= 0:
        raise ValidationFailed("a payment is positive", errors=[field_error("amount_fen", "must be > 0")])
    _not_before(paid_on, case.served_on, "service of the decision")
    if previous_payments and paid_on < max(d for d, _ in previous_payments):
        raise ValidationFailed("payments are recorded in date order")
    # The late charge stops accruing on the day the fine is paid, so count this payment in.
    fine_out, _ = owed_on(case, on=paid_on, payments=previous_payments, rules=rules)
    fine_part = min(amount_fen, fine_out)
    _, charge_out = owed_on(case, on=paid_on, payments=[*previous_payments, (paid_on, fine_part)], rules=rules)
    charge_part = amount_fen - fine_part
    if charge_part > charge_out:
        raise PaymentRefused(
            f"the payment of {amount_fen} fen exceeds what is owed ({fine_out} fen fine, {charge_out} fen late charge)"
        )
    case.fine_paid_fen += fine_part
    case.late_charge_paid_fen += charge_part
    return PaymentAllocation(
        fine_part_fen=fine_part,
        late_charge_part_fen=charge_part,
        fine_outstanding_fen=fine_out - fine_part,
        late_charge_outstanding_fen=charge_out - charge_part,
    )


def request_court_enforcement(
    case: CaseState, *, requested_on: date, court: str, approver: str, opinion: str | None, at: datetime
) -> StageEntry:
    """Apply to the court for compulsory enforcement once the payment period passed unpaid."""
    _require_stage(case, "request_court_enforcement", Stage.SERVED)
    if case.fine_total_fen - case.fine_paid_fen <= 0:
        raise StageNotAllowed("the fine is paid; there is nothing to enforce")
    if case.pay_by is None or requested_on <= case.pay_by:
        raise StageNotAllowed(f"the payment period runs until {case.pay_by}; court enforcement comes after it")
    if case.court_enforcement_requested_on is not None:
        raise StageNotAllowed(f"court enforcement was already requested on {case.court_enforcement_requested_on}")
    case.court_enforcement_requested_on = requested_on
    case.court = court
    return _move(case, "request_court_enforcement", Stage.SERVED, approver, opinion, at)


def record_item_outcome(
    case: CaseState, *, item_id: str, outcome: str, decided_by: str, decided_on: date, persons: int | None
) -> PenaltyItem:
    """Record the government's decision on a closure, the police outcome of a detention, or a reinstatement."""
    # Closure waits for the referrals, not for a stop order: its end may come after the case is closed.
    _require_stage(case, "record_item_outcome", Stage.DECIDED, Stage.SERVED, Stage.EXECUTED, Stage.CLOSED)
    item = next((i for i in case.items if i.item_id == item_id), None)
    if item is None:
        raise ValidationFailed("no such penalty item on the decision", errors=[field_error("item_id", "unknown")])
    allowed = ITEM_OUTCOMES.get(item.kind)
    if allowed is None:
        raise StageNotAllowed(f"a {item.kind.value} item has no outcome to record")
    if outcome not in allowed:
        raise ValidationFailed(
            f"outcome of a {item.kind.value} is one of {', '.join(sorted(allowed))}",
            errors=[field_error("outcome", "not allowed for this kind")],
        )
    if item.outcome is not None:
        raise StageNotAllowed(f"the outcome of this item was already recorded ({item.outcome})")
    _not_before(decided_on, case.decided_on, "the decision")
    if item.kind is ItemKind.DETENTION_REFERRAL and outcome == "detained" and not (persons and persons > 0):
        raise ValidationFailed("say how many persons were detained", errors=[field_error("persons", "required")])
    item.outcome = outcome
    item.outcome_by = decided_by
    item.outcome_on = decided_on
    if persons is not None:
        item.persons = persons
    return item


def execute(
    case: CaseState,
    *,
    how: ExecutionHow,
    executed_on: date,
    payments: Sequence[tuple[date, int]],
    rules: ProcedureRules,
    approver: str,
    opinion: str | None,
    at: datetime,
) -> StageEntry:
    """served -> executed: paid in full (fine and late charge), enforced by the court, or nothing to pay."""
    _require_stage(case, "execute", Stage.SERVED)
    _not_before(executed_on, case.served_on, "service of the decision")
    fine_out, charge_out = owed_on(case, on=executed_on, payments=payments, rules=rules)
    if how is ExecutionHow.NOT_APPLICABLE and case.fine_total_fen > 0:
        raise StageNotAllowed("the decision imposes a fine; record its payment or court enforcement")
    if how is ExecutionHow.VOLUNTARY and (fine_out > 0 or charge_out > 0):
        raise StageNotAllowed(f"still owed: {fine_out} fen fine and {charge_out} fen late charge")
    if how is ExecutionHow.COURT_ENFORCED and case.court_enforcement_requested_on is None:
        raise StageNotAllowed("court enforcement was not requested")
    case.executed_on = executed_on
    case.execution_how = how
    return _move(case, "execute", Stage.EXECUTED, approver, opinion, at)


def close(case: CaseState, *, closed_on: date, approver: str, opinion: str | None, at: datetime) -> StageEntry:
    """executed -> closed (结案); a transfer to the judiciary closes straight after the decision."""
    _require_stage(case, "close", Stage.EXECUTED, Stage.DECIDED)
    if case.stage is Stage.DECIDED and case.outcome is not Outcome.TRANSFER_JUDICIARY:
        raise StageNotAllowed("the decision must be served and executed before the case is closed")
    pending = [i.kind.value for i in case.items if i.kind in PENDING_OUTCOME_KINDS and i.outcome is None]
    if pending:
        raise StageNotAllowed(f"waiting for the outcome of: {', '.join(pending)}")
    _not_before(closed_on, case.executed_on or case.decided_on, "execution")
    case.closed_on = closed_on
    return _move(case, "close", Stage.CLOSED, approver, opinion, at)


def archive(
    case: CaseState, *, archived_on: date, archive_number: str, approver: str, opinion: str | None, at: datetime
) -> StageEntry:
    """closed -> archived (归档): from here on the case can no longer change."""
    _require_stage(case, "archive", Stage.CLOSED)
    _not_before(archived_on, case.closed_on, "closure")
    case.archived_on = archived_on
    case.archive_number = archive_number
    return _move(case, "archive", Stage.ARCHIVED, approver, opinion, at)


def ensure_can_add_evidence(case: CaseState) -> None:
    """Evidence may be listed until the case is closed; never on an archived case."""
    _require_stage(
        case,
        "add_evidence",
        Stage.FILED,
        Stage.INVESTIGATION,
        Stage.LEGAL_REVIEW,
        Stage.COLLECTIVE_DISCUSSION,
        Stage.NOTIFIED,
        Stage.HEARING,
        Stage.DECIDED,
        Stage.SERVED,
        Stage.EXECUTED,
    )


def new_general_case(*, party_type: str, filed_on: date, rules: ProcedureRules) -> CaseState:
    """A case just filed (立案) under the general procedure; the time to decide starts."""
    return CaseState(
        procedure=Procedure.GENERAL,
        stage=Stage.FILED,
        party_type=party_type,
        rule_set=rules.code,
        filed_on=filed_on,
        decide_by=rules.decide_by(filed_on),
    )


def check_simplified(*, party_type: str, warning: bool, fine_fen: int, rules: ProcedureRules) -> None:
    """Only a warning or a small fine may be decided on the spot; anything else is refused with the reason."""
    if not warning and fine_fen <= 0:
        raise SimplifiedProcedureRefused(
            "a simplified decision imposes a warning or a fine", errors=[field_error("fine_fen", "nothing imposed")]
        )
    limit = rules.simplified_max_fen(party_type)
    if fine_fen > limit:
        who = "a person" if party_type == "person" else "a unit"
        raise SimplifiedProcedureRefused(
            f"the simplified procedure allows a fine of at most {limit // 100} yuan for {who} "
            f"(rule {rules.code}); {fine_fen / 100:.2f} yuan needs the general procedure",
            errors=[field_error("fine_fen", f"exceeds {limit} fen")],
        )


def new_simplified_case(
    *, party_type: str, decided_on: date, warning: bool, fine_fen: int, decision_number: str, rules: ProcedureRules
) -> CaseState:
    """A penalty decided and served on the spot (简易程序); the payment period starts at once."""
    check_simplified(party_type=party_type, warning=warning, fine_fen=fine_fen, rules=rules)
    items = []
    if warning:
        items.append(PenaltyItem(kind=ItemKind.WARNING))
    if fine_fen > 0:
        items.append(PenaltyItem(kind=ItemKind.FINE, amount_fen=fine_fen))
    return CaseState(
        procedure=Procedure.SIMPLIFIED,
        stage=Stage.SERVED,
        party_type=party_type,
        rule_set=rules.code,
        filed_on=decided_on,
        decide_by=decided_on,
        outcome=Outcome.PENALTY,
        items=items,
        fine_total_fen=fine_fen,
        decided_on=decided_on,
        decision_number=decision_number,
        served_on=decided_on,
        service_by=decided_on,
        pay_by=rules.pay_by(decided_on) if fine_fen > 0 else None,
    )


@dataclass(frozen=True)
class ClockStatus:
    """A legal limit of a case and how close it is."""

    clock: str
    due_on: date
    days_left: int
    status: str


def open_clocks(case: CaseState, *, today: date, rules: ProcedureRules) -> list[ClockStatus]:
    """The limits running on a case today, each `nearing` (within nearing_days), `overdue` or `running`."""
    due: list[tuple[str, date]] = []
    if case.stage in (
        Stage.FILED,
        Stage.INVESTIGATION,
        Stage.LEGAL_REVIEW,
        Stage.COLLECTIVE_DISCUSSION,
        Stage.NOTIFIED,
        Stage.HEARING,
    ):
        due.append(("decide", case.decide_by))
    if case.stage is Stage.NOTIFIED and case.hearing_request_by and not case.hearing_waived:
        due.append(("hearing_request", case.hearing_request_by))
    if case.stage is Stage.DECIDED and case.service_by and case.outcome is not Outcome.TRANSFER_JUDICIARY:
        due.append(("service", case.service_by))
    if case.stage is Stage.SERVED and case.pay_by and case.fine_paid_fen < case.fine_total_fen:
        due.append(("payment", case.pay_by))
    result = []
    for clock, due_on in due:
        days_left = (due_on - today).days
        if days_left < 0:
            status = "overdue"
        elif days_left <= rules.nearing_days:
            status = "nearing"
        else:
            status = "running"
        result.append(ClockStatus(clock=clock, due_on=due_on, days_left=days_left, status=status))
    return result
