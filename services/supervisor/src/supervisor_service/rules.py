"""The resident-supervisor programme's rules as this deployment applies them.

The dated thresholds are declared once, in `shared.reference_data.supervision` (the reporting service
counts coverage by the same declaration); a deployment changes a value by setting, never by editing code.
"""

from __future__ import annotations

from shared.reference_data.supervision import SUPERVISION_RULES, SupervisionRules
from shared.rules import DatedRules
from supervisor_service.config import SupervisorSettings

__all__ = ["SupervisionRules", "supervision_rules"]


def supervision_rules(settings: SupervisorSettings) -> DatedRules[SupervisionRules]:
    """The programme's dated rules with the configured overrides (an unset setting keeps the rule's value)."""
    return SUPERVISION_RULES.with_overrides(
        {
            "coverage_min_employees": settings.coverage_min_employees,
            "max_enterprises_per_supervisor": settings.max_enterprises_per_supervisor,
            "inactive_after_days": settings.inactive_after_days,
        }
    )
