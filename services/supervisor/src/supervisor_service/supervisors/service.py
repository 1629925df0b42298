"""Use cases of the supervisor registry."""

from __future__ import annotations

import uuid

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from shared import clock
from shared.auth.principal import Principal
from shared.contracts.supervisor import SupervisorRegisteredV1, SupervisorUpdatedV1
from shared.db import UnitOfWork
from shared.errors import Forbidden, ValidationFailed, field_error
from shared.http.concurrency import check_version
from shared.http.list_rows import change_cursor
from shared.http.pagination import Page, PageParams
from supervisor_service.access import Scope, resolve_scope
from supervisor_service.assignments import repository as assignments
from supervisor_service.assignments.domain import mode_of
from supervisor_service.listing import matching, next_cursor, position
from supervisor_service.reference import repository as reference
from supervisor_service.reference.models import Department, Jurisdiction
from supervisor_service.supervisors import repository
from supervisor_service.supervisors.exceptions import (
    DuplicateSupervisorCode,
    SupervisorNotFound,
    SupervisorStillAssigned,
)
from supervisor_service.supervisors.models import Supervisor
from supervisor_service.supervisors.schemas import (
    OrgKind,
    SupervisorCreate,
    SupervisorFilters,
    SupervisorRead,
    SupervisorUpdate,
)


async def org_name(session: AsyncSession, org_kind: str, org_code: str) -> str | None:
    """The department's or township's name, None when the code is unknown."""
    if org_kind == OrgKind.DEPARTMENT:
        department = await reference.department(session, org_code)
        return department.name if department else None
    township = await reference.jurisdiction(session, org_code)
    return township.name if township is not None and township.level == "township" else None


async def _check_org(session: AsyncSession, org_kind: str, org_code: str) -> str:
    name = await org_name(session, org_kind, org_code)
    if name is None:
        reason = "not a known department" if org_kind == OrgKind.DEPARTMENT else "not a known township code"
        raise ValidationFailed("unknown organisation", errors=[field_error("org_code", reason)])
    return name


def record_supervisor(uow: UnitOfWork, supervisor: Supervisor, org: str | None, *, registered: bool) -> None:
    """Record supervisor.registered or supervisor.updated with the full state."""
    data = {
        "supervisor_id": str(supervisor.id),
        "code": supervisor.code,
        "name": supervisor.name,
        "org_kind": supervisor.org_kind,
        "org_code": supervisor.org_code,
        "org_name": org,
        "township_code": supervisor.township_code,
        "position": supervisor.position,
        "phone": supervisor.phone,
        "active": supervisor.active,
        "appointed_on": supervisor.appointed_on.isoformat(),
    }
    uow.record_for(supervisor, SupervisorRegisteredV1(**data) if registered else SupervisorUpdatedV1(**data))


async def _read(session: AsyncSession, supervisors: list[Supervisor]) -> list[SupervisorRead]:
    counts = await assignments.active_counts(session, [s.id for s in supervisors])
    departments = await reference.names(
        session, Department, {s.org_code for s in supervisors if s.org_kind == "department"}
    )
    townships = await reference.names(
        session, Jurisdiction, {s.org_code for s in supervisors if s.org_kind == "township"}
    )
    result = []
    for s in supervisors:
        n = counts.get(s.id, 0)
        names = departments if s.org_kind == "department" else townships
        read = SupervisorRead.model_validate(s)
        result.append(
            read.model_copy(update={"active_assignments": n, "mode": mode_of(n), "org_name": names.get(s.org_code)})
        )
    return result


async def register_supervisor(*, uow: UnitOfWork, actor: Principal, data: SupervisorCreate) -> SupervisorRead:
    """Register a supervisor of a department or township; publishes supervisor.registered."""
    async with uow:
        supervisor = await register_in(uow, await resolve_scope(uow.session, actor), data)
        await uow.commit()
        return (await _read(uow.session, [supervisor]))[0]


async def register_in(uow: UnitOfWork, scope: Scope, data: SupervisorCreate) -> Supervisor:
    """Register a supervisor inside the caller's open unit of work (a registration or one row of an import)."""
    if not scope.can_manage_supervisor(data.org_kind, data.org_code):
        raise Forbidden("you may register supervisors of your own department or township only")
    org = await _check_org(uow.session, data.org_kind, data.org_code)
    supervisor_id = uuid.uuid4()
    code = data.code or f"SUP-{supervisor_id.hex[:8].upper()}"
    if await repository.get_by_code(uow.session, code):
        raise DuplicateSupervisorCode(f"a supervisor with code {code} exists")
    supervisor = Supervisor(
        id=supervisor_id,
        code=code,
        name=data.name,
        org_kind=data.org_kind.value,
        org_code=data.org_code,
        township_code=data.org_code if data.org_kind == OrgKind.TOWNSHIP else None,
        position=data.position,
        phone=data.phone,
        active=data.active,
        appointed_on=data.appointed_on or clock.today(),
    )
    uow.session.add(supervisor)
    try:
        await uow.session.flush()
    except IntegrityError:
        raise DuplicateSupervisorCode(f"a supervisor with code {code} exists") from None
    record_supervisor(uow, supervisor, org, registered=True)
    return supervisor


async def update_supervisor(
    *, uow: UnitOfWork, actor: Principal, supervisor_id: uuid.UUID, data: SupervisorUpdate, if_match: str | None
) -> SupervisorRead:
    """Change a supervisor's details or deactivate them (only without active assignments)."""
    async with uow:
        scope = await resolve_scope(uow.session, actor)
        supervisor = await repository.get(uow.session, supervisor_id, visible=scope.visible_supervisors(), lock=True)
        if supervisor is None:
            raise SupervisorNotFound(f"supervisor {supervisor_id} not found")
        if not scope.can_manage_supervisor(supervisor.org_kind, supervisor.org_code):
            raise Forbidden("you may change supervisors of your own department or township only")
        check_version(supervisor.version, if_match)
        changes = {k: v for k, v in data.model_dump(exclude_unset=True).items() if getattr(supervisor, k) != v}
        for required in ("name", "org_kind", "org_code", "active", "appointed_on"):
            if required in changes and changes[required] is None:
                raise ValidationFailed("missing value", errors=[field_error(required, "may not be null")])
        if not changes:
            return (await _read(uow.session, [supervisor]))[0]
        org_kind = str(changes.get("org_kind", supervisor.org_kind))
        org_code = str(changes.get("org_code", supervisor.org_code))
        org = await _check_org(uow.session, org_kind, org_code)
        if not scope.can_manage_supervisor(org_kind, org_code):
            raise Forbidden("the new organisation is outside your jurisdiction")
        if changes.get("active") is False:
            active = await assignments.active_count(uow.session, supervisor.id)
            if active:
                raise SupervisorStillAssigned(
                    f"the supervisor is resident at {active} enterprises; end or reassign those first"
                )
        for key, value in changes.items():
            setattr(supervisor, key, value.value if isinstance(value, OrgKind) else value)
        supervisor.township_code = org_code if org_kind == OrgKind.TOWNSHIP else None
        await uow.session.flush()
        record_supervisor(uow, supervisor, org, registered=False)
        await uow.commit()
        return (await _read(uow.session, [supervisor]))[0]


async def get_supervisor(*, session: AsyncSession, scope: Scope, supervisor_id: uuid.UUID) -> SupervisorRead:
    """One supervisor visible to the caller."""
    supervisor = await repository.get(session, supervisor_id, visible=scope.visible_supervisors())
    if supervisor is None:
        raise SupervisorNotFound(f"supervisor {supervisor_id} not found")
    return (await _read(session, [supervisor]))[0]


async def list_supervisors(
    *, session: AsyncSession, scope: Scope, filters: SupervisorFilters, page: PageParams
) -> Page[SupervisorRead]:
    """Supervisors visible to the caller, ordered by name (keyset pagination)."""
    conditions = [
        scope.visible_supervisors(),
        *matching(
            (Supervisor.org_code, filters.org_code),
            (Supervisor.township_code, filters.township_code),
            (Supervisor.active, filters.active),
        ),
    ]
    if filters.q:
        conditions.append(Supervisor.name.contains(filters.q.strip(), autoescape=True))
    if filters.updated_since is not None:
        conditions.append(Supervisor.updated_at > filters.updated_since)
    total = await repository.count(session, conditions) if page.include_total else None
    if filters.updated_since is not None:
        rows = await repository.changes(session, conditions, cursor=page.cursor, limit=page.limit)
        cursor = change_cursor(rows, page.limit)
    else:
        rows = await repository.page(session, conditions, after=position(page, str), limit=page.limit)
        cursor = next_cursor(rows, page.limit, lambda last: [last.name, str(last.id)])
    return Page[SupervisorRead](items=await _read(session, rows[: page.limit]), next_cursor=cursor, total=total)
