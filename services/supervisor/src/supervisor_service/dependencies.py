"""Request dependencies of the supervisor API: its settings and the rules in force today."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from shared import clock
from supervisor_service.config import SupervisorSettings
from supervisor_service.rules import SupervisionRules, supervision_rules


async def service_settings(request: Request) -> SupervisorSettings:
    """The settings the app was built with."""
    settings = request.app.state.settings
    assert isinstance(settings, SupervisorSettings)
    return settings


async def current_rules(request: Request) -> SupervisionRules:
    """The programme rules in force today, with the configured overrides."""
    return supervision_rules(await service_settings(request)).on(clock.today())


Settings = Annotated[SupervisorSettings, Depends(service_settings)]
CurrentRules = Annotated[SupervisionRules, Depends(current_rules)]
