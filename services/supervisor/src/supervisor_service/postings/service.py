"""Use cases of public posting: an enterprise's notice and a township's roster."""

from __future__ import annotations

import uuid

from sqlalchemy import and_, select

from shared.auth.principal import Role
from shared.db import UnitOfWork
from supervisor_service.access import resolve_scope
from supervisor_service.assignments.models import Assignment
from supervisor_service.enterprises import repository as enterprises
from supervisor_service.enterprises.domain import EnterpriseStatus
from supervisor_service.enterprises.exceptions import EnterpriseNotFound
from supervisor_service.enterprises.models import Enterprise
from supervisor_service.postings.domain import NoticeFacts
from supervisor_service.postings.exceptions import NoResidentSupervisor, TownshipNotFound
from supervisor_service.reference import repository as reference
from supervisor_service.supervisors.models import Supervisor
from supervisor_service.supervisors.service import org_name


async def notice_facts(*, uow: UnitOfWork, enterprise_id: uuid.UUID, complaint_hotline: str) -> NoticeFacts:
    """The facts of an enterprise's notice; 409 when it has no active resident supervisor."""
    async with uow:
        assert uow.actor is not None
        scope = await resolve_scope(uow.session, uow.actor)
        enterprise = await enterprises.get(uow.session, enterprise_id, visible=scope.visible_enterprises())
        if enterprise is None:
            raise EnterpriseNotFound(f"enterprise {enterprise_id} not found")
        row = (
            await uow.session.execute(
                select(Assignment, Supervisor)
                .join(Supervisor, Supervisor.id == Assignment.supervisor_id)
                .where(Assignment.enterprise_id == enterprise.id, Assignment.active)
            )
        ).first()
        if row is None:
            raise NoResidentSupervisor(f"{enterprise.name} has no resident supervisor to post")
        assignment, supervisor = row
        township = await reference.jurisdiction(uow.session, enterprise.township_code)
        unit = await org_name(uow.session, supervisor.org_kind, supervisor.org_code)
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


async def township_roster(*, uow: UnitOfWork, township_code: str) -> tuple[str, list[list[object]]]:
    """The township's name and one roster row per enterprise with an active resident supervisor."""
    async with uow:
        assert uow.actor is not None
        scope = await resolve_scope(uow.session, uow.actor)
        township = await reference.jurisdiction(uow.session, township_code)
        reaches = scope.everything or uow.actor.has_role(Role.DEPARTMENT_OFFICER) or uow.actor.covers(township_code)
        if township is None or township.level != "township" or not reaches:
            raise TownshipNotFound(f"township {township_code} not found")
        rows = (
            await uow.session.execute(
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
                units[key] = await org_name(uow.session, *key) or supervisor.org_code
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
                    assignment.start_date.isoformat(),
                ]
            )
        return township.name, roster
