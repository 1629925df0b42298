"""The legal clocks of cases: which are near or past their limit, and the warnings the worker emits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from enforcement_service.cases import domain, events, repository
from enforcement_service.cases.domain import ClockStatus
from enforcement_service.cases.mapping import to_state
from enforcement_service.cases.models import PenaltyCase
from enforcement_service.cases.rules import ProcedureRules
from shared.auth.scope import Scope
from shared.db import UnitOfWork
from shared.http.pagination import PageParams, decode_cursor, encode_cursor
from shared.rules import DatedRules

# The most running clocks of one kind the list evaluates (a county's open cases are far fewer).
MAX_CLOCKS = 10_000


@dataclass(frozen=True)
class CaseClock:
    """A running limit of a case."""

    case: PenaltyCase
    clock: ClockStatus


def _horizon(rules: DatedRules[ProcedureRules], today: date) -> date:
    """The last due day any rule set counts as nearing today."""
    return today + timedelta(days=max(r.nearing_days for r in rules.entries))


def _statuses(rules: DatedRules[ProcedureRules], row: PenaltyCase, today: date, clock: str) -> list[ClockStatus]:
    in_force = rules.by(row.rule_set)
    return [c for c in domain.open_clocks(to_state(row), today=today, rules=in_force) if c.clock == clock]


def _key(found: CaseClock) -> list[str]:
    """A clock's place in the list (most urgent first), as a cursor holds it."""
    return [found.clock.due_on.isoformat(), str(found.case.id), found.clock.clock]


async def list_clocks(
    *,
    session: AsyncSession,
    scope: Scope,
    rules: DatedRules[ProcedureRules],
    today: date,
    status: str | None,
    page: PageParams,
) -> tuple[list[CaseClock], str | None, int | None]:
    """A page of the limits of cases nearing or past them in the caller's jurisdiction, most urgent first, the next
    cursor and (on request) the total. A clock's state is computed from its case, so the whole working set (the
    running clocks due by the horizon, at most MAX_CLOCKS of each kind) is evaluated, then paged."""
    due_from = today if status == "nearing" else None
    due_until = today - timedelta(days=1) if status == "overdue" else _horizon(rules, today)
    found: list[CaseClock] = []
    for clock in repository.CLOCKS:
        rows = await repository.cases_due(
            session, clock=clock, due_from=due_from, due_until=due_until, scope=scope, limit=MAX_CLOCKS
        )
        for row in rows:
            found.extend(CaseClock(row, c) for c in _statuses(rules, row, today, clock) if c.status != "running")
    found.sort(key=_key)
    after = decode_cursor(page.cursor) if page.cursor else None
    following = [c for c in found if after is None or _key(c) > after]
    cursor = encode_cursor(_key(following[page.limit - 1])) if len(following) > page.limit else None
    return following[: page.limit], cursor, len(found) if page.include_total else None


async def emit_clock_warnings(
    *, uow: UnitOfWork, rules: DatedRules[ProcedureRules], today: date, batch: int = 5000
) -> int:
    """Emit case.clock_warning once per case, clock, due date and status (idempotent in SQL); at most
    `batch` per clock and status in one run, the rest in the next runs."""
    emitted = 0
    windows = {"overdue": (None, today - timedelta(days=1)), "nearing": (today, _horizon(rules, today))}
    for clock in repository.CLOCKS:
        for status, (due_from, due_until) in windows.items():
            rows = await repository.cases_due(
                uow.session, clock=clock, due_from=due_from, due_until=due_until, not_warned_as=status, limit=batch
            )
            for row in rows:
                for state in _statuses(rules, row, today, clock):
                    if state.status != status or not await repository.claim_warning(
                        uow.session, case_id=row.id, clock=clock, due_on=state.due_on, status=status
                    ):
                        continue
                    emitted += 1
                    # A warning changes no state: it carries the version it was computed from.
                    uow.record_for(row, events.clock_warning(row, state))
    return emitted
