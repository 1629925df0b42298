"""Who may see what: one scoping pattern, applied in SQL to a list and in Python to a loaded record.

A record is in a caller's scope when any of the caller's roles reaches it (the conditions are OR-ed):
- city administrators, leaders and integration clients reach everything;
- holders of a jurisdiction-bound role reach records whose division code lies in one of their
  jurisdictions (a township's code is a prefix of its villages', a county's of its townships');
- an enterprise user reaches its own enterprise's records;
- a service adds its own reach (a department's industries, a supervisor's assignments) as extra
  conditions, computed by the service and passed in.
Anything outside the scope is a 404 to the caller: its existence is not disclosed.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, false, or_, true

from shared.auth.principal import Principal, Role, division_prefix
from shared.errors import NotFound

EVERY_JURISDICTION_ROLE: tuple[str, ...] = tuple(r.value for r in Role if r is not Role.ENTERPRISE)
TOWNSHIP_PREFIX_LENGTH = 9


def _uuid_or_none(value: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(value) if value else None
    except ValueError:
        return None


@dataclass(frozen=True)
class Scope:
    """A caller's reach. `jurisdiction_roles` are the roles whose jurisdictions widen it."""

    principal: Principal
    jurisdiction_roles: Sequence[str] = EVERY_JURISDICTION_ROLE

    @property
    def everything(self) -> bool:
        """Unlimited by jurisdiction."""
        return self.principal.sees_everything

    @property
    def by_jurisdiction(self) -> bool:
        """Whether the caller's jurisdictions widen the scope (a jurisdiction-bound role is held)."""
        return self.principal.has_role(*self.jurisdiction_roles)

    @property
    def prefixes(self) -> list[str]:
        """Division-code prefixes the caller reaches by jurisdiction (empty when it reaches none that way)."""
        if not self.by_jurisdiction:
            return []
        return [p for p in (division_prefix(j) for j in self.principal.jurisdictions) if p]

    @property
    def enterprise_id(self) -> uuid.UUID | None:
        """The enterprise the caller is, if it acts as one."""
        if not self.principal.has_role(Role.ENTERPRISE):
            return None
        return _uuid_or_none(self.principal.enterprise_id)

    @property
    def supervisor_id(self) -> uuid.UUID | None:
        """The resident supervisor the caller is, if it acts as one."""
        if not self.principal.has_role(Role.SUPERVISOR):
            return None
        return _uuid_or_none(self.principal.supervisor_id)

    def division_condition(self, column: Any, *, township_level: bool = False) -> ColumnElement[bool]:
        """Rows whose division code lies in the caller's jurisdictions.

        With `township_level` the column holds township codes (never a village's), so a township
        jurisdiction is an equality, which lets an index on the column also give a list its order.
        """
        prefixes = self.prefixes
        if not prefixes:
            return false()
        if township_level:
            townships = [p + "000" for p in prefixes if len(p) == TOWNSHIP_PREFIX_LENGTH]
            parts = [column.in_(townships)] if townships else []
            parts += [column.startswith(p, autoescape=True) for p in prefixes if len(p) != TOWNSHIP_PREFIX_LENGTH]
            return or_(*parts)
        return or_(*(column.startswith(p, autoescape=True) for p in prefixes))

    def where(
        self,
        *,
        division: Any = None,
        enterprise: Any = None,
        extra: Iterable[ColumnElement[bool]] = (),
        township_level: bool = False,
    ) -> ColumnElement[bool]:
        """The SQL condition for rows in scope, given the columns that carry a row's division and enterprise."""
        if self.everything:
            return true()
        parts: list[ColumnElement[bool]] = []
        if division is not None and self.prefixes:
            parts.append(self.division_condition(division, township_level=township_level))
        if enterprise is not None and self.enterprise_id is not None:
            parts.append(enterprise == self.enterprise_id)
        parts.extend(extra)
        return or_(*parts) if parts else false()

    def admits(
        self, *, division: str | None = None, enterprise: uuid.UUID | str | None = None, extra: bool = False
    ) -> bool:
        """The Python mirror of `where` for a loaded record."""
        if self.everything or extra:
            return True
        if division and any(division.startswith(p) for p in self.prefixes):
            return True
        own = self.enterprise_id
        return own is not None and enterprise is not None and str(enterprise) == str(own)

    def ensure_visible(
        self,
        what: str,
        *,
        division: str | None = None,
        enterprise: uuid.UUID | str | None = None,
        extra: bool = False,
    ) -> None:
        """404 for a record outside the scope."""
        if not self.admits(division=division, enterprise=enterprise, extra=extra):
            raise NotFound(f"{what} not found")
