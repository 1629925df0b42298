"""Apply the hazard service's events: an overdue major hazard opens a case lead."""

from __future__ import annotations

from enforcement_service.leads.service import open_from_overdue_hazard
from shared.contracts.envelope import EventEnvelope, EventPayload
from shared.contracts.hazard import HazardOverdueV1
from shared.db import UnitOfWork


async def apply_hazard_overdue(uow: UnitOfWork, envelope: EventEnvelope, payload: EventPayload) -> None:
    """hazard.overdue: open a lead for a major hazard (once per hazard and deadline)."""
    assert isinstance(payload, HazardOverdueV1)
    await open_from_overdue_hazard(uow, payload)


HANDLERS = {"hazard.overdue": apply_hazard_overdue}
