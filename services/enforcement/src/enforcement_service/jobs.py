"""Scheduled jobs of the enforcement worker."""

from __future__ import annotations

import logging

from enforcement_service.cases.clocks import emit_clock_warnings
from enforcement_service.cases.rules import procedure_rules
from enforcement_service.config import EnforcementSettings
from shared import clock
from shared.db import UnitOfWork
from shared.worker import PeriodicJob

log = logging.getLogger(__name__)


def clock_warning_job(settings: EnforcementSettings) -> PeriodicJob:
    """Emit case.clock_warning for cases nearing or past a legal limit (each warning once)."""
    rules = procedure_rules(settings.procedure_rule_overrides)

    async def run(uow: UnitOfWork) -> None:
        emitted = await emit_clock_warnings(uow=uow, rules=rules, today=clock.today())
        if emitted:
            log.info("case clock warnings emitted", extra={"count": emitted})

    return PeriodicJob("case-clock-warnings", settings.clock_job_interval_s, run)
