"""Thresholds of the resident-supervisor programme (派驻监督员), dated so a change of rule keeps history.

The supervisor service applies them to assignments and the reporting service to its coverage figures:
both read this one declaration.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from shared.rules import DatedRules


@dataclass(frozen=True)
class SupervisionRules:
    """Thresholds in force from a date."""

    effective_from: date
    coverage_min_employees: int
    max_enterprises_per_supervisor: int
    inactive_after_days: int


# 洪江市 2023 programme: every enterprise with 3 or more employees gets a resident supervisor.
SUPERVISION_RULES: DatedRules[SupervisionRules] = DatedRules(
    [
        SupervisionRules(
            effective_from=date(2023, 1, 1),
            coverage_min_employees=3,
            max_enterprises_per_supervisor=15,
            inactive_after_days=30,
        ),
    ]
)
