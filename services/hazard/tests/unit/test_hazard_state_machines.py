"""Every allowed and forbidden transition of both hazard lifecycles, without a database."""

from __future__ import annotations

from datetime import date

import pytest

from hazard_service import rules
from hazard_service.hazards import domain
from hazard_service.hazards.domain import GENERAL, MAJOR, Action, Grade, HazardState, Status, decide
from shared.auth.principal import Role
from shared.errors import Forbidden, IllegalTransition
from shared.rules import NoRuleInForce

ALL_ROLES = [r.value for r in Role]

# The expected lifecycles, written out independently of the transition tables.
GENERAL_EXPECTED = {
    (Action.START_RECTIFICATION, Status.REPORTED): Status.RECTIFYING,
    (Action.MARK_RECTIFIED, Status.RECTIFYING): Status.RECTIFIED,
    (Action.VERIFY, Status.RECTIFIED): Status.VERIFIED,
    (Action.REJECT_VERIFICATION, Status.RECTIFIED): Status.RECTIFYING,
    (Action.CLOSE, Status.VERIFIED): Status.CLOSED,
    **{
        (Action.WITHDRAW, s): Status.WITHDRAWN
        for s in (Status.REPORTED, Status.RECTIFYING, Status.RECTIFIED, Status.VERIFIED)
    },
}
MAJOR_EXPECTED = {
    (Action.JUDGE, Status.REPORTED): Status.JUDGED,
    (Action.LEDGER, Status.JUDGED): Status.LEDGERED,
    (Action.LIST, Status.LEDGERED): Status.LISTED,
    (Action.ACCEPT_PLAN, Status.LEDGERED): Status.PLAN_ACCEPTED,
    (Action.ACCEPT_PLAN, Status.LISTED): Status.PLAN_ACCEPTED,
    (Action.START_RECTIFICATION, Status.PLAN_ACCEPTED): Status.RECTIFYING,
    (Action.REQUEST_DEFERRAL, Status.RECTIFYING): Status.RECTIFYING,
    (Action.APPROVE_DEFERRAL, Status.RECTIFYING): Status.RECTIFYING,
    (Action.REJECT_DEFERRAL, Status.RECTIFYING): Status.RECTIFYING,
    (Action.ASSESS, Status.RECTIFYING): Status.ASSESSED,
    (Action.APPLY_ACCEPTANCE, Status.ASSESSED): Status.ACCEPTANCE_APPLIED,
    (Action.PASS_REVIEW, Status.ACCEPTANCE_APPLIED): Status.REVIEWED,
    (Action.REJECT_REVIEW, Status.ACCEPTANCE_APPLIED): Status.RECTIFYING,
    (Action.CLOSE, Status.REVIEWED): Status.CLOSED,
    **{
        (Action.WITHDRAW, s): Status.WITHDRAWN
        for s in (
            Status.REPORTED,
            Status.JUDGED,
            Status.LEDGERED,
            Status.LISTED,
            Status.PLAN_ACCEPTED,
            Status.RECTIFYING,
            Status.ASSESSED,
            Status.ACCEPTANCE_APPLIED,
            Status.REVIEWED,
        )
    },
}
EXPECTED = {Grade.GENERAL: GENERAL_EXPECTED, Grade.MAJOR: MAJOR_EXPECTED}


def _pending_for(action: Action) -> bool:
    return action in (Action.APPROVE_DEFERRAL, Action.REJECT_DEFERRAL)


CASES = [(grade, action, status) for grade in Grade for action in Action for status in Status]


@pytest.mark.parametrize(("grade", "action", "status"), CASES)
def test_each_action_from_each_status(grade: Grade, action: Action, status: Status) -> None:
    """An action leads to the expected status from its sources and is a 409 from every other status."""
    machine = domain.MACHINES[grade]
    transition = machine.transition(action)
    state = HazardState(grade, status, deferral_pending=_pending_for(action))
    roles = transition.roles if transition else frozenset(ALL_ROLES)
    expected = EXPECTED[grade].get((action, status))
    if expected is None:
        with pytest.raises(IllegalTransition):
            decide(state, action, roles)
    else:
        assert decide(state, action, roles) == expected


@pytest.mark.parametrize(("grade", "action"), [(g, t.action) for g in Grade for t in domain.MACHINES[g].transitions])
def test_roles_outside_a_transition_are_forbidden(grade: Grade, action: Action) -> None:
    """A role that may never take an action gets 403, whatever the status."""
    transition = domain.MACHINES[grade].transition(action)
    assert transition is not None
    source = next(iter(transition.sources))
    state = HazardState(grade, source, deferral_pending=_pending_for(action))
    for role in ALL_ROLES:
        if role in transition.roles:
            decide(state, action, [role])
        else:
            with pytest.raises(Forbidden):
                decide(state, action, [role])


def test_closed_and_withdrawn_are_terminal() -> None:
    """Nothing can be done to a closed or withdrawn hazard."""
    for machine in (GENERAL, MAJOR):
        for status in domain.TERMINAL:
            assert machine.allowed_actions(status, ALL_ROLES) == []


def test_deferral_needs_no_pending_request_to_ask_and_one_to_decide() -> None:
    """Only one deferral may wait at a time; deciding needs one waiting."""
    officer = [Role.DEPARTMENT_OFFICER.value]
    with pytest.raises(IllegalTransition, match="already waiting"):
        decide(HazardState(Grade.MAJOR, Status.RECTIFYING, deferral_pending=True), Action.REQUEST_DEFERRAL, officer)
    with pytest.raises(IllegalTransition, match="no deferral"):
        decide(HazardState(Grade.MAJOR, Status.RECTIFYING), Action.APPROVE_DEFERRAL, officer)
    with pytest.raises(IllegalTransition, match="no deferral"):
        decide(HazardState(Grade.MAJOR, Status.RECTIFYING), Action.REJECT_DEFERRAL, officer)


def test_illegal_transition_names_the_reason() -> None:
    """The 409 says what was attempted, from where, and where it is allowed from."""
    with pytest.raises(IllegalTransition) as caught:
        decide(HazardState(Grade.MAJOR, Status.REPORTED), Action.CLOSE, [Role.CITY_ADMIN.value])
    assert "reported" in caught.value.detail
    assert "reviewed" in caught.value.detail
    assert caught.value.extra == {"status": "reported", "action": "close"}


def test_general_hazard_has_no_major_steps() -> None:
    """Judging a general hazard is not part of its lifecycle."""
    with pytest.raises(IllegalTransition, match="has no action"):
        decide(HazardState(Grade.GENERAL, Status.REPORTED), Action.JUDGE, [Role.CITY_ADMIN.value])


def test_allowed_actions_follow_role_and_status() -> None:
    """An enterprise user may assess a rectifying major hazard but not judge a reported one."""
    assert Action.ASSESS in MAJOR.allowed_actions(Status.RECTIFYING, [Role.ENTERPRISE.value])
    assert MAJOR.allowed_actions(Status.REPORTED, [Role.ENTERPRISE.value]) == []


def test_review_due_date_follows_the_dated_rule_or_the_setting() -> None:
    """10 days by default; a setting overrides it."""
    assert domain.review_due_on(date(2024, 3, 1)) == date(2024, 3, 11)
    assert domain.review_due_on(date(2024, 3, 1), rules.review_due_days(5)) == date(2024, 3, 6)
    assert domain.review_due_on(date(2024, 3, 1), rules.review_due_days(None)) == date(2024, 3, 11)
    with pytest.raises(NoRuleInForce, match="no rule"):
        domain.review_due_on(date(2000, 1, 1))


def test_deferral_must_move_later_within_the_limit() -> None:
    """Earlier or too-late requested deadlines are refused."""
    deadline = date(2024, 5, 1)
    domain.check_deferral(deadline, deadline, date(2024, 6, 1), date(2024, 4, 1))
    with pytest.raises(IllegalTransition, match="later"):
        domain.check_deferral(deadline, deadline, date(2024, 4, 30), date(2024, 4, 1))
    with pytest.raises(IllegalTransition, match="past"):
        domain.check_deferral(deadline, deadline, date(2024, 12, 1), date(2024, 4, 1))


def test_overdue_only_after_the_deadline_day() -> None:
    """The deadline day itself is still on time."""
    assert not domain.is_overdue(date(2024, 5, 1), date(2024, 5, 1))
    assert domain.is_overdue(date(2024, 5, 1), date(2024, 5, 2))
    assert not domain.is_overdue(None, date(2024, 5, 2))
