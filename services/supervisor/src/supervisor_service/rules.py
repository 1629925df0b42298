"""Thresholds of the resident-supervisor programme, dated so a change of rule keeps history.

Each entry holds from its `effective_from` until the next one; settings may override a value.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date


@dataclass(frozen=True)
class SupervisionRules:
    """Thresholds in force from a date."""

    effective_from: date
    coverage_min_employees: int
    max_enterprises_per_supervisor: int
    inactive_after_days: int


# 洪江市 2023 programme: every enterprise with 3 or more employees gets a resident supervisor.
RULES: tuple[SupervisionRules, ...] = (
    SupervisionRules(
        effective_from=date(2023, 1, 1),
        coverage_min_employees=3,
        max_enterprises_per_supervisor=15,
        inactive_after_days=30,
    ),
)


def rules_on(
    day: date,
    *,
    coverage_min_employees: int | None = None,
    max_enterprises_per_supervisor: int | None = None,
    inactive_after_days: int | None = None,
) -> SupervisionRules:
    """The rules in force on `day`, with any configured overrides applied."""
    in_force = [r for r in RULES if r.effective_from <= day] or [RULES[0]]
    current = max(in_force, key=lambda r: r.effective_from)
    return replace(
        current,
        coverage_min_employees=coverage_min_employees or current.coverage_min_employees,
        max_enterprises_per_supervisor=max_enterprises_per_supervisor or current.max_enterprises_per_supervisor,
        inactive_after_days=inactive_after_days or current.inactive_after_days,
    )
