"""The two hazard lifecycles as explicit state machines, and the dated rules they use.

Pure Python: no database, no HTTP. `decide()` answers which status an action leads to, or
raises Forbidden (the role may never take this action) or IllegalTransition (not from here).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from hazard_service.rules import MAX_DEFERRAL_DAYS, REVIEW_DUE_DAYS, DayLimit
from shared.auth.principal import Role
from shared.errors import Forbidden, IllegalTransition
from shared.rules import DatedRules


class Grade(StrEnum):
    """一般 or 重大 事故隐患."""

    GENERAL = "general"
    MAJOR = "major"


class Status(StrEnum):
    """Every status of either lifecycle."""

    REPORTED = "reported"
    JUDGED = "judged"
    LEDGERED = "ledgered"
    LISTED = "listed"
    PLAN_ACCEPTED = "plan_accepted"
    RECTIFYING = "rectifying"
    RECTIFIED = "rectified"
    VERIFIED = "verified"
    ASSESSED = "assessed"
    ACCEPTANCE_APPLIED = "acceptance_applied"
    REVIEWED = "reviewed"
    CLOSED = "closed"
    WITHDRAWN = "withdrawn"


class Action(StrEnum):
    """Every action a caller may take on a hazard (one POST endpoint each)."""

    START_RECTIFICATION = "start_rectification"
    MARK_RECTIFIED = "mark_rectified"
    VERIFY = "verify"
    REJECT_VERIFICATION = "reject_verification"
    JUDGE = "judge"
    LEDGER = "ledger"
    LIST = "list"
    ACCEPT_PLAN = "accept_plan"
    REQUEST_DEFERRAL = "request_deferral"
    APPROVE_DEFERRAL = "approve_deferral"
    REJECT_DEFERRAL = "reject_deferral"
    ASSESS = "assess"
    APPLY_ACCEPTANCE = "apply_acceptance"
    PASS_REVIEW = "pass_review"
    REJECT_REVIEW = "reject_review"
    CLOSE = "close"
    WITHDRAW = "withdraw"


TERMINAL = frozenset({Status.CLOSED, Status.WITHDRAWN})

OFFICIALS = frozenset({Role.CITY_ADMIN, Role.DEPARTMENT_OFFICER, Role.TOWNSHIP_OFFICER})
DECIDERS = frozenset({Role.CITY_ADMIN, Role.DEPARTMENT_OFFICER})
FIELD = OFFICIALS | {Role.SUPERVISOR}
ENTERPRISE_SIDE = OFFICIALS | {Role.ENTERPRISE}
# The responsible unit signs a listing's hand-over note: the enterprise, or an official for it.
LISTING_SIGNERS = ENTERPRISE_SIDE


@dataclass(frozen=True)
class Transition:
    """An action allowed from some statuses to a target (None: the status stays)."""

    action: Action
    sources: frozenset[Status]
    target: Status | None
    roles: frozenset[str]


def _t(action: Action, sources: Iterable[Status], target: Status | None, roles: Iterable[str]) -> Transition:
    return Transition(action, frozenset(sources), target, frozenset(roles))


_OPEN_GENERAL = [Status.REPORTED, Status.RECTIFYING, Status.RECTIFIED, Status.VERIFIED]
_OPEN_MAJOR = [
    Status.REPORTED,
    Status.JUDGED,
    Status.LEDGERED,
    Status.LISTED,
    Status.PLAN_ACCEPTED,
    Status.RECTIFYING,
    Status.ASSESSED,
    Status.ACCEPTANCE_APPLIED,
    Status.REVIEWED,
]


@dataclass(frozen=True)
class StateMachine:
    """The transitions of one grade's lifecycle."""

    grade: Grade
    transitions: tuple[Transition, ...]

    def transition(self, action: Action) -> Transition | None:
        """The transition of an action, if this lifecycle has it."""
        return next((t for t in self.transitions if t.action == action), None)

    def allowed_actions(self, status: Status, roles: Iterable[str]) -> list[Action]:
        """Actions the roles may take from a status (for clients to show buttons)."""
        held = set(roles)
        return [t.action for t in self.transitions if status in t.sources and held & t.roles]

    @property
    def statuses(self) -> frozenset[Status]:
        """Every status of this lifecycle."""
        found: set[Status] = {Status.REPORTED}
        for t in self.transitions:
            found |= t.sources
            if t.target is not None:
                found.add(t.target)
        return frozenset(found)


GENERAL = StateMachine(
    Grade.GENERAL,
    (
        _t(Action.START_RECTIFICATION, [Status.REPORTED], Status.RECTIFYING, FIELD),
        _t(Action.MARK_RECTIFIED, [Status.RECTIFYING], Status.RECTIFIED, ENTERPRISE_SIDE | {Role.SUPERVISOR}),
        _t(Action.VERIFY, [Status.RECTIFIED], Status.VERIFIED, FIELD),
        _t(Action.REJECT_VERIFICATION, [Status.RECTIFIED], Status.RECTIFYING, FIELD),
        _t(Action.CLOSE, [Status.VERIFIED], Status.CLOSED, OFFICIALS),
        _t(Action.WITHDRAW, _OPEN_GENERAL, Status.WITHDRAWN, OFFICIALS),
    ),
)

MAJOR = StateMachine(
    Grade.MAJOR,
    (
        _t(Action.JUDGE, [Status.REPORTED], Status.JUDGED, DECIDERS),
        _t(Action.LEDGER, [Status.JUDGED], Status.LEDGERED, DECIDERS),
        _t(Action.LIST, [Status.LEDGERED], Status.LISTED, {Role.CITY_ADMIN}),
        _t(Action.ACCEPT_PLAN, [Status.LEDGERED, Status.LISTED], Status.PLAN_ACCEPTED, DECIDERS),
        _t(Action.START_RECTIFICATION, [Status.PLAN_ACCEPTED], Status.RECTIFYING, DECIDERS),
        _t(Action.REQUEST_DEFERRAL, [Status.RECTIFYING], None, ENTERPRISE_SIDE),
        _t(Action.APPROVE_DEFERRAL, [Status.RECTIFYING], None, DECIDERS),
        _t(Action.REJECT_DEFERRAL, [Status.RECTIFYING], None, DECIDERS),
        _t(Action.ASSESS, [Status.RECTIFYING], Status.ASSESSED, ENTERPRISE_SIDE),
        _t(Action.APPLY_ACCEPTANCE, [Status.ASSESSED], Status.ACCEPTANCE_APPLIED, ENTERPRISE_SIDE),
        _t(Action.PASS_REVIEW, [Status.ACCEPTANCE_APPLIED], Status.REVIEWED, DECIDERS),
        _t(Action.REJECT_REVIEW, [Status.ACCEPTANCE_APPLIED], Status.RECTIFYING, DECIDERS),
        _t(Action.CLOSE, [Status.REVIEWED], Status.CLOSED, DECIDERS),
        _t(Action.WITHDRAW, _OPEN_MAJOR, Status.WITHDRAWN, DECIDERS | {Role.TOWNSHIP_OFFICER}),
    ),
)

MACHINES = {Grade.GENERAL: GENERAL, Grade.MAJOR: MAJOR}


@dataclass(frozen=True)
class HazardState:
    """What the rules need to know about a hazard."""

    grade: Grade
    status: Status
    deferral_pending: bool = False


def machine_for(grade: str) -> StateMachine:
    """The lifecycle of a grade."""
    return MACHINES[Grade(grade)]


def decide(state: HazardState, action: Action, roles: Iterable[str]) -> Status:
    """The status after `action`; Forbidden for a role that may never act so, IllegalTransition otherwise."""
    machine = MACHINES[state.grade]
    transition = machine.transition(action)
    if transition is None:
        raise IllegalTransition(
            f"a {state.grade.value} hazard has no action {action.value}",
            status=state.status.value,
            action=action.value,
        )
    if not set(roles) & transition.roles:
        raise Forbidden(f"your role may not {action.value.replace('_', ' ')} a {state.grade.value} hazard")
    if state.status not in transition.sources:
        allowed = ", ".join(sorted(s.value for s in transition.sources))
        raise IllegalTransition(
            f"cannot {action.value.replace('_', ' ')} a hazard that is {state.status.value}; allowed from: {allowed}",
            status=state.status.value,
            action=action.value,
        )
    if action == Action.REQUEST_DEFERRAL and state.deferral_pending:
        raise IllegalTransition(
            "a deferral request is already waiting for a decision", status=state.status.value, action=action.value
        )
    if action in (Action.APPROVE_DEFERRAL, Action.REJECT_DEFERRAL) and not state.deferral_pending:
        raise IllegalTransition("no deferral request is pending", status=state.status.value, action=action.value)
    return transition.target or state.status


# --- dated rules ---------------------------------------------------------------------------------


def review_due_on(applied_on: date, rules: DatedRules[DayLimit] = REVIEW_DUE_DAYS) -> date:
    """The date the on-site review is due after an application for acceptance."""
    return applied_on + timedelta(days=rules.on(applied_on).days)


def check_deferral(current_deadline: date, original_deadline: date, requested: date, on: date) -> None:
    """A deferral must move the deadline later and stay within the total allowed."""
    if requested <= current_deadline:
        raise IllegalTransition("the requested deadline must be later than the current one")
    limit = original_deadline + timedelta(days=MAX_DEFERRAL_DAYS.on(on).days)
    if requested > limit:
        raise IllegalTransition(f"deferrals may not move the deadline past {limit.isoformat()}")


def is_overdue(deadline: date | None, today: date) -> bool:
    """A deadline is missed once its day has passed."""
    return deadline is not None and today > deadline
