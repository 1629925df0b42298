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

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from reporting_service.projections.domain import STOCK_INDICATORS

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


async def sums(
    session: AsyncSession,
    *,
    date_from: date,
    date_to: date,
    filters: Filters,
    group_by: str | None = None,
    stock: bool = False,
) -> Sums:
    """Flow indicators summed over [date_from, date_to], or (stock=True) stock indicators as of date_to."""
    if stock:
        date_from = HISTORY_START
    active = filters.active()
    others = {k: v for k, v in active.items() if k != group_by}
    if len(others) == 0 and (group_by is not None or len(active) == 0):
        return await _rollup(session, group_by or "all", active.get(group_by or ""), date_from, date_to, stock)
    if len(active) == 1 and group_by is None:
        ((name, values),) = active.items()
        return await _rollup(session, name, values, date_from, date_to, stock, grouped=False)
    return await _detail(session, group_by, active, date_from, date_to, stock)


async def _rollup(
    session: AsyncSession,
    group: str,
    keys: Sequence[str] | None,
    date_from: date,
    date_to: date,
    stock: bool,
    *,
    grouped: bool = True,
) -> Sums:
    first, end, edges = month_split(date_from, date_to)
    params: dict[str, Any] = {"grp": group, "first": first, "end": end}
    key_filter = ""
    if keys is not None:
        key_filter = "AND key = ANY(:keys)"
        params["keys"] = list(keys)
    stock_filter = ""
    if stock:
        stock_filter = "AND indicator = ANY(:stock)"
        params["stock"] = sorted(STOCK_INDICATORS)
    edge_sql = " OR ".join(f"period BETWEEN :a{i} AND :b{i}" for i in range(len(edges))) or "false"
    for i, (a, b) in enumerate(edges):
        params[f"a{i}"], params[f"b{i}"] = a, b
    key_column = "key" if grouped else "''"
    sql = f"""
        SELECT k, indicator, sum(value)::bigint FROM (
            SELECT {key_column} AS k, indicator, value FROM reporting.stat_rollup_month
            WHERE grp = :grp {key_filter} {stock_filter} AND period >= :first AND period < :end
            UNION ALL
            SELECT {key_column} AS k, indicator, value FROM reporting.stat_rollup_day
            WHERE grp = :grp {key_filter} {stock_filter} AND ({edge_sql})
        ) t GROUP BY k, indicator
    """
    return _collect((await session.execute(text(sql), params)).all())


async def _detail(
    session: AsyncSession,
    group_by: str | None,
    active: dict[str, tuple[str, ...]],
    date_from: date,
    date_to: date,
    stock: bool,
) -> Sums:
    params: dict[str, Any] = {"a": date_from, "b": date_to}
    where = ["period BETWEEN :a AND :b"]
    for name, values in active.items():
        where.append(f"{DIMENSION_COLUMNS[name]} = ANY(:{name})")
        params[name] = list(values)
    if "campaign" not in active:
        where.append("campaign_code <> ''" if group_by == "campaign" else "campaign_code = ''")
    if stock:
        where.append("indicator = ANY(:stock)")
        params["stock"] = sorted(STOCK_INDICATORS)
    key = DIMENSION_COLUMNS[group_by] if group_by else "''"
    sql = f"""
        SELECT {key} AS k, indicator, sum(value)::bigint FROM reporting.stat_detail_day
        WHERE {" AND ".join(where)} GROUP BY k, indicator
    """
    return _collect((await session.execute(text(sql), params)).all())


def _collect(rows: Sequence[Any]) -> Sums:
    out: Sums = defaultdict(dict)
    for key, indicator, value in rows:
        if value:
            out[key][indicator] = int(value)
    return dict(out)
