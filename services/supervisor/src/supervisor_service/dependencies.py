"""Request dependencies of the supervisor API: its settings and the rules in force today."""

from __future__ import annotations

from datetime import date

from fastapi import Request

from shared import clock
from supervisor_service.config import SupervisorSettings
from supervisor_service.rules import SupervisionRules, rules_on


async def service_settings(request: Request) -> SupervisorSettings:
    """The settings the app was built with."""
    settings = request.app.state.settings
    assert isinstance(settings, SupervisorSettings)
    return settings


def rules_for(settings: SupervisorSettings, day: date | None = None) -> SupervisionRules:
    """The programme rules in force on `day` (today by default), with configured overrides."""
    return rules_on(
        day or clock.today(),
        coverage_min_employees=settings.coverage_min_employees,
        max_enterprises_per_supervisor=settings.max_enterprises_per_supervisor,
        inactive_after_days=settings.inactive_after_days,
    )


async def current_rules(request: Request) -> SupervisionRules:
    """The programme rules in force today."""
    return rules_for(await service_settings(request))
