"""Who may see and manage which enterprises, supervisors and visits (jurisdiction scoping).

Built on the shared scoping pattern (`shared.auth.scope.Scope`): a township officer reaches their
townships, an enterprise user itself; the supervisor service adds its own reach as extra conditions:
a department officer's industries and a supervisor's assignments. City administrators, leaders and
integration clients see everything. Several roles on one token widen the scope (the conditions are OR-ed).
Managing (changing, assigning) is narrower than seeing: city administrators, and township and
department officers within their reach.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends
from sqlalchemy import ColumnElement, and_, exists, false, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from shared.auth.dependencies import require_roles
from shared.auth.principal import Principal, Role
from shared.auth.scope import Scope as SharedScope
from shared.http.dependencies import ReadSession
from supervisor_service.assignments.models import Assignment
from supervisor_service.enterprises.models import Enterprise
from supervisor_service.reference.domain import IndustryScope
from supervisor_service.reference.service import department_scope
from supervisor_service.supervisors.models import Supervisor

# Module-level aliases: the conditions stay correlated to Enterprise/Supervisor inside queries that
# also join Assignment, and stable aliases keep SQLAlchemy's statement cache effective.
OWN_ASSIGNMENT = aliased(Assignment, name="own_assignment")
RESIDENT_ASSIGNMENT = aliased(Assignment, name="resident_assignment")
MANAGERS = (Role.CITY_ADMIN, Role.TOWNSHIP_OFFICER, Role.DEPARTMENT_OFFICER)
READERS = (*MANAGERS, Role.LEADER, Role.INTEGRATION, Role.SUPERVISOR, Role.ENTERPRISE)
# A township's roster is for those who act in townships; an enterprise user reaches no township.
TOWNSHIP_READERS = (*MANAGERS, Role.LEADER, Role.INTEGRATION, Role.SUPERVISOR)


@dataclass(frozen=True)
class Scope(SharedScope):
    """A caller's reach, resolved once per request (the department's industries need a look-up).

    Only a township officer's jurisdictions widen it; enterprises and supervisors carry township codes.
    """

    jurisdiction_roles: Sequence[str] = (Role.TOWNSHIP_OFFICER,)
    industries: IndustryScope | None = None

    def _industry_condition(self) -> ColumnElement[bool]:
        scope = self.industries
        if not self.principal.has_role(Role.DEPARTMENT_OFFICER) or scope is None or scope.empty:
            return false()
        parts: list[ColumnElement[bool]] = []
        if scope.sections:
            parts.append(Enterprise.industry_section.in_(sorted(scope.sections)))
        parts.extend(Enterprise.industry_code.startswith(p) for p in sorted(scope.prefixes))
        return or_(*parts)

    def _in_townships(self, township_code: str | None) -> bool:
        return bool(township_code) and any(str(township_code).startswith(p) for p in self.prefixes)

    def manageable_enterprises(self) -> ColumnElement[bool]:
        """Enterprises the caller may change and assign supervisors to."""
        if self.principal.has_role(Role.CITY_ADMIN):
            return true()
        return or_(self.division_condition(Enterprise.township_code, township_level=True), self._industry_condition())

    def visible_enterprises(self) -> ColumnElement[bool]:
        """Enterprises the caller may read; anything else is a 404."""
        extra = [self._industry_condition()]
        if self.supervisor_id is not None:
            extra.append(
                exists().where(
                    OWN_ASSIGNMENT.enterprise_id == Enterprise.id,
                    OWN_ASSIGNMENT.supervisor_id == self.supervisor_id,
                    OWN_ASSIGNMENT.active,
                )
            )
        return self.where(division=Enterprise.township_code, enterprise=Enterprise.id, extra=extra, township_level=True)

    def can_manage(self, enterprise: Enterprise) -> bool:
        """Whether the caller may change this enterprise (mirrors manageable_enterprises)."""
        if self.principal.has_role(Role.CITY_ADMIN) or self._in_townships(enterprise.township_code):
            return True
        return bool(
            self.principal.has_role(Role.DEPARTMENT_OFFICER)
            and self.industries is not None
            and self.industries.covers(enterprise.industry_code, enterprise.industry_section)
        )

    def can_manage_place(self, township_code: str, industry_code: str, industry_section: str) -> bool:
        """Whether the caller may register an enterprise with this township and industry."""
        probe = Enterprise(township_code=township_code, industry_code=industry_code, industry_section=industry_section)
        return self.can_manage(probe)

    def visible_supervisors(self) -> ColumnElement[bool]:
        """Supervisors the caller may read: their own organisation's, or those resident in their scope."""
        p = self.principal
        extra: list[ColumnElement[bool]] = []
        if p.has_role(Role.DEPARTMENT_OFFICER) and p.department:
            extra.append(and_(Supervisor.org_kind == "department", Supervisor.org_code == p.department))
        if p.has_role(Role.TOWNSHIP_OFFICER, Role.DEPARTMENT_OFFICER, Role.ENTERPRISE):
            resident = (
                select(RESIDENT_ASSIGNMENT.id)
                .join(Enterprise, Enterprise.id == RESIDENT_ASSIGNMENT.enterprise_id)
                .where(RESIDENT_ASSIGNMENT.supervisor_id == Supervisor.id, RESIDENT_ASSIGNMENT.active)
                .where(self.visible_enterprises())
            )
            extra.append(resident.exists())
        if self.supervisor_id is not None:
            extra.append(Supervisor.id == self.supervisor_id)
        return self.where(division=Supervisor.township_code, extra=extra, township_level=True)

    def can_manage_supervisor(self, org_kind: str, org_code: str) -> bool:
        """Whether the caller may register or change a supervisor of this organisation."""
        p = self.principal
        if p.has_role(Role.CITY_ADMIN):
            return True
        if org_kind == "township":
            return self._in_townships(org_code)
        return org_kind == "department" and p.has_role(Role.DEPARTMENT_OFFICER) and p.department == org_code


async def resolve_scope(session: AsyncSession, principal: Principal) -> Scope:
    """The caller's scope; a department officer's industries come from the department reference data."""
    industries = None
    if principal.has_role(Role.DEPARTMENT_OFFICER) and not principal.sees_everything:
        industries = await department_scope(session, principal.department)
    return Scope(principal=principal, industries=industries)


Reader = Annotated[Principal, Depends(require_roles(*READERS))]
Manager = Annotated[Principal, Depends(require_roles(*MANAGERS))]


async def reader_scope(session: ReadSession, principal: Reader) -> Scope:
    """The reach of a caller allowed to read the registry (403 for any other role)."""
    return await resolve_scope(session, principal)


ReaderScope = Annotated[Scope, Depends(reader_scope)]
