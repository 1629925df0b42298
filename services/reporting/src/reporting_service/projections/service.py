"""Apply a batch of events to the projections, in the caller's transaction.

The live consumer calls `project` per batch; the rebuild replays the log through the same rules
(`apply_event`, the contributions, `CounterRows`), so both reach the same counters.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

import asyncpg

from reporting_service.projections import repository
from reporting_service.projections.domain.counters import CounterRows
from reporting_service.projections.domain.dispatch import StatefulRule, make_rules
from reporting_service.projections.domain.facts import Contribution, FactKey, difference
from reporting_service.projections.domain.records import EventRecord
from reporting_service.projections.domain.state import AggregateState
from shared.reference_data.supervision import SUPERVISION_RULES, SupervisionRules
from shared.rules import DatedRules


@dataclass
class Projector:
    """The projection rules, built once per process from the supervision programme's dated rules."""

    supervision: DatedRules[SupervisionRules] = SUPERVISION_RULES
    stateful: dict[str, StatefulRule] = field(init=False)
    one_shot: dict[str, Callable[[EventRecord], Contribution]] = field(init=False)
    rule_of_kind: dict[str, StatefulRule] = field(init=False)

    def __post_init__(self) -> None:
        self.stateful, self.one_shot = make_rules(self.supervision)
        self.rule_of_kind = {rule.kind: rule for rule in self.stateful.values()}


@dataclass
class BatchOutcome:
    """What a batch did to the projections."""

    events: int = 0
    stale: int = 0
    states_written: int = 0
    counter_rows: int = 0


async def project(
    conn: asyncpg.Connection, projector: Projector, records: Sequence[EventRecord], *, schema: str = "reporting"
) -> BatchOutcome:
    """Merge the events into their aggregates' states and add the contribution deltas to the counters."""
    outcome = BatchOutcome(events=len(records))
    facts: Contribution = defaultdict(int)
    keyed: list[tuple[tuple[str, str], StatefulRule, EventRecord]] = []
    for record in records:
        rule = projector.stateful.get(record.event_type)
        if rule is not None:
            keyed.append(((rule.kind, rule.key(record)), rule, record))
        elif record.event_type in projector.one_shot:
            merge_facts(facts, projector.one_shot[record.event_type](record))
    if keyed:
        states = await repository.load_states(conn, [k for k, _, _ in keyed], schema)
        before: dict[tuple[str, str], Contribution] = {}
        rules: dict[tuple[str, str], StatefulRule] = {}
        for key, rule, record in keyed:
            state = state_of(states, key)
            if key not in before:
                before[key] = rule.contribution(state)
                rules[key] = rule
            if apply_event(state, rule, record):
                outcome.stale += 1
        changed = []
        for key, old in before.items():
            state = states[key]
            merge_facts(facts, difference(rules[key].contribution(state), old))
            changed.append(state)
        await repository.save_states(conn, changed, schema)
        outcome.states_written = len(changed)
    rows = CounterRows()
    rows.add(facts)
    outcome.counter_rows = await repository.add_counters(conn, *rows.nonzero(), schema=schema)
    return outcome


def apply_event(state: AggregateState, rule: StatefulRule, record: EventRecord) -> bool:
    """Merge one event into its aggregate's state; returns whether it was older than the state."""
    stale = record.aggregate_version <= state.version
    rule.reduce(state, record)
    state.version = max(state.version, record.aggregate_version)
    return stale


def state_of(states: dict[tuple[str, str], AggregateState], key: tuple[str, str]) -> AggregateState:
    """The state of the aggregate `key` (kind, id), started empty when it has none yet."""
    state = states.get(key)
    if state is None:
        state = states[key] = AggregateState(kind=key[0], key=key[1])
    return state


def merge_facts(into: Contribution, facts: Mapping[FactKey, int]) -> None:
    """Add fact deltas into a running total."""
    for key, value in facts.items():
        into[key] += value


def freshness_of(records: Sequence[EventRecord]) -> dict[str, tuple[datetime, int]]:
    """Per topic: the newest occurred_at and the number of events."""
    per_topic: dict[str, tuple[datetime, int]] = {}
    for r in records:
        newest, count = per_topic.get(r.topic, (r.occurred_at, 0))
        per_topic[r.topic] = (max(newest, r.occurred_at), count + 1)
    return per_topic
