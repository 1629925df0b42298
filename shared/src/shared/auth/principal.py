"""Who is calling: subject, roles, the jurisdiction codes and the department they act for."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from enum import StrEnum


class Role(StrEnum):
    """Roles of the people and systems that use the services."""

    CITY_ADMIN = "city_admin"
    DEPARTMENT_OFFICER = "department_officer"
    TOWNSHIP_OFFICER = "township_officer"
    SUPERVISOR = "supervisor"
    ENTERPRISE = "enterprise"
    LEADER = "leader"
    INTEGRATION = "integration"


def division_prefix(code: str) -> str:
    """The prefix every subordinate division code shares (431281100000 -> 431281100)."""
    code = code.strip()
    if len(code) == 12:
        for significant in (2, 4, 6, 9):
            if code[significant:] == "0" * (12 - significant):
                return code[:significant]
        return code
    return code


@dataclass(frozen=True)
class Principal:
    """The verified caller of a request or the system actor of a worker."""

    subject: str
    roles: frozenset[str]
    jurisdictions: tuple[str, ...] = ()
    department: str | None = None
    name: str | None = None
    enterprise_id: str | None = None
    supervisor_id: str | None = None
    claims: dict[str, object] = field(default_factory=dict, compare=False, hash=False)

    def has_role(self, *roles: str) -> bool:
        """Whether the caller holds any of the roles."""
        return bool(self.roles.intersection(roles))

    @property
    def sees_everything(self) -> bool:
        """City administrators, leaders and integration clients are not limited by jurisdiction."""
        return self.has_role(Role.CITY_ADMIN, Role.LEADER, Role.INTEGRATION)

    def covers(self, division_code: str | None) -> bool:
        """Whether a division code lies inside one of the caller's jurisdictions."""
        if self.sees_everything:
            return True
        if not division_code:
            return False
        return any(division_code.startswith(division_prefix(j)) for j in self.jurisdictions)

    @property
    def identity(self) -> str:
        """A digest of everything the caller acts as: subject, roles, jurisdictions, department, enterprise,
        supervisor. The same subject acting for another township is another identity (Idempotency-Key scope)."""
        canonical = json.dumps(
            [
                self.subject,
                sorted(self.roles),
                sorted(self.jurisdictions),
                self.department,
                self.enterprise_id,
                self.supervisor_id,
            ],
            ensure_ascii=False,
        )
        return hashlib.sha256(canonical.encode()).hexdigest()

    def jurisdiction_prefixes(self) -> list[str]:
        """Prefixes to filter division codes by in SQL (empty when unrestricted)."""
        return [] if self.sees_everything else [division_prefix(j) for j in self.jurisdictions]


SYSTEM_ROLES = frozenset({Role.INTEGRATION.value})


def system_principal(service: str) -> Principal:
    """The actor a worker acts as when it applies another service's events."""
    return Principal(subject=f"system:{service}", roles=SYSTEM_ROLES, name=service)
