"""Missed deadlines: the scheduler marks each hazard whose rectification or review deadline passed."""

from __future__ import annotations

from datetime import date

from hazard_service.config import HazardSettings
from hazard_service.hazards import repository as repo
from hazard_service.hazards.changes import Change, finish, load
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
