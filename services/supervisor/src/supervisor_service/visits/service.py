"""Use cases of visit logs: log a visit (publishing each finding), list, quarterly report, inactivity."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from shared import clock
from shared.auth.principal import Principal, Role
from shared.contracts.supervisor import VisitFinding as VisitFindingPayload
from shared.contracts.supervisor import VisitFindingRecordedV1, VisitLoggedV1
from shared.db import UnitOfWork
from shared.errors import Forbidden, ValidationFailed, field_error
from shared.http.pagination import Page, PageParams
from supervisor_service.access import Scope, resolve_scope
from supervisor_service.assignments.models import Assignment
from supervisor_service.enterprises.exceptions import EnterpriseNotFound
from supervisor_service.enterprises.models import Enterprise
from supervisor_service.listing import matching, next_cursor, position
from supervisor_service.rules import SupervisionRules
from supervisor_service.supervisors import repository as supervisors
from supervisor_service.supervisors.exceptions import SupervisorNotFound
from supervisor_service.supervisors.models import Supervisor
from supervisor_service.visits import repository
from supervisor_service.visits.domain import quarter_bounds, visit_date_problem
from supervisor_service.visits.exceptions import VisitNotFound
from supervisor_service.visits.models import Visit, VisitFinding
from supervisor_service.visits.schemas import (
    EnterpriseQuarter,
    FindingRead,
    InactiveSupervisor,
    InactiveSupervisors,
    QuarterlyReport,
    VisitCreate,
    VisitFilters,
    VisitRead,
)


def _read(visit: Visit, supervisor: Supervisor, enterprise: Enterprise, findings: list[VisitFinding]) -> VisitRead:
    return VisitRead.of(visit, supervisor, enterprise, findings=[FindingRead.model_validate(f) for f in findings])


def _visible_visits(scope: Scope) -> ColumnElement[bool]:
    """Visits to enterprises the caller sees, and a supervisor's own visits."""
    if scope.supervisor_id is None:
        return scope.visible_enterprises()
    return or_(scope.visible_enterprises(), Visit.supervisor_id == scope.supervisor_id)


async def log_visit(*, uow: UnitOfWork, actor: Principal, data: VisitCreate) -> VisitRead:
    """Record a visit by the calling supervisor to an enterprise they are resident at.

    Publishes visit.logged and one visit.finding_recorded per finding, each carrying everything
    the hazard service needs to register a hazard exactly once (keyed by finding_id).
    """
    problem = visit_date_problem(data.visited_on, clock.today())
    if problem:
        raise ValidationFailed(problem, errors=[field_error("visited_on", problem)])
    if not actor.has_role(Role.SUPERVISOR):
        raise Forbidden("only resident supervisors log visits")
    async with uow:
        scope = await resolve_scope(uow.session, actor)
        if scope.supervisor_id is None:
            raise Forbidden("the token carries no supervisor_id")
        supervisor = await uow.session.get(Supervisor, scope.supervisor_id)
        if supervisor is None or not supervisor.active:
            raise Forbidden("you are not an active supervisor")
        enterprise = await uow.session.scalar(
            select(Enterprise)
            .join(Assignment, Assignment.enterprise_id == Enterprise.id)
            .where(
                Enterprise.id == data.enterprise_id,
                Assignment.supervisor_id == supervisor.id,
                Assignment.active,
            )
        )
        if enterprise is None:
            raise EnterpriseNotFound(f"enterprise {data.enterprise_id} is not one of your enterprises")
        visit = Visit(
            id=uuid.uuid4(),
            supervisor_id=supervisor.id,
            enterprise_id=enterprise.id,
            township_code=enterprise.township_code,
            industry_code=enterprise.industry_code,
            visited_on=data.visited_on,
            checked_items=data.checked_items,
            summary=data.summary,
            finding_count=len(data.findings),
        )
        findings = [
            VisitFinding(
                id=uuid.uuid4(),
                visit_id=visit.id,
                position=n,
                description=f.description,
                grade_suggestion=f.grade_suggestion.value,
                location=f.location,
                photo_refs=f.photo_refs,
                clause_code=f.clause_code,
            )
            for n, f in enumerate(data.findings)
        ]
        uow.session.add(visit)
        await uow.session.flush()
        uow.session.add_all(findings)
        await uow.session.flush()
        _record(uow, visit, supervisor, enterprise, findings)
        await uow.commit()
        return _read(visit, supervisor, enterprise, findings)


def _record(
    uow: UnitOfWork, visit: Visit, supervisor: Supervisor, enterprise: Enterprise, findings: list[VisitFinding]
) -> None:
    payloads = [
        VisitFindingPayload(
            finding_id=str(f.id),
            description=f.description,
            grade_suggestion=f.grade_suggestion,
            location=f.location,
            photo_refs=list(f.photo_refs),
            clause_code=f.clause_code,
        )
        for f in findings
    ]
    uow.record_for(
        visit,
        VisitLoggedV1(
            visit_id=str(visit.id),
            supervisor_id=str(supervisor.id),
            enterprise_id=str(enterprise.id),
            township_code=visit.township_code,
            industry_code=visit.industry_code,
            visited_on=visit.visited_on.isoformat(),
            checked_items=list(visit.checked_items),
            summary=visit.summary,
            findings=payloads,
        ),
    )
    # Each finding again on its own, with what the hazard service needs to register it as a hazard.
    for payload in payloads:
        uow.record_for(
            visit,
            VisitFindingRecordedV1(
                **payload.model_dump(),
                visit_id=str(visit.id),
                enterprise_id=str(enterprise.id),
                enterprise_name=enterprise.name,
                credit_code=enterprise.credit_code,
                township_code=enterprise.township_code,
                industry_code=enterprise.industry_code,
                supervisor_id=str(supervisor.id),
                supervisor_name=supervisor.name,
                found_on=visit.visited_on.isoformat(),
            ),
        )


async def get_visit(*, session: AsyncSession, scope: Scope, visit_id: uuid.UUID) -> VisitRead:
    """One visit the caller may see."""
    row = await repository.get(session, visit_id, visible=_visible_visits(scope))
    if row is None:
        raise VisitNotFound(f"visit {visit_id} not found")
    findings = await repository.findings_of(session, [visit_id])
    return _read(*row, findings[visit_id])


async def list_visits(
    *, session: AsyncSession, scope: Scope, filters: VisitFilters, page: PageParams
) -> Page[VisitRead]:
    """Visits the caller may see, newest first."""
    conditions = [
        _visible_visits(scope),
        *matching((Visit.supervisor_id, filters.supervisor_id), (Visit.enterprise_id, filters.enterprise_id)),
    ]
    if filters.visited_from:
        conditions.append(Visit.visited_on >= filters.visited_from)
    if filters.visited_to:
        conditions.append(Visit.visited_on <= filters.visited_to)
    before = position(page, date.fromisoformat)
    rows = await repository.page(session, conditions, before=before, limit=page.limit)
    shown = rows[: page.limit]
    findings = await repository.findings_of(session, [v.id for v, _, _ in shown])
    items = [_read(v, s, e, findings[v.id]) for v, s, e in shown]
    cursor = next_cursor(rows, page.limit, lambda row: [row[0].visited_on.isoformat(), str(row[0].id)])
    total = await repository.count(session, conditions) if page.include_total else None
    return Page[VisitRead](items=items, next_cursor=cursor, total=total)


async def quarterly_report(
    *, session: AsyncSession, scope: Scope, supervisor_id: uuid.UUID, year: int, quarter: int
) -> QuarterlyReport:
    """A supervisor's quarter: enterprises assigned, visits and findings per enterprise."""
    start, end = quarter_bounds(year, quarter)
    supervisor = await supervisors.get(session, supervisor_id, visible=scope.visible_supervisors())
    if supervisor is None:
        raise SupervisorNotFound(f"supervisor {supervisor_id} not found")
    rows = await repository.quarter_by_enterprise(session, supervisor.id, start, end)
    major = await repository.major_findings(session, supervisor.id, start, end)
    return QuarterlyReport(
        supervisor_id=supervisor.id,
        supervisor_name=supervisor.name,
        year=year,
        quarter=quarter,
        period_start=start,
        period_end=end,
        enterprises_assigned=len(rows),
        enterprises_visited=sum(1 for r in rows if r[2] > 0),
        visits=sum(r[2] for r in rows),
        findings=sum(r[3] for r in rows),
        major_findings=major,
        enterprises=[
            EnterpriseQuarter(enterprise_id=i, enterprise_name=n, visits=v, findings=f, last_visited_on=last)
            for i, n, v, f, last in rows
        ],
    )


async def inactive_supervisors(
    *, session: AsyncSession, scope: Scope, rules: SupervisionRules, days: int | None, limit: int
) -> InactiveSupervisors:
    """Active supervisors with enterprises and no visit in the last `days` days (the rule's default)."""
    today = clock.today()
    threshold = days or rules.inactive_after_days
    rows = await repository.last_visits(
        session, [scope.visible_supervisors()], cutoff=today - timedelta(days=threshold), limit=limit
    )
    return InactiveSupervisors(
        as_of=today,
        inactive_after_days=threshold,
        items=[
            InactiveSupervisor(
                supervisor_id=s.id,
                code=s.code,
                name=s.name,
                org_kind=s.org_kind,
                org_code=s.org_code,
                phone=s.phone,
                active_assignments=n,
                last_visited_on=last,
                days_since_last_visit=(today - last).days if last else None,
            )
            for s, n, last in rows
        ],
    )
