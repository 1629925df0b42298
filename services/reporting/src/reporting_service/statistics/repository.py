"""Range sums over the counters: a handful of index range scans whatever the history size.

A single filter (or none) reads a rollup group: whole months from the monthly rows, the partial
months at either end from the daily rows. Combined filters read the all-dimension daily rows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from reporting_service.projections.domain.counters import STOCK_INDICATORS
from shared.db.engine import driver_connection

HISTORY_START = date(2000, 1, 1)
DIMENSION_COLUMNS = {
    "township": "township_code",
    "department": "department_code",
    "industry": "industry_code",
    "campaign": "campaign_code",
}


@dataclass(frozen=True)
class Filters:
    """Dimension values a query is limited to (None: not limited)."""

    township: tuple[str, ...] | None = None
    department: tuple[str, ...] | None = None
    industry: tuple[str, ...] | None = None
    campaign: tuple[str, ...] | None = None

    def active(self) -> dict[str, tuple[str, ...]]:
        """The dimensions that are limited."""
        return {name: values for name, values in self.__dict__.items() if values is not None}


Sums = dict[str, dict[str, int]]  # key of the grouping dimension ('' when not grouped) -> indicator -> sum


def month_split(date_from: date, date_to: date) -> tuple[date, date, list[tuple[date, date]]]:
    """[first whole month, end of whole months) and the leftover day ranges of [date_from, date_to]."""
    first = date_from if date_from.day == 1 else _next_month(date_from)
    end = _next_month(date_to) if _next_month(date_to) - timedelta(days=1) == date_to else date_to.replace(day=1)
    if first >= end:
        return first, first, [(date_from, date_to)]
    edges = []
    if date_from < first:
        edges.append((date_from, first - timedelta(days=1)))
    if end <= date_to:
        edges.append((end, date_to))
    return first, end, edges


def _next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


class _Params:
    """Positional parameters for asyncpg ($1, $2 ...)."""

    def __init__(self) -> None:
        self.values: list[Any] = []

    def __call__(self, value: Any) -> str:
        self.values.append(value)
        return f"${len(self.values)}"


async def sums(
    session: AsyncSession,
    *,
    date_from: date,
    date_to: date,
    filters: Filters,
    group_by: str | None = None,
) -> tuple[Sums, Sums]:
    """Flow indicators summed over [date_from, date_to] and stock indicators as of date_to, in one query."""
    p = _Params()
    flow = _select(p, group_by, filters, date_from, date_to, stock=False)
    stock = _select(p, group_by, filters, HISTORY_START, date_to, stock=True)
    # SQL built here with positional parameters: sent as it is on the driver connection, in one round trip.
    rows = await (await driver_connection(session)).fetch(
        f"SELECT false AS stock, * FROM ({flow}) f UNION ALL SELECT true, * FROM ({stock}) s", *p.values
    )
    return _collect([r for r in rows if not r[0]]), _collect([r for r in rows if r[0]])


def _select(p: _Params, group_by: str | None, filters: Filters, date_from: date, date_to: date, *, stock: bool) -> str:
    active = filters.active()
    others = {k: v for k, v in active.items() if k != group_by}
    if not others and (group_by is not None or not active):
        return _rollup(p, group_by or "all", active.get(group_by or ""), date_from, date_to, stock, grouped=True)
    if len(active) == 1 and group_by is None:
        ((name, values),) = active.items()
        return _rollup(p, name, values, date_from, date_to, stock, grouped=False)
    return _detail(p, group_by, active, date_from, date_to, stock)


def _rollup(
    p: _Params,
    group: str,
    keys: Sequence[str] | None,
    date_from: date,
    date_to: date,
    stock: bool,
    *,
    grouped: bool,
) -> str:
    first, end, edges = month_split(date_from, date_to)
    where = f"grp = {p(group)}"
    if keys is not None:
        where += f" AND key = ANY({p(list(keys))}::text[])"
    if stock:
        where += f" AND indicator = ANY({p(sorted(STOCK_INDICATORS))}::text[])"
    edge_sql = " OR ".join(f"period BETWEEN {p(a)}::date AND {p(b)}::date" for a, b in edges) or "false"
    key_column = "key" if grouped else "''"
    return f"""
        SELECT k, indicator, sum(value)::bigint AS value FROM (
            SELECT {key_column} AS k, indicator, value FROM reporting.stat_rollup_month
            WHERE {where} AND period >= {p(first)}::date AND period < {p(end)}::date
            UNION ALL
            SELECT {key_column} AS k, indicator, value FROM reporting.stat_rollup_day
            WHERE {where} AND ({edge_sql})
        ) t GROUP BY k, indicator
    """


def _detail(
    p: _Params, group_by: str | None, active: dict[str, tuple[str, ...]], date_from: date, date_to: date, stock: bool
) -> str:
    where = [f"period BETWEEN {p(date_from)}::date AND {p(date_to)}::date"]
    for name, values in active.items():
        where.append(f"{DIMENSION_COLUMNS[name]} = ANY({p(list(values))}::text[])")
    if "campaign" not in active:
        where.append("campaign_code <> ''" if group_by == "campaign" else "campaign_code = ''")
    if stock:
        where.append(f"indicator = ANY({p(sorted(STOCK_INDICATORS))}::text[])")
    key = DIMENSION_COLUMNS[group_by] if group_by else "''"
    return f"""
        SELECT {key} AS k, indicator, sum(value)::bigint AS value FROM reporting.stat_detail_day
        WHERE {" AND ".join(where)} GROUP BY k, indicator
    """


def _collect(rows: Sequence[Any]) -> Sums:
    out: Sums = defaultdict(dict)
    for _, key, indicator, value in rows:
        if value:
            out[key][indicator] = int(value)
    return dict(out)
