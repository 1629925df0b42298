"""Replay the event log into fresh projections and compare them with the live ones.

The replay uses the projection's pure functions (reduce, contribution, row expansion); it keeps
the states in memory and writes each table once with COPY, which is what makes it fast.
Everything happens in one REPEATABLE READ transaction: the replay reads the log as of the
transaction's snapshot, and the live projections it compares with are read in the same snapshot.
Since the consumer writes the log and the projections in one transaction, the two describe the
same set of events, so the comparison is exact even while the consumer keeps running. The fresh
projections are temporary tables (same definitions, no WAL, dropped at commit). With `replace`,
the log is locked against the consumer (SHARE mode) first and the live projections are replaced
by the rebuilt ones before the commit.
"""

from __future__ import annotations

import contextlib
import json
import time
from collections import defaultdict
from dataclasses import dataclass, field

import asyncpg

from reporting_service.projections import repository
from reporting_service.projections.domain.counters import CounterRows
from reporting_service.projections.domain.facts import Contribution
from reporting_service.projections.domain.records import EventRecord
from reporting_service.projections.domain.state import AggregateState
from reporting_service.projections.repository import PROJECTION_TABLES
from reporting_service.projections.service import Projector, apply_event, merge_facts, state_of

COMPARED_COLUMNS = {
    "aggregate_state": "aggregate_type, aggregate_id, version, state",
    "stat_rollup_day": "grp, key, period, indicator, value",
    "stat_rollup_month": "grp, key, period, indicator, value",
    "stat_detail_day": "period, township_code, department_code, industry_code, campaign_code, indicator, value",
}
# Counter rows that went back to 0 carry no information; a rebuild never creates them.
NONZERO = {"stat_rollup_day": "value <> 0", "stat_rollup_month": "value <> 0", "stat_detail_day": "value <> 0"}


@dataclass
class RebuildReport:
    """What a rebuild replayed, how fast, and whether the result equals the live projections."""

    events: int = 0
    seconds: float = 0.0
    events_per_second: float = 0.0
    differences: dict[str, int] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)
    replaced: bool = False

    @property
    def equal(self) -> bool:
        """Whether every projection table equals its rebuilt copy."""
        return not any(self.differences.values())


async def replay(conn: asyncpg.Connection, projector: Projector, batch_size: int) -> int:
    """Reduce every logged event into in-memory states, then write Σ contribution(final state) plus
    the one-shot facts into the (empty) pg_temp tables.

    The live consumer adds contribution(new) - contribution(old) per event; these telescope to the
    same sum, so the rebuild needs each aggregate's contribution once, from its final state.
    """
    states: dict[tuple[str, str], AggregateState] = {}
    facts: Contribution = defaultdict(int)
    events, after = 0, 0
    while True:
        page = await repository.read_event_log_page(conn, after, batch_size)
        if not page:
            break
        after = page[-1]["seq"]
        for row in page:
            record = EventRecord.from_envelope_dict(json.loads(row["envelope"]))
            rule = projector.stateful.get(record.event_type)
            if rule is not None:
                apply_event(state_of(states, (rule.kind, rule.key(record))), rule, record)
            elif record.event_type in projector.one_shot:
                merge_facts(facts, projector.one_shot[record.event_type](record))
        events += len(page)
    for (kind, _), state in states.items():
        merge_facts(facts, projector.rule_of_kind[kind].contribution(state))
    rows = CounterRows()
    rows.add(facts)
    await repository.copy_projection(conn, list(states.values()), *rows.nonzero(ordered=False), schema="pg_temp")
    return events


async def rebuild(
    conn: asyncpg.Connection, projector: Projector, *, batch_size: int = 5000, replace: bool = False
) -> RebuildReport:
    """Replay the whole event log into temporary tables; compare; optionally replace."""
    report = RebuildReport()
    # Temporary tables live in local buffers; give them room (possible only before the first one
    # is touched in this session, so a second rebuild on the same connection keeps the first size).
    with contextlib.suppress(asyncpg.InvalidParameterValueError):
        await conn.execute("SET temp_buffers = '512MB'")
    async with conn.transaction(isolation="repeatable_read"):
        if replace:
            await conn.execute("LOCK TABLE reporting.event_log IN SHARE MODE")
        for table in PROJECTION_TABLES:
            await conn.execute(
                f"CREATE TEMP TABLE {table} (LIKE reporting.{table} INCLUDING DEFAULTS INCLUDING CONSTRAINTS "
                "INCLUDING INDEXES) ON COMMIT DROP"
            )
        started = time.perf_counter()
        report.events = await replay(conn, projector, batch_size)
        report.seconds = time.perf_counter() - started
        report.events_per_second = report.events / report.seconds if report.seconds else 0.0
        for table, columns in COMPARED_COLUMNS.items():
            where = f"WHERE {NONZERO[table]}" if table in NONZERO else ""
            live = f"SELECT {columns} FROM reporting.{table} {where}"
            fresh = f"SELECT {columns} FROM pg_temp.{table} {where}"
            report.differences[table] = int(
                await conn.fetchval(
                    f"SELECT count(*) FROM (({live} EXCEPT ALL {fresh}) UNION ALL ({fresh} EXCEPT ALL {live})) d"
                )
            )
            report.rows[table] = int(await conn.fetchval(f"SELECT count(*) FROM pg_temp.{table}"))
        if replace:
            for table, columns in COMPARED_COLUMNS.items():
                await conn.execute(f"TRUNCATE reporting.{table}")
                await conn.execute(f"INSERT INTO reporting.{table} ({columns}) SELECT {columns} FROM pg_temp.{table}")
            report.replaced = True
    return report
