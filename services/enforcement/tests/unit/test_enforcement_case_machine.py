"""Every transition of the penalty case state machine, its guards and the simplified procedure."""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest

from enforcement_service.cases import domain
from enforcement_service.cases.domain import (
    CaseState,
    ExecutionHow,
    ItemKind,
    Outcome,
    PenaltyItem,
    Procedure,
    Stage,
)
from enforcement_service.cases.exceptions import (
    CaseArchived,
    PaymentRefused,
    SimplifiedProcedureRefused,
    StageNotAllowed,
)
from enforcement_service.cases.rules import PROCEDURE_RULES
from shared.errors import ValidationFailed

BOOK = PROCEDURE_RULES
AT = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
FILED = date(2026, 3, 2)
RULES = BOOK.on(FILED)
STEP = {"approver": "局长 张三", "opinion": "同意", "at": AT}


def fine(fen: int) -> PenaltyItem:
    return PenaltyItem(kind=ItemKind.FINE, amount_fen=fen)


def filed() -> CaseState:
    return domain.new_general_case(party_type="unit", filed_on=FILED, rules=RULES)


def investigating() -> CaseState:
    case = filed()
    domain.start_investigation(case, officers=["李四", "王五"], **STEP)
    return case


def decide(
    case: CaseState,
    items: list[PenaltyItem],
    decided_on: date,
    outcome: Outcome = Outcome.PENALTY,
    number: str = "D",
) -> None:
    """Decide the case (a penalty with `items` unless told otherwise) under the rules in force."""
    domain.decide(
        case, outcome=outcome, items=items, decided_on=decided_on, decision_number=number, rules=RULES, **STEP
    )


def request_hearing(case: CaseState, requested_on: date, noticed_on: date, hearing_on: date) -> None:
    """The party asks for a hearing on `requested_on`; it is noticed on `noticed_on` for `hearing_on`."""
    domain.request_hearing(
        case, requested_on=requested_on, hearing_noticed_on=noticed_on, hearing_on=hearing_on, rules=RULES, **STEP
    )


def record_outcome(
    case: CaseState, item_id: str, outcome: str, by: str, on: date, persons: int | None = None
) -> PenaltyItem:
    """Record the outcome `by` decided on `on` for one item of the decision."""
    return domain.record_item_outcome(
        case, item_id=item_id, outcome=outcome, decided_by=by, decided_on=on, persons=persons
    )


def notified(items: list[PenaltyItem] | None = None) -> CaseState:
    case = investigating()
    domain.notify(case, proposed_items=items or [fine(500_000)], notified_on=date(2026, 3, 10), rules=RULES, **STEP)
    return case


def decided(items: list[PenaltyItem] | None = None) -> CaseState:
    case = notified(items)
    decide(case, items or [fine(500_000)], date(2026, 3, 16), number="D1")
    return case


def served(items: list[PenaltyItem] | None = None) -> CaseState:
    case = decided(items)
    domain.serve(case, served_on=date(2026, 3, 18), rules=RULES, **STEP)
    return case


def executed() -> CaseState:
    case = served()
    domain.record_payment(case, paid_on=date(2026, 3, 20), amount_fen=500_000, previous_payments=[], rules=RULES)
    domain.execute(
        case,
        how=ExecutionHow.VOLUNTARY,
        executed_on=date(2026, 3, 20),
        payments=[(date(2026, 3, 20), 500_000)],
        rules=RULES,
        **STEP,
    )
    return case


def closed() -> CaseState:
    case = executed()
    domain.close(case, closed_on=date(2026, 3, 25), **STEP)
    return case


def archived() -> CaseState:
    case = closed()
    domain.archive(case, archived_on=date(2026, 3, 30), archive_number="A1", **STEP)
    return case


def decided_after_review(items: list[PenaltyItem]) -> CaseState:
    """A major penalty decided on 11 March after legal review, collective discussion, notice and a waived hearing."""
    case = investigating()
    domain.legal_review(case, proposed_items=items, reviewed_on=date(2026, 3, 5), **STEP)
    domain.collective_discussion(case, discussed_on=date(2026, 3, 6), **STEP)
    domain.notify(case, proposed_items=items, notified_on=date(2026, 3, 10), rules=RULES, **STEP)
    domain.waive_hearing(case, **STEP)
    decide(case, items, date(2026, 3, 11))
    return case


def executed_after_review(items: list[PenaltyItem]) -> CaseState:
    """`decided_after_review`, served on 12 March and executed on 13 March with nothing to pay."""
    case = decided_after_review(items)
    domain.serve(case, served_on=date(2026, 3, 12), rules=RULES, **STEP)
    domain.execute(
        case, how=ExecutionHow.NOT_APPLICABLE, executed_on=date(2026, 3, 13), payments=[], rules=RULES, **STEP
    )
    return case


# --- filing and investigation -----------------------------------------------------------------


def test_filing_starts_the_clock_of_the_rule_in_force() -> None:
    before = domain.new_general_case(party_type="unit", filed_on=date(2026, 1, 20), rules=BOOK.on(date(2026, 1, 20)))
    after = domain.new_general_case(party_type="unit", filed_on=date(2026, 2, 1), rules=BOOK.on(date(2026, 2, 1)))
    assert (before.stage, before.rule_set, before.decide_by) == (Stage.FILED, "2021_law_sector_rule", date(2026, 2, 19))
    assert (after.stage, after.rule_set, after.decide_by) == (Stage.FILED, "mem_order_18", date(2026, 5, 2))


def test_investigation_needs_two_distinct_officers() -> None:
    case = filed()
    with pytest.raises(StageNotAllowed, match="two"):
        domain.start_investigation(case, officers=["李四", " 李四 "], **STEP)
    assert case.stage is Stage.FILED
    entry = domain.start_investigation(case, officers=["王五", "李四"], **STEP)
    assert (entry.from_stage, entry.to_stage, entry.approver, entry.opinion) == (
        Stage.FILED,
        Stage.INVESTIGATION,
        "局长 张三",
        "同意",
    )
    assert case.officers == ["李四", "王五"]


def test_investigation_cannot_start_twice() -> None:
    with pytest.raises(StageNotAllowed):
        domain.start_investigation(investigating(), officers=["a", "b"], **STEP)


# --- legal review, collective discussion, notice -----------------------------------------------


def test_a_major_penalty_needs_legal_review_and_collective_discussion_before_notice() -> None:
    items = [fine(100_000), PenaltyItem(kind=ItemKind.STOP_PRODUCTION)]
    case = investigating()
    with pytest.raises(StageNotAllowed, match="legal review"):
        domain.notify(case, proposed_items=items, notified_on=date(2026, 3, 10), rules=RULES, **STEP)
    domain.legal_review(case, proposed_items=items, reviewed_on=date(2026, 3, 5), **STEP)
    assert case.stage is Stage.LEGAL_REVIEW
    with pytest.raises(StageNotAllowed, match="collective"):
        domain.notify(case, proposed_items=items, notified_on=date(2026, 3, 10), rules=RULES, **STEP)
    domain.collective_discussion(case, discussed_on=date(2026, 3, 6), **STEP)
    assert case.stage is Stage.COLLECTIVE_DISCUSSION
    domain.notify(case, proposed_items=items, notified_on=date(2026, 3, 10), rules=RULES, **STEP)
    assert case.stage is Stage.NOTIFIED
    assert case.hearing_request_by == date(2026, 3, 15)


def test_a_large_fine_needs_review_by_the_configured_threshold() -> None:
    assert not domain.needs_legal_review([fine(4_999_999)], RULES)
    assert domain.needs_legal_review([fine(5_000_000)], RULES)
    assert domain.needs_collective_discussion([fine(5_000_000)], RULES)
    assert domain.needs_legal_review([PenaltyItem(kind=ItemKind.DETENTION_REFERRAL, persons=1)], RULES)
    assert not domain.needs_collective_discussion([PenaltyItem(kind=ItemKind.DETENTION_REFERRAL, persons=1)], RULES)


def test_collective_discussion_follows_legal_review_only() -> None:
    with pytest.raises(StageNotAllowed):
        domain.collective_discussion(investigating(), discussed_on=date(2026, 3, 6), **STEP)


def test_a_small_penalty_may_be_notified_straight_after_investigation() -> None:
    case = notified()
    assert case.stage is Stage.NOTIFIED
    assert case.proposed_items[0].amount_fen == 500_000


def test_notice_needs_a_proposed_penalty_and_complete_items() -> None:
    with pytest.raises(ValidationFailed):
        domain.notify(investigating(), proposed_items=[], notified_on=date(2026, 3, 10), rules=RULES, **STEP)
    with pytest.raises(ValidationFailed):
        domain.notify(
            investigating(),
            proposed_items=[PenaltyItem(kind=ItemKind.FINE)],
            notified_on=date(2026, 3, 10),
            rules=RULES,
            **STEP,
        )


# --- hearing -------------------------------------------------------------------------------------


def test_a_hearing_asked_within_the_period_and_noticed_seven_days_ahead() -> None:
    case = notified()
    request_hearing(case, date(2026, 3, 15), date(2026, 3, 16), date(2026, 3, 23))
    assert case.stage is Stage.HEARING
    domain.hold_hearing(case, held_on=date(2026, 3, 23), **STEP)
    assert case.hearing_held_on == date(2026, 3, 23)
    with pytest.raises(StageNotAllowed, match="already held"):
        domain.hold_hearing(case, held_on=date(2026, 3, 24), **STEP)


def test_a_late_hearing_request_is_refused() -> None:
    case = notified()
    with pytest.raises(StageNotAllowed, match="ended on 2026-03-15"):
        request_hearing(case, date(2026, 3, 16), date(2026, 3, 16), date(2026, 3, 30))
    assert case.stage is Stage.NOTIFIED


def test_a_hearing_noticed_less_than_seven_days_ahead_is_refused() -> None:
    with pytest.raises(StageNotAllowed, match="2026-03-19 at the earliest"):
        request_hearing(notified(), date(2026, 3, 11), date(2026, 3, 12), date(2026, 3, 18))


# --- decision ---------------------------------------------------------------------------------------


def test_a_penalty_waits_for_the_hearing_period_unless_waived() -> None:
    case = notified()
    with pytest.raises(StageNotAllowed, match="until 2026-03-15"):
        decide(case, [fine(500_000)], date(2026, 3, 12))
    domain.waive_hearing(case, **STEP)
    decide(case, [fine(500_000)], date(2026, 3, 12))
    assert (case.stage, case.fine_total_fen, case.service_by) == (Stage.DECIDED, 500_000, date(2026, 3, 19))


def test_a_penalty_after_a_requested_hearing_waits_for_the_hearing() -> None:
    case = notified()
    request_hearing(case, date(2026, 3, 11), date(2026, 3, 11), date(2026, 3, 18))
    with pytest.raises(StageNotAllowed, match="not been held"):
        decide(case, [fine(500_000)], date(2026, 3, 20))
    domain.hold_hearing(case, held_on=date(2026, 3, 18), **STEP)
    decide(case, [fine(500_000)], date(2026, 3, 20))
    assert case.stage is Stage.DECIDED


def test_a_penalty_is_never_decided_before_notice() -> None:
    with pytest.raises(StageNotAllowed, match="notified"):
        decide(investigating(), [fine(1)], date(2026, 3, 20))


@pytest.mark.parametrize("outcome", [Outcome.NO_PENALTY, Outcome.TRANSFER_JUDICIARY])
def test_no_penalty_or_transfer_may_be_decided_after_investigation(outcome: Outcome) -> None:
    case = investigating()
    decide(case, [], date(2026, 3, 20), outcome)
    assert (case.stage, case.outcome, case.fine_total_fen) == (Stage.DECIDED, outcome, 0)


def test_no_penalty_carries_no_items() -> None:
    with pytest.raises(ValidationFailed):
        decide(investigating(), [fine(1)], date(2026, 3, 20), Outcome.NO_PENALTY)


def test_a_decision_heavier_than_reviewed_needs_the_review() -> None:
    case = notified([fine(500_000)])
    licence = PenaltyItem(kind=ItemKind.LICENCE_REVOCATION, licence="安全生产许可证")
    with pytest.raises(StageNotAllowed, match="legal review"):
        decide(case, [fine(500_000), licence], date(2026, 3, 20))


def test_every_penalty_kind_is_typed_and_validated() -> None:
    items = [
        PenaltyItem(kind=ItemKind.WARNING),
        fine(1_234_567),
        PenaltyItem(kind=ItemKind.CONFISCATION, confiscated_items=["烟花爆竹 20箱"], value_fen=600_000),
        PenaltyItem(kind=ItemKind.STOP_PRODUCTION),
        PenaltyItem(kind=ItemKind.LICENCE_SUSPENSION, licence="安全生产许可证", suspension_days=90),
        PenaltyItem(kind=ItemKind.LICENCE_REVOCATION, licence="危险化学品经营许可证"),
        PenaltyItem(kind=ItemKind.CLOSURE_REFERRAL),
        PenaltyItem(kind=ItemKind.DETENTION_REFERRAL, persons=2),
    ]
    domain.validate_items(items)
    for bad in (
        PenaltyItem(kind=ItemKind.CONFISCATION, confiscated_items=[]),
        PenaltyItem(kind=ItemKind.LICENCE_SUSPENSION, licence="x"),
        PenaltyItem(kind=ItemKind.LICENCE_REVOCATION),
        PenaltyItem(kind=ItemKind.DETENTION_REFERRAL),
    ):
        with pytest.raises(ValidationFailed):
            domain.validate_items([bad])
    with pytest.raises(ValidationFailed, match="once"):
        domain.validate_items([fine(1), fine(2)])


def test_the_time_to_decide_can_be_extended_once() -> None:
    case = investigating()
    domain.extend_deadline(case, rules=RULES, approver="局长", opinion="案情复杂", at=AT)
    assert case.decide_by == date(2026, 6, 30)
    with pytest.raises(StageNotAllowed, match="already extended"):
        domain.extend_deadline(case, rules=RULES, approver="局长", opinion="x", at=AT)
    old = domain.new_general_case(party_type="unit", filed_on=date(2026, 1, 20), rules=BOOK.on(date(2026, 1, 20)))
    domain.extend_deadline(old, rules=BOOK.on(date(2026, 1, 20)), approver="局长", opinion="x", at=AT)
    assert old.decide_by == date(2026, 4, 20)


# --- service, payment, court, execution ---------------------------------------------------------------


def test_service_starts_the_payment_period() -> None:
    case = served()
    assert (case.stage, case.pay_by) == (Stage.SERVED, date(2026, 4, 2))


def test_a_transfer_is_closed_without_service() -> None:
    case = investigating()
    decide(case, [], date(2026, 3, 20), Outcome.TRANSFER_JUDICIARY)
    with pytest.raises(StageNotAllowed):
        domain.serve(case, served_on=date(2026, 3, 21), rules=RULES, **STEP)
    domain.close(case, closed_on=date(2026, 3, 22), **STEP)
    assert case.stage is Stage.CLOSED


def test_a_late_payment_pays_the_fine_first_then_the_charge() -> None:
    case = served()  # 5,000 yuan, pay by 2026-04-02
    first = domain.record_payment(case, paid_on=date(2026, 4, 4), amount_fen=500_000, previous_payments=[], rules=RULES)
    # Days 04-03 (and not 04-04, the payment day): 1 x 3% of 5,000 yuan.
    assert first == domain.PaymentAllocation(500_000, 0, 0, 15_000)
    second = domain.record_payment(
        case, paid_on=date(2026, 4, 10), amount_fen=15_000, previous_payments=[(date(2026, 4, 4), 500_000)], rules=RULES
    )
    assert second == domain.PaymentAllocation(0, 15_000, 0, 0)
    with pytest.raises(PaymentRefused):
        domain.record_payment(
            case,
            paid_on=date(2026, 4, 11),
            amount_fen=1,
            previous_payments=[(date(2026, 4, 4), 500_000), (date(2026, 4, 10), 0)],
            rules=RULES,
        )


def test_voluntary_execution_needs_everything_paid() -> None:
    case = served()
    with pytest.raises(StageNotAllowed, match="still owed"):
        domain.execute(
            case, how=ExecutionHow.VOLUNTARY, executed_on=date(2026, 3, 20), payments=[], rules=RULES, **STEP
        )
    assert executed().stage is Stage.EXECUTED


def test_court_enforcement_only_after_the_payment_period() -> None:
    case = served()
    with pytest.raises(StageNotAllowed, match="payment period"):
        domain.request_court_enforcement(case, requested_on=date(2026, 4, 2), court="洪江市人民法院", **STEP)
    domain.request_court_enforcement(case, requested_on=date(2026, 4, 20), court="洪江市人民法院", **STEP)
    domain.execute(
        case, how=ExecutionHow.COURT_ENFORCED, executed_on=date(2026, 6, 1), payments=[], rules=RULES, **STEP
    )
    assert (case.stage, case.execution_how) == (Stage.EXECUTED, ExecutionHow.COURT_ENFORCED)


def test_court_enforced_execution_needs_the_request() -> None:
    with pytest.raises(StageNotAllowed, match="not requested"):
        domain.execute(
            served(), how=ExecutionHow.COURT_ENFORCED, executed_on=date(2026, 6, 1), payments=[], rules=RULES, **STEP
        )


def test_a_warning_only_decision_executes_with_nothing_to_pay() -> None:
    case = served([PenaltyItem(kind=ItemKind.WARNING)])
    assert case.pay_by is None
    domain.execute(
        case, how=ExecutionHow.NOT_APPLICABLE, executed_on=date(2026, 3, 19), payments=[], rules=RULES, **STEP
    )
    assert case.stage is Stage.EXECUTED


# --- referral outcomes, closure, archive --------------------------------------------------------------


def test_referrals_need_their_outcome_before_closure() -> None:
    items = [
        PenaltyItem(kind=ItemKind.WARNING),
        PenaltyItem(kind=ItemKind.CLOSURE_REFERRAL),
        PenaltyItem(kind=ItemKind.DETENTION_REFERRAL, persons=2),
    ]
    case = executed_after_review(items)
    with pytest.raises(StageNotAllowed, match="closure_referral, detention_referral"):
        domain.close(case, closed_on=date(2026, 3, 14), **STEP)
    closure, detention = case.items[1], case.items[2]
    with pytest.raises(ValidationFailed):
        record_outcome(case, closure.item_id, "detained", "政府", date(2026, 3, 14))
    record_outcome(case, closure.item_id, "closure_approved", "洪江市人民政府", date(2026, 3, 20))
    record_outcome(case, detention.item_id, "detained", "洪江市公安局", date(2026, 3, 21), persons=1)
    assert (detention.outcome, detention.persons) == ("detained", 1)
    with pytest.raises(StageNotAllowed, match="already recorded"):
        record_outcome(case, closure.item_id, "closure_rejected", "x", date(2026, 3, 22))
    with pytest.raises(StageNotAllowed, match="no outcome"):
        record_outcome(case, case.items[0].item_id, "x", "x", date(2026, 3, 22))
    domain.close(case, closed_on=date(2026, 3, 25), **STEP)
    assert case.stage is Stage.CLOSED


def test_a_stop_order_records_reinstatement() -> None:
    items = [PenaltyItem(kind=ItemKind.STOP_PRODUCTION)]
    case = decided_after_review(items)
    item = record_outcome(case, case.items[0].item_id, "reinstated", "洪江市应急管理局", date(2026, 4, 11))
    assert (item.outcome, item.outcome_on) == ("reinstated", date(2026, 4, 11))


def test_a_stop_order_may_end_after_closure_but_not_after_archive() -> None:
    items = [PenaltyItem(kind=ItemKind.STOP_PRODUCTION)]
    case = executed_after_review(items)
    domain.close(case, closed_on=date(2026, 3, 14), **STEP)
    to_archive = copy.deepcopy(case)
    reinstatement = {"outcome": "reinstated", "decided_by": "洪江市应急管理局", "decided_on": date(2026, 5, 20)}

    item = domain.record_item_outcome(case, item_id=case.items[0].item_id, persons=None, **reinstatement)
    assert (case.stage, item.outcome, item.outcome_on) == (Stage.CLOSED, "reinstated", date(2026, 5, 20))

    domain.archive(to_archive, archived_on=date(2026, 3, 20), archive_number="A", **STEP)
    with pytest.raises(CaseArchived):
        domain.record_item_outcome(to_archive, item_id=to_archive.items[0].item_id, persons=None, **reinstatement)
    assert to_archive.items[0].outcome is None


def test_closure_needs_execution() -> None:
    with pytest.raises(StageNotAllowed, match="served and executed"):
        domain.close(decided(), closed_on=date(2026, 3, 25), **STEP)


def test_archive_follows_closure_and_freezes_the_case() -> None:
    case = archived()
    assert (case.stage, case.archive_number) == (Stage.ARCHIVED, "A1")
    snapshot = copy.deepcopy(case)
    attempts = [
        lambda: domain.start_investigation(case, officers=["a", "b"], **STEP),
        lambda: domain.close(case, closed_on=date(2026, 4, 1), **STEP),
        lambda: domain.archive(case, archived_on=date(2026, 4, 1), archive_number="A2", **STEP),
        lambda: domain.record_payment(case, paid_on=date(2026, 4, 1), amount_fen=1, previous_payments=[], rules=RULES),
        lambda: domain.ensure_can_add_evidence(case),
        lambda: domain.record_item_outcome(
            case, item_id="x", outcome="x", decided_by="x", decided_on=date(2026, 4, 1), persons=None
        ),
        lambda: domain.extend_deadline(case, rules=RULES, approver="x", opinion="x", at=AT),
    ]
    for attempt in attempts:
        with pytest.raises(CaseArchived, match="can no longer change"):
            attempt()
    assert case == snapshot


def archived_simplified() -> CaseState:
    case = domain.new_simplified_case(
        party_type="unit", decided_on=FILED, warning=False, fine_fen=100_000, decision_number="S1", rules=RULES
    )
    domain.record_payment(case, paid_on=FILED, amount_fen=100_000, previous_payments=[], rules=RULES)
    domain.execute(
        case, how=ExecutionHow.VOLUNTARY, executed_on=FILED, payments=[(FILED, 100_000)], rules=RULES, **STEP
    )
    domain.close(case, closed_on=FILED, **STEP)
    domain.archive(case, archived_on=FILED, archive_number="A2", **STEP)
    return case


@pytest.mark.parametrize("make", [archived, archived_simplified], ids=["general", "simplified"])
def test_an_archived_case_refuses_every_transition_before_any_procedure_check(make: Callable[[], CaseState]) -> None:
    case = make()
    snapshot = copy.deepcopy(case)
    day = date(2026, 4, 1)
    items = [PenaltyItem(kind=ItemKind.STOP_PRODUCTION)]
    attempts = [
        lambda: domain.ensure_mutable(case),
        lambda: domain.start_investigation(case, officers=["a", "b"], **STEP),
        lambda: domain.legal_review(case, proposed_items=items, reviewed_on=day, **STEP),
        lambda: domain.collective_discussion(case, discussed_on=day, **STEP),
        lambda: domain.notify(case, proposed_items=items, notified_on=day, rules=RULES, **STEP),
        lambda: domain.waive_hearing(case, **STEP),
        lambda: domain.request_hearing(
            case, requested_on=day, hearing_noticed_on=day, hearing_on=date(2026, 4, 20), rules=RULES, **STEP
        ),
        lambda: domain.hold_hearing(case, held_on=day, **STEP),
        lambda: domain.extend_deadline(case, rules=RULES, approver="x", opinion="x", at=AT),
        lambda: domain.decide(
            case,
            outcome=Outcome.PENALTY,
            items=items,
            decided_on=day,
            decision_number="D9",
            rules=RULES,
            **STEP,
        ),
        lambda: domain.serve(case, served_on=day, rules=RULES, **STEP),
        lambda: domain.record_payment(case, paid_on=day, amount_fen=1, previous_payments=[], rules=RULES),
        lambda: domain.request_court_enforcement(case, requested_on=day, court="法院", **STEP),
        lambda: domain.record_item_outcome(
            case, item_id=case.items[0].item_id, outcome="reinstated", decided_by="x", decided_on=day, persons=None
        ),
        lambda: domain.execute(case, how=ExecutionHow.VOLUNTARY, executed_on=day, payments=[], rules=RULES, **STEP),
        lambda: domain.close(case, closed_on=day, **STEP),
        lambda: domain.archive(case, archived_on=day, archive_number="A3", **STEP),
        lambda: domain.ensure_can_add_evidence(case),
    ]
    for attempt in attempts:
        with pytest.raises(CaseArchived, match="can no longer change"):
            attempt()
    assert case == snapshot


def test_archive_needs_closure() -> None:
    with pytest.raises(StageNotAllowed):
        domain.archive(executed(), archived_on=date(2026, 3, 30), archive_number="A", **STEP)


def test_evidence_may_be_listed_until_closure() -> None:
    domain.ensure_can_add_evidence(executed())
    with pytest.raises(StageNotAllowed):
        domain.ensure_can_add_evidence(closed())


# --- simplified procedure -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("party_type", "warning", "fine_fen"),
    [("unit", False, 300_000), ("unit", True, 0), ("person", False, 20_000), ("person", True, 20_000)],
)
def test_simplified_procedure_within_the_limits(party_type: str, warning: bool, fine_fen: int) -> None:
    case = domain.new_simplified_case(
        party_type=party_type,
        decided_on=date(2026, 3, 1),
        warning=warning,
        fine_fen=fine_fen,
        decision_number="S",
        rules=RULES,
    )
    assert (case.procedure, case.stage, case.fine_total_fen) == (Procedure.SIMPLIFIED, Stage.SERVED, fine_fen)
    assert case.pay_by == (date(2026, 3, 16) if fine_fen else None)


@pytest.mark.parametrize(
    ("party_type", "fine_fen", "reason"),
    [
        ("unit", 300_100, "at most 3000 yuan for a unit"),
        ("person", 20_001, "at most 200 yuan for a person"),
        ("unit", 0, "warning or a fine"),
    ],
)
def test_simplified_procedure_beyond_the_limits_is_refused_with_the_reason(
    party_type: str, fine_fen: int, reason: str
) -> None:
    with pytest.raises(SimplifiedProcedureRefused, match=reason):
        domain.check_simplified(party_type=party_type, warning=False, fine_fen=fine_fen, rules=RULES)


def test_simplified_limits_follow_configuration() -> None:
    rules = PROCEDURE_RULES.with_overrides({"mem_order_18": {"simplified_unit_max_fen": 500_000}}).on(FILED)
    domain.check_simplified(party_type="unit", warning=False, fine_fen=300_100, rules=rules)


def test_general_procedure_actions_refuse_a_simplified_case() -> None:
    case = domain.new_simplified_case(
        party_type="unit", decided_on=date(2026, 3, 1), warning=True, fine_fen=0, decision_number="S", rules=RULES
    )
    with pytest.raises(StageNotAllowed, match="simplified"):
        domain.start_investigation(case, officers=["a", "b"], **STEP)


# --- clocks ----------------------------------------------------------------------------------------------


def test_open_clocks_report_nearing_and_overdue_limits() -> None:
    case = investigating()  # decide by 2026-05-31 (90 days, new rule)
    assert case.decide_by == date(2026, 5, 31)
    assert [c.status for c in domain.open_clocks(case, today=date(2026, 5, 1), rules=RULES)] == ["running"]
    assert [
        (c.clock, c.status, c.days_left) for c in domain.open_clocks(case, today=date(2026, 5, 28), rules=RULES)
    ] == [("decide", "nearing", 3)]
    assert [(c.status, c.days_left) for c in domain.open_clocks(case, today=date(2026, 6, 2), rules=RULES)] == [
        ("overdue", -2)
    ]


def test_clocks_of_each_stage() -> None:
    assert {c.clock for c in domain.open_clocks(notified(), today=date(2026, 3, 14), rules=RULES)} == {
        "decide",
        "hearing_request",
    }
    assert [c.clock for c in domain.open_clocks(decided(), today=date(2026, 3, 20), rules=RULES)] == ["service"]
    assert [(c.clock, c.status) for c in domain.open_clocks(served(), today=date(2026, 4, 3), rules=RULES)] == [
        ("payment", "overdue")
    ]
    assert domain.open_clocks(executed(), today=date(2026, 4, 3), rules=RULES) == []


def test_an_old_rule_case_is_overdue_sooner() -> None:
    old_rules = BOOK.on(date(2026, 1, 20))
    case = domain.new_general_case(party_type="unit", filed_on=date(2026, 1, 20), rules=old_rules)
    assert [(c.status, c.due_on) for c in domain.open_clocks(case, today=date(2026, 2, 20), rules=old_rules)] == [
        ("overdue", date(2026, 2, 19))
    ]
