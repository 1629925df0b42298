"""Projection writes as set-based SQL on the asyncpg connection of the current transaction.

Every statement takes the schema as a parameter: `reporting` for the live projections, `pg_temp`
for the fresh copies a rebuild fills (temporary tables with the same definition).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import asyncpg

from reporting_service.projections.domain.counters import DetailKey, RollupKey
from reporting_service.projections.domain.records import EventRecord
from reporting_service.projections.domain.state import AggregateState

PROJECTION_TABLES = ("aggregate_state", "stat_rollup_day", "stat_rollup_month", "stat_detail_day")


async def insert_event_log(
    conn: asyncpg.Connection, records: Sequence[tuple[EventRecord, str]], schema: str = "reporting"
) -> set[str]:
    """Insert (event, envelope JSON) pairs; returns the ids that were not logged before."""
    if not records:
        return set()
    ordered = sorted(records, key=lambda r: r[0].event_id)
    rows = await conn.fetch(
        f"""
        INSERT INTO {schema}.event_log (event_id, topic, event_type, event_version, aggregate_type, aggregate_id,
                                        aggregate_version, occurred_at, envelope)
        SELECT t.event_id, t.topic, t.event_type, t.event_version, t.aggregate_type, t.aggregate_id,
               t.aggregate_version, t.occurred_at, t.envelope::jsonb
        FROM unnest($1::uuid[], $2::text[], $3::text[], $4::int[], $5::text[], $6::text[], $7::int[],
                    $8::timestamptz[], $9::text[])
             AS t(event_id, topic, event_type, event_version, aggregate_type, aggregate_id, aggregate_version,
                  occurred_at, envelope)
        ON CONFLICT (event_id) DO NOTHING
        RETURNING event_id
        """,
        [r.event_id for r, _ in ordered],
        [r.topic for r, _ in ordered],
        [r.event_type for r, _ in ordered],
        [r.event_version for r, _ in ordered],
        [r.aggregate_type for r, _ in ordered],
        [r.aggregate_id for r, _ in ordered],
        [r.aggregate_version for r, _ in ordered],
        [r.occurred_at for r, _ in ordered],
        [text for _, text in ordered],
    )
    return {str(row["event_id"]) for row in rows}


async def load_states(
    conn: asyncpg.Connection, keys: Sequence[tuple[str, str]], schema: str
) -> dict[tuple[str, str], AggregateState]:
    """Lock and load the states of the given (kind, id) keys."""
    if not keys:
        return {}
    ordered = sorted(set(keys))
    # Two replicas may create the same state at once (coverage is keyed by enterprise, its events by
    # assignment): insert empty rows first so that FOR UPDATE below always has a row to lock.
    await conn.execute(
        f"""
        INSERT INTO {schema}.aggregate_state (aggregate_type, aggregate_id, version, state)
        SELECT k, i, 0, '{{"f": {{}}, "v": {{}}}}'::jsonb FROM unnest($1::text[], $2::text[]) AS t(k, i)
        ON CONFLICT (aggregate_type, aggregate_id) DO NOTHING
        """,
        [k for k, _ in ordered],
        [i for _, i in ordered],
    )
    # `= ANY` on both key columns keeps this an index scan however large the table grows (a join
    # with unnest() may be planned as a hash join over the whole table); extra pairs are dropped.
    rows = await conn.fetch(
        f"""
        SELECT aggregate_type, aggregate_id, version, state::text AS state
        FROM {schema}.aggregate_state
        WHERE aggregate_type = ANY($1::text[]) AND aggregate_id = ANY($2::text[])
        ORDER BY aggregate_type, aggregate_id
        FOR UPDATE
        """,
        sorted({k for k, _ in ordered}),
        [i for _, i in ordered],
    )
    wanted = set(ordered)
    return {
        (r["aggregate_type"], r["aggregate_id"]): AggregateState.from_json(
            r["aggregate_type"], r["aggregate_id"], r["version"], r["state"]
        )
        for r in rows
        if (r["aggregate_type"], r["aggregate_id"]) in wanted
    }


async def save_states(conn: asyncpg.Connection, states: Sequence[AggregateState], schema: str) -> None:
    """Upsert changed states."""
    if not states:
        return
    ordered = sorted(states, key=lambda s: (s.kind, s.key))
    await conn.execute(
        f"""
        INSERT INTO {schema}.aggregate_state (aggregate_type, aggregate_id, version, state)
        SELECT t.k, t.i, t.v, t.s::jsonb FROM unnest($1::text[], $2::text[], $3::int[], $4::text[]) AS t(k, i, v, s)
        ON CONFLICT (aggregate_type, aggregate_id) DO UPDATE SET version = EXCLUDED.version, state = EXCLUDED.state
        """,
        [s.kind for s in ordered],
        [s.key for s in ordered],
        [s.version for s in ordered],
        [s.to_json() for s in ordered],
    )


async def add_counters(
    conn: asyncpg.Connection,
    day_rows: Sequence[tuple[RollupKey, int]],
    month_rows: Sequence[tuple[RollupKey, int]],
    detail_rows: Sequence[tuple[DetailKey, int]],
    *,
    schema: str,
) -> int:
    """Add to the daily, monthly and detail counters in one round trip (rows sorted by key)."""
    if not (day_rows or month_rows or detail_rows):
        return 0
    upsert = "ON CONFLICT (grp, key, period, indicator) DO UPDATE SET value = c.value + EXCLUDED.value"
    await conn.execute(
        f"""
        WITH day AS (
            INSERT INTO {schema}.stat_rollup_day AS c (grp, key, period, indicator, value)
            SELECT * FROM unnest($1::text[], $2::text[], $3::date[], $4::text[], $5::bigint[]) {upsert}
        ), month AS (
            INSERT INTO {schema}.stat_rollup_month AS c (grp, key, period, indicator, value)
            SELECT * FROM unnest($6::text[], $7::text[], $8::date[], $9::text[], $10::bigint[]) {upsert}
        )
        INSERT INTO {schema}.stat_detail_day AS c
               (period, township_code, department_code, industry_code, campaign_code, indicator, value)
        SELECT * FROM unnest($11::date[], $12::text[], $13::text[], $14::text[], $15::text[], $16::text[],
                             $17::bigint[])
        ON CONFLICT (period, township_code, department_code, industry_code, campaign_code, indicator)
        DO UPDATE SET value = c.value + EXCLUDED.value
        """,
        *_columns(day_rows, 4),
        *_columns(month_rows, 4),
        *_columns(detail_rows, 6),
    )
    return len(day_rows) + len(month_rows) + len(detail_rows)


def _columns(rows: Sequence[tuple[tuple[Any, ...], int]], width: int) -> list[list[Any]]:
    """Key columns then the value column, as arrays for unnest."""
    return [[k[i] for k, _ in rows] for i in range(width)] + [[v for _, v in rows]]


async def copy_projection(
    conn: asyncpg.Connection,
    states: Sequence[AggregateState],
    day_rows: Sequence[tuple[RollupKey, int]],
    month_rows: Sequence[tuple[RollupKey, int]],
    detail_rows: Sequence[tuple[DetailKey, int]],
    *,
    schema: str,
) -> None:
    """Write a whole projection into empty tables with COPY (the rebuild's final write)."""
    await conn.copy_records_to_table(
        "aggregate_state",
        schema_name=schema,
        columns=["aggregate_type", "aggregate_id", "version", "state"],
        records=[(s.kind, s.key, s.version, s.to_json()) for s in states],
    )
    for table, rows in (("stat_rollup_day", day_rows), ("stat_rollup_month", month_rows)):
        await conn.copy_records_to_table(
            table,
            schema_name=schema,
            columns=["grp", "key", "period", "indicator", "value"],
            records=[(*k, v) for k, v in rows],
        )
    await conn.copy_records_to_table(
        "stat_detail_day",
        schema_name=schema,
        columns=["period", "township_code", "department_code", "industry_code", "campaign_code", "indicator", "value"],
        records=[(*k, v) for k, v in detail_rows],
    )


async def touch_freshness(conn: asyncpg.Connection, per_topic: dict[str, tuple[datetime, int]]) -> None:
    """Record, per topic, the newest event applied and how many were applied."""
    if not per_topic:
        return
    topics = sorted(per_topic)
    await conn.execute(
        """
        INSERT INTO reporting.projection_freshness AS f (topic, last_applied_at, last_event_occurred_at, events_applied)
        SELECT t.topic, clock_timestamp(), t.occurred, t.n
        FROM unnest($1::text[], $2::timestamptz[], $3::bigint[]) AS t(topic, occurred, n)
        ON CONFLICT (topic) DO UPDATE SET
            last_applied_at = clock_timestamp(),
            last_event_occurred_at = GREATEST(f.last_event_occurred_at, EXCLUDED.last_event_occurred_at),
            events_applied = f.events_applied + EXCLUDED.events_applied
        """,
        topics,
        [per_topic[t][0] for t in topics],
        [per_topic[t][1] for t in topics],
    )


async def read_event_log_page(conn: asyncpg.Connection, after_seq: int, limit: int) -> list[Any]:
    """The next `limit` logged envelopes after `after_seq`, in log order."""
    return list(
        await conn.fetch(
            "SELECT seq, envelope::text AS envelope FROM reporting.event_log WHERE seq > $1 ORDER BY seq LIMIT $2",
            after_seq,
            limit,
        )
    )
