"""Reads of penalty cases: one case with its file, a page of cases, a year's counts."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from enforcement_service.cases import domain, repository
from enforcement_service.cases.domain import ClockStatus
from enforcement_service.cases.exceptions import CaseNotFound
from enforcement_service.cases.mapping import to_state
from enforcement_service.cases.models import CaseEvidence, CasePayment, CaseStageEntry, PenaltyCase
from enforcement_service.cases.rules import ProcedureRules
from enforcement_service.paging import counted_changes, counted_page
from shared.auth.scope import Scope
from shared.http.list_rows import FoundRows
from shared.http.pagination import PageParams
from shared.rules import DatedRules


@dataclass
class CaseFile:
    """A case with everything on its file."""

    case: PenaltyCase
    history: list[CaseStageEntry]
    evidence: list[CaseEvidence]
    payments: list[CasePayment]
    owed: tuple[date, int, int]
    clocks: list[ClockStatus]


async def get_case(
    *, session: AsyncSession, scope: Scope, rules: DatedRules[ProcedureRules], case_id: uuid.UUID, today: date
) -> CaseFile:
    """A case with its history, evidence, payments, what is owed today and its clocks."""
    row = await repository.get(session, case_id, scope=scope)
    if row is None:
        raise CaseNotFound("case not found")
    payments = await repository.payments(session, row.id)
    state = to_state(row)
    in_force = rules.by(row.rule_set)
    fine_out, charge_out = domain.owed_on(
        state, on=today, payments=[(p.paid_on, p.fine_part_fen) for p in payments], rules=in_force
    )
    return CaseFile(
        case=row,
        history=await repository.history(session, row.id),
        evidence=await repository.evidence(session, row.id),
        payments=payments,
        owed=(today, fine_out, charge_out),
        clocks=domain.open_clocks(state, today=today, rules=in_force),
    )


async def list_cases(
    *, session: AsyncSession, scope: Scope, filters: repository.CaseFilter, page: PageParams
) -> FoundRows:
    """A page of cases in the caller's jurisdiction, most recently filed first (or, with the filter's
    `updated_since`, the change feed)."""
    scoped = replace(filters, scope=scope)
    if filters.updated_since is not None:
        return await counted_changes(session, repository, scoped, page)
    return await counted_page(session, repository, scoped, page, lambda r: (r.filed_on, r.id))


@dataclass(frozen=True)
class Counts:
    """Case counts of a year."""

    filed_general: int
    simplified: int
    by_units: dict[str, int]
    delegated_total: int
    delegated_by_township: dict[str, int]


async def count_cases(*, session: AsyncSession, scope: Scope, year: int) -> Counts:
    """Cases of a year, with delegated township cases counted separately."""
    rows = await repository.counts_for_year(session, year=year, scope=scope)
    general = simplified = delegated_total = 0
    by_units: dict[str, int] = {}
    by_township: dict[str, int] = {}
    for procedure, delegated, township, unit, n in rows:
        if procedure == "general":
            general += n
        else:
            simplified += n
        if delegated and township:
            delegated_total += n
            by_township[township] = by_township.get(township, 0) + n
        else:
            by_units[unit] = by_units.get(unit, 0) + n
    return Counts(general, simplified, by_units, delegated_total, by_township)
