"""What the hazard worker runs."""

from __future__ import annotations

from hazard_service.config import HazardSettings
from hazard_service.db import DATABASE
from hazard_service.handlers import enterprises, findings
from hazard_service.hazards import deadlines
from hazard_service.standards import service as standards
from hazard_service.upstream import service as upstream
from shared import clock
from shared.auth.principal import system_principal
from shared.contracts.topics import ENFORCEMENT_EVENTS, SUPERVISOR_EVENTS
from shared.db import UnitOfWork
from shared.messaging.consumer import ConsumerSpec
from shared.worker import PeriodicJob, Worker

ENTERPRISE_PROJECTION = ConsumerSpec(
    group="hazard.enterprise-projection", topics=[SUPERVISOR_EVENTS], handlers=enterprises.HANDLERS
)
# A group of its own, so a deployment that already ran the enterprise projection reads the assignments from the start.
ASSIGNMENT_PROJECTION = ConsumerSpec(
    group="hazard.assignment-projection", topics=[SUPERVISOR_EVENTS], handlers=enterprises.ASSIGNMENT_HANDLERS
)


def finding_intake(settings: HazardSettings) -> ConsumerSpec:
    """Findings of supervisor visits and enforcement inspections become hazards."""
    return ConsumerSpec(
        group="hazard.finding-intake",
        topics=[SUPERVISOR_EVENTS, ENFORCEMENT_EVENTS],
        handlers=findings.handlers(settings),
    )


def overdue_job(settings: HazardSettings) -> PeriodicJob:
    """Marks missed rectification and review deadlines (one replica at a time, idempotent in SQL)."""

    actor = system_principal(settings.service_name)

    async def run(uow: UnitOfWork) -> None:
        await deadlines.mark_overdue(uow=uow, actor=actor, settings=settings, today=clock.today())

    return PeriodicJob("hazard-overdue", settings.overdue_interval_s, run)


def standards_job() -> PeriodicJob:
    """Loads the bundled judgment standards (idempotent): at the worker's start, so major hazards can be judged on a
    fresh stack without anyone importing them; then hourly, which puts them back into a database restored without
    them."""

    async def run(uow: UnitOfWork) -> None:
        await standards.add_standards(uow.session, standards.bundled_document())

    return PeriodicJob("hazard-standards", 3600, run)


def upstream_jobs(settings: HazardSettings) -> list[PeriodicJob]:
    """Delivers the upstream outbox to the configured targets and reads their receipts, through one client per
    target kept for the process's life (none without targets)."""
    delivery = upstream.Delivery(settings)
    if not delivery.targets:
        return []

    async def deliver(uow: UnitOfWork) -> None:
        await delivery.deliver(uow)

    async def reconcile(uow: UnitOfWork) -> None:
        await delivery.reconcile(uow)

    return [
        PeriodicJob("hazard-upstream", settings.upstream_interval_s, deliver),
        PeriodicJob("hazard-upstream-receipts", settings.upstream_receipts_interval_s, reconcile),
    ]


def build_worker(settings: HazardSettings) -> Worker:
    """The hazard worker: relay, enterprise and assignment read models, finding intake, standards, deadlines,
    upward report."""
    return Worker(
        settings=settings,
        database=DATABASE,
        consumers=[ENTERPRISE_PROJECTION, ASSIGNMENT_PROJECTION, finding_intake(settings)],
        jobs=[standards_job(), overdue_job(settings), *upstream_jobs(settings)],
    )
