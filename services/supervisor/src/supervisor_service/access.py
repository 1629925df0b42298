"""Who may see and manage which enterprises, supervisors and visits (jurisdiction scoping).

A township officer acts in their townships, a department officer in the industries their
department supervises, a supervisor on the enterprises they are assigned to, an enterprise
user on itself; city administrators, leaders and integration clients see everything.
Several roles on one token widen the scope (the conditions are OR-ed).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, false, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from shared.auth.principal import Principal, Role
from supervisor_service.assignments.models import Assignment
from supervisor_service.enterprises.models import Enterprise
from supervisor_service.reference.domain import IndustryScope
from supervisor_service.reference.service import department_scope
from supervisor_service.supervisors.models import Supervisor

TOWNSHIP_PREFIX_LENGTH = 9
# Module-level aliases: the conditions stay correlated to Enterprise/Supervisor inside queries that
# also join Assignment, and stable aliases keep SQLAlchemy's statement cache effective.
OWN_ASSIGNMENT = aliased(Assignment, name="own_assignment")
RESIDENT_ASSIGNMENT = aliased(Assignment, name="resident_assignment")
MANAGERS = (Role.CITY_ADMIN, Role.TOWNSHIP_OFFICER, Role.DEPARTMENT_OFFICER)
READERS = (*MANAGERS, Role.LEADER, Role.INTEGRATION, Role.SUPERVISOR, Role.ENTERPRISE)


def _uuid_or_none(value: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(value) if value else None
    except ValueError:
        return None


@dataclass(frozen=True)
class Scope:
    """A caller's reach, resolved once per request (the department's industries need a look-up)."""

    principal: Principal
    industries: IndustryScope | None

    @property
    def everything(self) -> bool:
        """Unlimited by jurisdiction."""
        return self.principal.sees_everything

    @property
    def supervisor_id(self) -> uuid.UUID | None:
        """The supervisor the caller is, if any."""
        if not self.principal.has_role(Role.SUPERVISOR):
            return None
        return _uuid_or_none(self.principal.supervisor_id)

    @property
    def enterprise_id(self) -> uuid.UUID | None:
        """The enterprise the caller is, if any."""
        if not self.principal.has_role(Role.ENTERPRISE):
            return None
        return _uuid_or_none(self.principal.enterprise_id)

    def _township_condition(self, column: Any) -> ColumnElement[bool]:
        prefixes = [p for p in self.principal.jurisdiction_prefixes() if p]
        if not prefixes:
            return false()
        # A township jurisdiction is an equality on the township code, so the list's
        # (township_code, name, id) index also gives the order; wider ones are prefix ranges.
        townships = [p + "000" for p in prefixes if len(p) == TOWNSHIP_PREFIX_LENGTH]
        parts = [column.in_(townships)] if townships else []
        parts += [column.startswith(p) for p in prefixes if len(p) != TOWNSHIP_PREFIX_LENGTH]
        return or_(*parts)

    def _industry_condition(self) -> ColumnElement[bool]:
        scope = self.industries
        if scope is None or scope.empty:
            return false()
        parts: list[ColumnElement[bool]] = []
        if scope.sections:
            parts.append(Enterprise.industry_section.in_(sorted(scope.sections)))
        parts.extend(Enterprise.industry_code.startswith(p) for p in sorted(scope.prefixes))
        return or_(*parts)

    def manageable_enterprises(self) -> ColumnElement[bool]:
        """Enterprises the caller may change and assign supervisors to."""
        if self.principal.has_role(Role.CITY_ADMIN):
            return true()
        parts = []
        if self.principal.has_role(Role.TOWNSHIP_OFFICER):
            parts.append(self._township_condition(Enterprise.township_code))
        if self.principal.has_role(Role.DEPARTMENT_OFFICER):
            parts.append(self._industry_condition())
        return or_(*parts) if parts else false()

    def visible_enterprises(self) -> ColumnElement[bool]:
        """Enterprises the caller may read; anything else is a 404."""
        if self.everything:
            return true()
        parts = [self.manageable_enterprises()]
        if self.supervisor_id is not None:
            parts.append(
                exists().where(
                    OWN_ASSIGNMENT.enterprise_id == Enterprise.id,
                    OWN_ASSIGNMENT.supervisor_id == self.supervisor_id,
                    OWN_ASSIGNMENT.active,
                )
            )
        if self.enterprise_id is not None:
            parts.append(Enterprise.id == self.enterprise_id)
        return or_(*parts)

    def can_manage(self, enterprise: Enterprise) -> bool:
        """Whether the caller may change this enterprise (mirrors manageable_enterprises)."""
        p = self.principal
        if p.has_role(Role.CITY_ADMIN):
            return True
        if p.has_role(Role.TOWNSHIP_OFFICER) and any(
            enterprise.township_code.startswith(x) for x in p.jurisdiction_prefixes() if x
        ):
            return True
        return bool(
            p.has_role(Role.DEPARTMENT_OFFICER)
            and self.industries is not None
            and self.industries.covers(enterprise.industry_code, enterprise.industry_section)
        )

    def can_manage_place(self, township_code: str, industry_code: str, industry_section: str) -> bool:
        """Whether the caller may register an enterprise with this township and industry."""
        probe = Enterprise(township_code=township_code, industry_code=industry_code, industry_section=industry_section)
        return self.can_manage(probe)

    def visible_supervisors(self) -> ColumnElement[bool]:
        """Supervisors the caller may read: their own organisation's, or those resident in their scope."""
        if self.everything:
            return true()
        p = self.principal
        parts: list[ColumnElement[bool]] = []
        if p.has_role(Role.TOWNSHIP_OFFICER):
            parts.append(self._township_condition(Supervisor.township_code))
        if p.has_role(Role.DEPARTMENT_OFFICER) and p.department:
            parts.append(and_(Supervisor.org_kind == "department", Supervisor.org_code == p.department))
        if p.has_role(Role.TOWNSHIP_OFFICER, Role.DEPARTMENT_OFFICER, Role.ENTERPRISE):
            resident = (
                select(RESIDENT_ASSIGNMENT.id)
                .join(Enterprise, Enterprise.id == RESIDENT_ASSIGNMENT.enterprise_id)
                .where(RESIDENT_ASSIGNMENT.supervisor_id == Supervisor.id, RESIDENT_ASSIGNMENT.active)
                .where(self.visible_enterprises())
            )
            parts.append(resident.exists())
        if self.supervisor_id is not None:
            parts.append(Supervisor.id == self.supervisor_id)
        return or_(*parts) if parts else false()

    def can_manage_supervisor(self, org_kind: str, org_code: str) -> bool:
        """Whether the caller may register or change a supervisor of this organisation."""
        p = self.principal
        if p.has_role(Role.CITY_ADMIN):
            return True
        if org_kind == "township" and p.has_role(Role.TOWNSHIP_OFFICER):
            return any(org_code.startswith(x) for x in p.jurisdiction_prefixes() if x)
        return org_kind == "department" and p.has_role(Role.DEPARTMENT_OFFICER) and p.department == org_code


async def resolve_scope(session: AsyncSession, principal: Principal) -> Scope:
    """The caller's scope; a department officer's industries come from the department reference data."""
    industries = None
    if principal.has_role(Role.DEPARTMENT_OFFICER) and not principal.sees_everything:
        industries = await department_scope(session, principal.department)
    return Scope(principal=principal, industries=industries)
