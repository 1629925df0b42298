"""Use cases of public posting: an enterprise's notice and a township's roster."""

from __future__ import annotations

import uuid

from sqlalchemy import and_, select
from sqlalchemy.ext.asyncio import AsyncSession

from shared.auth.principal import Role
from supervisor_service.access import Scope
from supervisor_service.assignments.models import Assignment
from supervisor_service.enterprises.domain import EnterpriseStatus
from supervisor_service.enterprises.models import Enterprise
from supervisor_service.enterprises.service import get_enterprise
from supervisor_service.postings.domain import NoticeFacts
from supervisor_service.postings.exceptions import NoResidentSupervisor, TownshipNotFound
from supervisor_service.reference import repository as reference
from supervisor_service.supervisors.models import Supervisor
from supervisor_service.supervisors.service import org_name


async def notice_facts(
    *, session: AsyncSession, scope: Scope, enterprise_id: uuid.UUID, complaint_hotline: str
) -> NoticeFacts:
    """The facts of an enterprise's notice; 409 when it has no active resident supervisor."""
    enterprise = await get_enterprise(session=session, scope=scope, enterprise_id=enterprise_id)
    row = (
        await session.execute(
            select(Assignment, Supervisor)
            .join(Supervisor, Supervisor.id == Assignment.supervisor_id)
            .where(Assignment.enterprise_id == enterprise.id, Assignment.active)
        )
    ).first()
    if row is None:
        raise NoResidentSupervisor(f"{enterprise.name} has no resident supervisor to post")
    assignment, supervisor = row
    township = await reference.jurisdiction(session, enterprise.township_code)
    unit = await org_name(session, supervisor.org_kind, supervisor.org_code)
    return NoticeFacts(
        enterprise_name=enterprise.name,
        credit_code=enterprise.credit_code,
        address=enterprise.address,
        supervisor_name=supervisor.name,
        supervisor_unit=unit or supervisor.org_code,
        supervisor_position=supervisor.position,
        supervisor_phone=supervisor.phone,
        start_date=assignment.start_date,
        complaint_hotline=complaint_hotline,
        township_name=township.name if township else None,
    )


async def township_roster(*, session: AsyncSession, scope: Scope, township_code: str) -> tuple[str, list[list[object]]]:
    """The township's name and one roster row per enterprise with an active resident supervisor."""
    actor = scope.principal
    township = await reference.jurisdiction(session, township_code)
    reaches = scope.everything or actor.has_role(Role.DEPARTMENT_OFFICER) or actor.covers(township_code)
    if township is None or township.level != "township" or not reaches:
        raise TownshipNotFound(f"township {township_code} not found")
    rows = (
        await session.execute(
            select(Enterprise, Assignment, Supervisor)
            .join(Assignment, and_(Assignment.enterprise_id == Enterprise.id, Assignment.active))
            .join(Supervisor, Supervisor.id == Assignment.supervisor_id)
            .where(
                Enterprise.township_code == township_code,
                Enterprise.status != EnterpriseStatus.CLOSED.value,
                scope.visible_enterprises(),
            )
            .order_by(Enterprise.name, Enterprise.id)
        )
    ).all()
    units: dict[tuple[str, str], str] = {}
    roster = []
    for number, (enterprise, assignment, supervisor) in enumerate(rows, start=1):
        key = (supervisor.org_kind, supervisor.org_code)
        if key not in units:
            units[key] = await org_name(session, *key) or supervisor.org_code
        roster.append(
            [
                number,
                enterprise.name,
                enterprise.credit_code,
                enterprise.address or "",
                enterprise.employee_count,
                supervisor.name,
                units[key],
                supervisor.position or "",
                supervisor.phone or "",
                assignment.start_date,
            ]
        )
    return township.name, roster
