"""Apply events to the event log and the counters."""

from __future__ import annotations

from datetime import date

from sqlalchemy.dialects.postgresql import insert

from reporting_service.statistics.models import DailyCounter, EventLogEntry
from shared.contracts.enforcement import InspectionRecordedV1
from shared.contracts.envelope import EventEnvelope, EventPayload
from shared.contracts.hazard import HazardReportedV1
from shared.db import UnitOfWork


async def _log(uow: UnitOfWork, envelope: EventEnvelope) -> None:
    await uow.session.execute(
        insert(EventLogEntry)
        .values(
            event_id=envelope.event_id,
            event_type=envelope.event_type,
            aggregate_type=envelope.aggregate_type,
            aggregate_id=envelope.aggregate_id,
            aggregate_version=envelope.aggregate_version,
            occurred_at=envelope.occurred_at,
            envelope=envelope.model_dump(mode="json"),
        )
        .on_conflict_do_nothing()
    )


async def _count(uow: UnitOfWork, indicator: str, day: date, township_code: str, amount: int = 1) -> None:
    stmt = insert(DailyCounter).values(indicator=indicator, day=day, township_code=township_code, value=amount)
    await uow.session.execute(
        stmt.on_conflict_do_update(
            index_elements=[DailyCounter.indicator, DailyCounter.day, DailyCounter.township_code],
            set_={"value": DailyCounter.value + stmt.excluded.value},
        )
    )


async def apply_hazard_reported(uow: UnitOfWork, envelope: EventEnvelope, payload: EventPayload) -> None:
    """hazard.reported: one more hazard found that day in that township."""
    assert isinstance(payload, HazardReportedV1)
    await _log(uow, envelope)
    await _count(uow, f"hazards_found.{payload.grade}", date.fromisoformat(payload.reported_on), payload.township_code)


async def apply_inspection_recorded(uow: UnitOfWork, envelope: EventEnvelope, payload: EventPayload) -> None:
    """inspection.recorded: inspections, persons deployed and enterprise-checks."""
    assert isinstance(payload, InspectionRecordedV1)
    await _log(uow, envelope)
    day, township = date.fromisoformat(payload.inspected_on), payload.township_code or ""
    await _count(uow, "inspections", day, township)
    await _count(uow, "persons_deployed", day, township, payload.persons_deployed)
    await _count(uow, "enterprise_checks", day, township, len(payload.enterprise_ids))


HANDLERS = {
    "hazard.reported": apply_hazard_reported,
    "inspection.recorded": apply_inspection_recorded,
}
