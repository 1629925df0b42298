"""Who may act for which unit, and what a caller may see."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy import ColumnElement

from enforcement_service.cases.rules import ProcedureRules, procedure_rules
from enforcement_service.config import EnforcementSettings
from shared.auth.dependencies import require_roles
from shared.auth.principal import Principal, Role
from shared.auth.scope import Scope
from shared.errors import Forbidden, ValidationFailed, field_error
from shared.rules import DatedRules

WRITERS = (Role.CITY_ADMIN, Role.DEPARTMENT_OFFICER, Role.TOWNSHIP_OFFICER)
READERS = (*WRITERS, Role.LEADER, Role.INTEGRATION)
COUNTY_PREFIX_LENGTH = 6


@dataclass(frozen=True)
class ActingUnit:
    """The department or township a caller acts for."""

    unit_type: str
    unit_code: str

    @property
    def is_township(self) -> bool:
        """Whether the caller acts for a township."""
        return self.unit_type == "township"


def acting_unit(principal: Principal, requested_unit_code: str | None = None) -> ActingUnit:
    """The unit a write is made for: a township officer's township, an officer's department, or the
    unit a city administrator names."""
    if principal.has_role(Role.TOWNSHIP_OFFICER) and not principal.has_role(Role.CITY_ADMIN):
        townships = [j for j in principal.jurisdictions if len(j) == 12 and j.endswith("000") and j[6:9] != "000"]
        if not townships:
            raise Forbidden("a township officer's token must name the township in its jurisdictions")
        return ActingUnit("township", townships[0])
    if principal.has_role(Role.DEPARTMENT_OFFICER) and not principal.has_role(Role.CITY_ADMIN):
        if not principal.department:
            raise Forbidden("a department officer's token must name the department")
        return ActingUnit("department", principal.department)
    if not requested_unit_code:
        raise ValidationFailed(
            "name the unit acting", errors=[field_error("unit_code", "required for a city administrator")]
        )
    is_township = len(requested_unit_code) == 12 and requested_unit_code.isdigit()
    return ActingUnit("township" if is_township else "department", requested_unit_code)


def ensure_may_delegate(principal: Principal, *, bureau_code: str, township_code: str) -> None:
    """403 unless a city administrator or a bureau officer acts for a township within the caller's jurisdiction."""
    bureau_officer = principal.has_role(Role.DEPARTMENT_OFFICER) and principal.department == bureau_code
    if not (principal.has_role(Role.CITY_ADMIN) or bureau_officer):
        raise Forbidden(
            f"only the city administration or an officer of the bureau ({bureau_code}) grants or revokes "
            "the bureau's delegations"
        )
    if not Scope(principal).admits(division=township_code):
        raise Forbidden(f"township {township_code} lies outside the caller's jurisdiction")


def acts_under_delegation(principal: Principal, *, delegated: bool) -> bool:
    """Whether a change is a township's act under its delegation (the bureau and city administration use own powers)."""
    return delegated and principal.has_role(Role.TOWNSHIP_OFFICER) and not principal.has_role(Role.CITY_ADMIN)


def county_wide(scope: Scope) -> bool:
    """Whether the caller reaches a whole county (or more), and so the records tied to no township."""
    return scope.everything or any(len(p) <= COUNTY_PREFIX_LENGTH for p in scope.prefixes)


def in_reach(scope: Scope, township: Any) -> ColumnElement[bool]:
    """Rows in the caller's townships, and the city-wide rows (no township) for a caller reaching a county."""
    return scope.where(division=township, extra=[township.is_(None)] if county_wide(scope) else [])


async def rules_of(request: Request) -> DatedRules[ProcedureRules]:
    """The dated procedure rules with this deployment's overrides (built once per application)."""
    rules: DatedRules[ProcedureRules] | None = getattr(request.app.state, "procedure_rules", None)
    if rules is None:
        rules = procedure_rules(request.app.state.settings.procedure_rule_overrides)
        request.app.state.procedure_rules = rules
    return rules


async def settings_of(request: Request) -> EnforcementSettings:
    """The service settings."""
    settings: EnforcementSettings = request.app.state.settings
    return settings


Settings = Annotated[EnforcementSettings, Depends(settings_of)]
Rules = Annotated[DatedRules[ProcedureRules], Depends(rules_of)]
Writer = Annotated[Principal, Depends(require_roles(*WRITERS))]
Reader = Annotated[Principal, Depends(require_roles(*READERS))]


def actor_name(principal: Principal) -> str:
    """The name recorded as approver or author when none is given."""
    return principal.name or principal.subject
