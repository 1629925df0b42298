"""Use cases of assignments: assign (one-to-one or one-to-many), reassign, end, list."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from shared import clock
from shared.auth.principal import Principal
from shared.contracts.supervisor import AssignmentEndedV1, AssignmentStartedV1
from shared.db import UnitOfWork
from shared.errors import Forbidden, ValidationFailed, field_error
from shared.http.concurrency import check_version
from shared.http.list_rows import FoundRows, change_cursor
from shared.http.pagination import PageParams
from supervisor_service.access import Scope, resolve_scope
from supervisor_service.assignments import repository
from supervisor_service.assignments.domain import capacity_problem, end_date_problem
from supervisor_service.assignments.exceptions import (
    AssignmentAlreadyEnded,
    AssignmentNotFound,
    EnterpriseAlreadyCovered,
    SupervisorAtCapacity,
    SupervisorInactive,
)
from supervisor_service.assignments.models import Assignment
from supervisor_service.assignments.schemas import AssignmentCreate, AssignmentEnd, AssignmentFilters, AssignmentRead
from supervisor_service.enterprises.domain import EnterpriseStatus
from supervisor_service.enterprises.models import Enterprise
from supervisor_service.listing import matching, next_cursor, position
from supervisor_service.rules import SupervisionRules
from supervisor_service.supervisors.models import Supervisor


def to_read(assignment: Assignment, supervisor: Supervisor, enterprise: Enterprise) -> AssignmentRead:
    """The API view of an assignment."""
    return AssignmentRead.of(assignment, supervisor, enterprise, township_code=enterprise.township_code)


def _snapshot(assignment: Assignment, supervisor: Supervisor) -> dict[str, object]:
    enterprise = assignment.enterprise
    return {
        "assignment_id": str(assignment.id),
        "supervisor_id": str(supervisor.id),
        "supervisor_name": supervisor.name,
        "supervisor_org_kind": supervisor.org_kind,
        "supervisor_org_code": supervisor.org_code,
        "enterprise_id": str(enterprise.id),
        "enterprise_name": enterprise.name,
        "township_code": enterprise.township_code,
        "industry_code": enterprise.industry_code,
        "employee_count": enterprise.employee_count,
        "supervising_department": enterprise.supervising_department,
        "start_date": assignment.start_date.isoformat(),
        "end_date": assignment.end_date.isoformat() if assignment.end_date else None,
        "end_reason": assignment.end_reason,
    }


def record_started(uow: UnitOfWork, assignment: Assignment, supervisor: Supervisor) -> None:
    """Record assignment.started."""
    uow.record_for(assignment, AssignmentStartedV1.model_validate(_snapshot(assignment, supervisor)))


def record_ended(uow: UnitOfWork, assignment: Assignment, supervisor: Supervisor) -> None:
    """Record assignment.ended."""
    uow.record_for(assignment, AssignmentEndedV1.model_validate(_snapshot(assignment, supervisor)))


async def end_in(uow: UnitOfWork, assignment: Assignment, end_date: date, reason: str | None) -> None:
    """End an assignment inside the caller's open unit of work and record assignment.ended."""
    problem = end_date_problem(assignment.start_date, end_date)
    if problem:
        raise ValidationFailed(problem, errors=[field_error("end_date", problem)])
    supervisor = await uow.session.get(Supervisor, assignment.supervisor_id)
    assert supervisor is not None
    assignment.active = False
    assignment.end_date = end_date
    assignment.end_reason = reason
    await uow.session.flush()
    record_ended(uow, assignment, supervisor)


async def end_active_assignment(uow: UnitOfWork, enterprise: Enterprise, *, end_date: date, reason: str) -> None:
    """End the enterprise's active assignment, if any, inside the caller's transaction."""
    current = await repository.active_of_enterprise(uow.session, enterprise.id)
    if current is not None:
        await end_in(uow, current, max(end_date, current.start_date), reason)


async def assign_supervisor(
    *, uow: UnitOfWork, actor: Principal, data: AssignmentCreate, rules: SupervisionRules
) -> list[AssignmentRead]:
    """Make a supervisor the resident supervisor of one or more enterprises, all or none.

    At most one active assignment per enterprise: a partial unique index decides between
    concurrent requests; the supervisor row is locked so the capacity count is exact.
    """
    async with uow:
        created = await assign_in(uow, await resolve_scope(uow.session, actor), data, rules)
        try:
            await uow.commit()
        except IntegrityError:
            raise EnterpriseAlreadyCovered("another assignment of this enterprise was made at the same time") from None
        return created


async def assign_in(
    uow: UnitOfWork, scope: Scope, data: AssignmentCreate, rules: SupervisionRules
) -> list[AssignmentRead]:
    """Assign inside the caller's open unit of work (an assignment or one row of an import)."""
    start = data.start_date or clock.today()
    enterprise_ids = list(dict.fromkeys(data.enterprise_ids))
    supervisor = await uow.session.scalar(
        select(Supervisor).where(Supervisor.id == data.supervisor_id).with_for_update()
    )
    if supervisor is None:
        raise ValidationFailed("unknown supervisor", errors=[field_error("supervisor_id", "no such supervisor")])
    if not supervisor.active:
        raise SupervisorInactive(f"supervisor {supervisor.name} is not active")
    visible = scope.visible_enterprises()
    rows = await uow.session.scalars(
        select(Enterprise).where(Enterprise.id.in_(enterprise_ids), visible).order_by(Enterprise.id)
    )
    enterprises = {e.id: e for e in rows}
    missing = [str(i) for i in enterprise_ids if i not in enterprises]
    if missing:
        raise ValidationFailed(
            "unknown enterprise",
            errors=[field_error("enterprise_ids", f"no such enterprise in your jurisdiction: {m}") for m in missing],
        )
    for enterprise in enterprises.values():
        if not scope.can_manage(enterprise):
            raise Forbidden(f"you may not assign supervisors to {enterprise.name}")
        if enterprise.status == EnterpriseStatus.CLOSED.value:
            raise ValidationFailed(
                "closed enterprise", errors=[field_error("enterprise_ids", f"{enterprise.name} is closed")]
            )
    replaced = 0
    for enterprise in enterprises.values():
        current = await repository.active_of_enterprise(uow.session, enterprise.id)
        if current is None:
            continue
        if current.supervisor_id == supervisor.id:
            raise EnterpriseAlreadyCovered(f"{supervisor.name} is already resident at {enterprise.name}")
        if not data.replace_current:
            raise EnterpriseAlreadyCovered(
                f"{enterprise.name} already has a resident supervisor; send replace_current to reassign",
                assignment_id=str(current.id),
            )
        await end_in(uow, current, max(start, current.start_date), "reassigned")
        replaced += 1
    problem = capacity_problem(
        await repository.active_count(uow.session, supervisor.id),
        len(enterprises),
        rules.max_enterprises_per_supervisor,
    )
    if problem:
        raise SupervisorAtCapacity(problem, maximum=rules.max_enterprises_per_supervisor)
    created = []
    for enterprise_id in enterprise_ids:
        enterprise = enterprises[enterprise_id]
        assignment = Assignment(
            id=uuid.uuid4(), supervisor_id=supervisor.id, enterprise=enterprise, start_date=start, active=True
        )
        uow.session.add(assignment)
        created.append((assignment, enterprise))
    try:
        await uow.session.flush()
    except IntegrityError:
        raise EnterpriseAlreadyCovered("another assignment of this enterprise was made at the same time") from None
    for assignment, _ in created:
        record_started(uow, assignment, supervisor)
    return [to_read(a, supervisor, e) for a, e in created]


async def end_assignment(
    *, uow: UnitOfWork, actor: Principal, assignment_id: uuid.UUID, data: AssignmentEnd, if_match: str | None
) -> AssignmentRead:
    """End an active assignment; it stays in the history."""
    async with uow:
        scope = await resolve_scope(uow.session, actor)
        assignment, supervisor, enterprise = await _visible(uow.session, scope, assignment_id)
        if not scope.can_manage(enterprise):
            raise Forbidden("you may not end this assignment")
        check_version(assignment.version, if_match)
        if not assignment.active:
            raise AssignmentAlreadyEnded(f"the assignment ended on {assignment.end_date}")
        await end_in(uow, assignment, data.end_date or clock.today(), data.reason)
        await uow.commit()
        return to_read(assignment, supervisor, enterprise)


async def _visible(session: AsyncSession, scope: Scope, assignment_id: uuid.UUID) -> repository.Row:
    row = await repository.get(session, assignment_id, visible=scope.visible_enterprises())
    if row is None:
        raise AssignmentNotFound(f"assignment {assignment_id} not found")
    return row


async def get_assignment(*, session: AsyncSession, scope: Scope, assignment_id: uuid.UUID) -> AssignmentRead:
    """One assignment whose enterprise the caller sees."""
    return to_read(*await _visible(session, scope, assignment_id))


async def list_assignments(
    *, session: AsyncSession, scope: Scope, filters: AssignmentFilters, page: PageParams
) -> FoundRows:
    """Assignments (current and past) of enterprises in the caller's scope."""
    conditions = [
        scope.visible_enterprises(),
        *matching(
            (Assignment.enterprise_id, filters.enterprise_id),
            (Assignment.supervisor_id, filters.supervisor_id),
            (Assignment.active, filters.active),
        ),
    ]
    if filters.updated_since is not None:
        conditions.append(Assignment.updated_at > filters.updated_since)
    total = await repository.count(session, conditions) if page.include_total else None
    if filters.updated_since is not None:
        rows = await repository.changes(session, conditions, cursor=page.cursor, limit=page.limit)
        return rows[: page.limit], change_cursor(rows, page.limit), total
    after = position(page, date.fromisoformat)
    rows = await repository.page(session, conditions, after=after, limit=page.limit)
    cursor = next_cursor(rows, page.limit, lambda row: [row.start_date.isoformat(), str(row.id)])
    return rows[: page.limit], cursor, total
