"""Queries on enterprises."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Row, Select, Text, and_, cast, func, or_, select, text, tuple_
from sqlalchemy.dialects.postgresql import ARRAY, array
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from shared.http.list_rows import change_feed, count_of
from supervisor_service.assignments.models import Assignment
from supervisor_service.enterprises.domain import SIZE_BANDS
from supervisor_service.enterprises.models import Enterprise
from supervisor_service.enterprises.schemas import ENTERPRISE_ROWS, EnterpriseFilters
from supervisor_service.reference.models import Department, Industry, Jurisdiction
from supervisor_service.supervisors.models import Supervisor

# The list query itself outer-joins Assignment for the supervisor's name; the coverage filter needs
# its own alias, defined once so the statement cache keeps working.
COVERING_ASSIGNMENT = aliased(Assignment, name="covering_assignment")

# A list row: the enterprise and its resident supervisor, if any.
LIST_COLUMNS = ENTERPRISE_ROWS.columns(Enterprise, supervisor_id=Supervisor.id, supervisor_name=Supervisor.name)

# Searches of exactly two characters go through the bigram index (pg_trgm needs three).
BIGRAM = 2


async def get(
    session: AsyncSession, enterprise_id: uuid.UUID, *, visible: ColumnElement[bool], lock: bool = False
) -> Enterprise | None:
    """An enterprise by id if it satisfies the caller's visibility condition; locked for a change with `lock`."""
    query = select(Enterprise).where(Enterprise.id == enterprise_id, visible)
    return await session.scalar(query.with_for_update() if lock else query)


async def get_by_credit_code(session: AsyncSession, credit_code: str) -> Enterprise | None:
    """An enterprise by its unified social credit code."""
    return await session.scalar(select(Enterprise).where(Enterprise.credit_code == credit_code))


async def by_credit_codes(session: AsyncSession, codes: list[str]) -> dict[str, Enterprise]:
    """Enterprises with any of these credit codes, locked for update (bulk import)."""
    if not codes:
        return {}
    rows = await session.scalars(select(Enterprise).where(Enterprise.credit_code.in_(codes)).with_for_update())
    return {e.credit_code: e for e in rows}


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def filter_conditions(filters: EnterpriseFilters) -> list[ColumnElement[bool]]:
    """SQL conditions of the list filters."""
    conditions: list[ColumnElement[bool]] = []
    if filters.q:
        q = filters.q.strip()
        name_match: ColumnElement[bool] = Enterprise.name.ilike(f"%{_escape_like(q)}%", escape="\\")
        if len(q) == BIGRAM:
            bigrams = func.supervisor.name_bigrams(func.lower(Enterprise.name), type_=ARRAY(Text))
            name_match = and_(bigrams.contains(cast(array([q.lower()]), ARRAY(Text))), name_match)
        conditions.append(or_(name_match, Enterprise.credit_code == q.upper()) if len(q) == 18 else name_match)
    if filters.township_code:
        conditions.append(Enterprise.township_code == filters.township_code)
    if filters.industry_code:
        code = filters.industry_code.strip().upper()
        if code.isalpha():
            conditions.append(Enterprise.industry_section == code)
        elif len(code) == 2:
            conditions.append(Enterprise.industry_division == code)
        else:
            conditions.append(Enterprise.industry_code.startswith(code))
    if filters.size:
        low, high = SIZE_BANDS[filters.size]
        conditions.append(Enterprise.employee_count >= low)
        if high is not None:
            conditions.append(Enterprise.employee_count <= high)
    if filters.min_employees is not None:
        conditions.append(Enterprise.employee_count >= filters.min_employees)
    if filters.max_employees is not None:
        conditions.append(Enterprise.employee_count <= filters.max_employees)
    if filters.risk_level:
        conditions.append(Enterprise.risk_level == filters.risk_level.value)
    if filters.high_risk is not None:
        conditions.append(Enterprise.high_risk.is_(filters.high_risk))
    if filters.status:
        conditions.append(Enterprise.status == filters.status.value)
    if filters.supervising_department:
        conditions.append(Enterprise.supervising_department == filters.supervising_department)
    if filters.updated_since is not None:
        conditions.append(Enterprise.updated_at > filters.updated_since)
    if filters.covered is not None:
        active = (
            select(COVERING_ASSIGNMENT.id)
            .where(COVERING_ASSIGNMENT.enterprise_id == Enterprise.id, COVERING_ASSIGNMENT.active)
            .exists()
        )
        conditions.append(active if filters.covered else ~active)
    return conditions


def _listing(conditions: list[ColumnElement[bool]]) -> Select[Any]:
    return (
        select(*LIST_COLUMNS)
        .select_from(Enterprise)
        .outerjoin(Assignment, and_(Assignment.enterprise_id == Enterprise.id, Assignment.active))
        .outerjoin(Supervisor, Supervisor.id == Assignment.supervisor_id)
        .where(*conditions)
    )


async def _in_transaction(session: AsyncSession) -> None:
    """Continue a read session inside a transaction, so transaction-local settings hold for the next query.

    The read session autocommits (each statement is its own transaction); it gives back its connection
    and takes one in READ COMMITTED, which the pool returns to autocommit when the session closes.
    """
    await session.close()
    await session.connection(execution_options={"isolation_level": "READ COMMITTED"})


async def page(
    session: AsyncSession,
    conditions: list[ColumnElement[bool]],
    *,
    after: tuple[str, uuid.UUID] | None,
    limit: int,
    searching: bool = False,
) -> Sequence[Row[Any]]:
    """One page of list rows ordered by (name, id), starting after a keyset position; fetches limit + 1 rows."""
    sort_name: ColumnElement[str] = Enterprise.name.expression
    if searching:
        # The planner cannot estimate how many names contain a fragment; when it guesses "many" it walks
        # the name index and filters, which reads the whole table for a rare fragment. Sorting by the
        # byte order (the same order as the database's C.UTF-8 collation) keeps that index out of a
        # search, so the trigram/bigram index is used. Each search is planned for its own pattern.
        sort_name = Enterprise.name.collate("C")
        # Also, a fragment of common characters (天成木业) is estimated at a thousand rows, and the planner
        # then prefers a parallel scan of the whole table (60 ms at 100,000 names) to the trigram index
        # (1 ms). Both settings last until the end of the transaction and are set in one round trip.
        await _in_transaction(session)
        await session.execute(
            text(
                "SELECT set_config('plan_cache_mode', 'force_custom_plan', true), "
                "set_config('enable_seqscan', 'off', true)"
            )
        )
    query = _listing(conditions)
    if after is not None:
        query = query.where(tuple_(sort_name, Enterprise.id) > tuple_(*after))
    query = query.order_by(sort_name, Enterprise.id).limit(limit + 1)
    return (await session.execute(query)).all()


async def changes(
    session: AsyncSession, conditions: list[ColumnElement[bool]], *, cursor: str | None, limit: int
) -> Sequence[Row[Any]]:
    """List rows matching the conditions, oldest change first (the change feed); fetches limit + 1 rows."""
    query = change_feed(_listing(conditions), Enterprise.updated_at, Enterprise.id, cursor=cursor, limit=limit + 1)
    return (await session.execute(query)).all()


async def count(session: AsyncSession, conditions: list[ColumnElement[bool]]) -> int:
    """Number of enterprises matching the conditions."""
    return await count_of(session, _listing(conditions))


async def count_all(session: AsyncSession) -> int:
    """Number of enterprises in the registry."""
    return int(await session.scalar(select(func.count()).select_from(Enterprise)) or 0)


async def reference_codes(
    session: AsyncSession,
) -> tuple[dict[str, tuple[str, str | None]], dict[str, str | None], set[str]]:
    """Current jurisdictions (code -> level, parent), industries (code -> parent) and department codes."""
    jurisdictions = {
        code: (level, parent)
        for code, level, parent in (
            await session.execute(
                select(Jurisdiction.code, Jurisdiction.level, Jurisdiction.parent_code).where(
                    Jurisdiction.retired_in_version.is_(None)
                )
            )
        )
    }
    industry_rows = await session.execute(
        select(Industry.code, Industry.parent_code).where(Industry.retired_in_version.is_(None))
    )
    industries: dict[str, str | None] = dict(industry_rows.all())
    departments = set(await session.scalars(select(Department.code).where(Department.retired_in_version.is_(None))))
    return jurisdictions, industries, departments
