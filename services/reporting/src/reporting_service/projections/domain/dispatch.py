"""Which rule projects each event type: a stateful rule per aggregate kind, or a one-shot fact function."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from reporting_service.projections.domain.enforcement import (
    case_contribution,
    crackdown_facts,
    exposure_facts,
    inspection_facts,
    interview_facts,
    plan_contribution,
    reduce_case,
    reduce_plan,
    typical_case_facts,
)
from reporting_service.projections.domain.facts import Contribution
from reporting_service.projections.domain.hazards import hazard_contribution, reduce_hazard
from reporting_service.projections.domain.records import EventRecord, PoisonEvent
from reporting_service.projections.domain.state import AggregateState
from reporting_service.projections.domain.supervision import (
    coverage_contribution,
    enterprise_contribution,
    reduce_coverage,
    reduce_enterprise,
    reduce_supervisor,
    supervisor_contribution,
    visit_facts,
)
from shared.contracts.registry import REGISTRY
from shared.reference_data.supervision import SUPERVISION_RULES, SupervisionRules
from shared.rules import DatedRules


@dataclass(frozen=True)
class StatefulRule:
    """How events of some types update one kind of aggregate state."""

    kind: str
    key: Callable[[EventRecord], str]
    reduce: Callable[[AggregateState, EventRecord], None]
    contribution: Callable[[AggregateState], Contribution]


def _own_id(event: EventRecord) -> str:
    return event.aggregate_id


def _enterprise_id(event: EventRecord) -> str:
    return str(event.data.get("enterprise_id") or event.aggregate_id)


def make_rules(
    supervision: DatedRules[SupervisionRules] = SUPERVISION_RULES,
) -> tuple[dict[str, StatefulRule], dict[str, Callable[[EventRecord], Contribution]]]:
    """The stateful rule of each event type, and the one-shot fact function of the others."""
    hazard = StatefulRule("hazard", _own_id, reduce_hazard, hazard_contribution)
    case = StatefulRule("penalty_case", _own_id, reduce_case, case_contribution)
    plan = StatefulRule("enforcement_plan", _own_id, reduce_plan, plan_contribution)
    supervisor = StatefulRule("supervisor", _own_id, reduce_supervisor, supervisor_contribution)
    coverage = StatefulRule(
        "coverage", _enterprise_id, reduce_coverage, lambda s: coverage_contribution(s, supervision)
    )
    enterprise = StatefulRule(
        "enterprise", _enterprise_id, reduce_enterprise, lambda s: enterprise_contribution(s, supervision)
    )
    stateful: dict[str, StatefulRule] = {}
    for event_type in REGISTRY.classes:
        name = event_type[0]
        if name.startswith("hazard.") and name != "hazard.upstream_sync_changed":
            stateful[name] = hazard
    for name in ("case.filed", "case.decided", "case.simplified_decided", "case.item_outcome_recorded"):
        stateful[name] = case
    stateful["enforcement_plan.set"] = plan
    stateful["supervisor.registered"] = stateful["supervisor.updated"] = supervisor
    stateful["assignment.started"] = stateful["assignment.ended"] = coverage
    for name in ("enterprise.registered", "enterprise.updated", "enterprise.status_changed"):
        stateful[name] = enterprise
    one_shot: dict[str, Callable[[EventRecord], Contribution]] = {
        "inspection.recorded": inspection_facts,
        "crackdown.action_recorded": crackdown_facts,
        "interview.recorded": interview_facts,
        "exposure.published": exposure_facts,
        "typical_case.published": typical_case_facts,
        "visit.logged": visit_facts,
    }
    return stateful, one_shot


def check_projectable(
    event: EventRecord,
    stateful: Mapping[str, StatefulRule],
    one_shot: Mapping[str, Callable[[EventRecord], Contribution]],
) -> None:
    """Raise PoisonEvent now if the event could not be projected (so it is dead-lettered alone)."""
    try:
        if event.event_type in one_shot:
            one_shot[event.event_type](event)
        elif event.event_type in stateful:
            rule = stateful[event.event_type]
            probe = AggregateState(rule.kind, rule.key(event))
            rule.reduce(probe, event)
            rule.contribution(probe)
    except PoisonEvent:
        raise
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise PoisonEvent(f"{event.event_type}: {exc!r}") from exc
