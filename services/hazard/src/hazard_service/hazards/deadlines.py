"""Missed deadlines: the scheduler marks each hazard whose rectification or review deadline passed."""

from __future__ import annotations

from datetime import date

from hazard_service.config import HazardSettings
from hazard_service.hazards import domain
from hazard_service.hazards import repository as repo
from hazard_service.hazards.changes import Change, finish, load
from hazard_service.hazards.models import Hazard
from shared.auth.principal import Principal
from shared.contracts import hazard as events
from shared.db import UnitOfWork


async def mark_overdue(
    *, uow: UnitOfWork, actor: Principal, settings: HazardSettings, today: date, batch: int = 500
) -> int:
    """Mark hazards whose rectification or review deadline passed; one event per hazard and deadline.

    Runs inside the scheduler's transaction; the overdue marks' unique key keeps it exactly-once
    even if two schedulers ever overlapped.
    """
    marked = 0
    for hazard_id, kind, deadline in await repo.claim_missed_deadlines(uow.session, today, batch):
        hazard = await load(uow, actor, hazard_id)
        hazard.overdue = True
        hazard.was_overdue = True
        fields = {"deadline_kind": kind, "deadline": deadline.isoformat(), "detected_on": today.isoformat()}
        details = {"deadline_kind": kind, "deadline": deadline.isoformat()}
        await finish(
            uow, actor, settings, hazard, Change("mark_overdue", events.HazardOverdueV1, fields, details=details)
        )
        marked += 1
    return marked


async def settle(uow: UnitOfWork, hazard: Hazard, kind: str, deadline: date | None, done_on: date) -> None:
    """A deadline met by `done_on` was never missed, whatever the wall clock said when the step was entered.

    History is entered step by step: the scheduler may mark a hazard overdue between its start of
    rectification and its rectification dated on time; that mark is dropped and `was_overdue` recomputed.
    """
    if deadline is None or domain.is_overdue(deadline, done_on):
        return
    hazard.was_overdue = await repo.drop_overdue_mark(uow.session, hazard.id, kind, deadline)
