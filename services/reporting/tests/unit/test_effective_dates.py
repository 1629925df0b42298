"""Stock figures count enterprises and supervisors from the day they took effect, not the day their event arrived."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from reporting_service.projections.domain.records import EventRecord
from reporting_service.projections.domain.state import AggregateState
from reporting_service.projections.domain.supervision import (
    enterprise_contribution,
    reduce_enterprise,
    reduce_supervisor,
    supervisor_contribution,
)

# The event arrives years after the day it records (a bureau importing its history).
ARRIVED = datetime(2026, 12, 3, 2, tzinfo=UTC)


def _event(kind: str, version: int, **data: Any) -> EventRecord:
    return EventRecord(
        event_id=f"{kind}-{version}",
        event_type=f"{kind}.registered" if version == 1 else f"{kind}.updated",
        event_version=1,
        aggregate_type=kind,
        aggregate_id="a1",
        aggregate_version=version,
        occurred_at=ARRIVED,
        data=data,
        topic="supervisor.events",
    )


def _days(contribution: dict[Any, int], indicator: str) -> list[date]:
    return sorted(key[0] for key, value in contribution.items() if key[-1] == indicator and value > 0)


def _enterprise(**extra: Any) -> AggregateState:
    state = AggregateState("enterprise", "a1")
    data = {"enterprise_id": "a1", "township_code": "431281101000", "industry_code": "33"}
    reduce_enterprise(state, _event("enterprise", 1, **data, status="operating", employee_count=5, **extra))
    return state


def test_an_enterprise_counts_from_its_registration_day() -> None:
    contribution = enterprise_contribution(_enterprise(registered_on="2023-02-01"))
    assert _days(contribution, "enterprise.registered") == [date(2023, 2, 1)]
    assert _days(contribution, "enterprise.qualifying_3plus") == [date(2023, 2, 1)]


def test_an_enterprise_without_a_registration_day_counts_from_its_event() -> None:
    assert _days(enterprise_contribution(_enterprise()), "enterprise.registered") == [date(2026, 12, 3)]


def test_a_supervisor_counts_from_the_appointment_day_and_a_correction_moves_it() -> None:
    state = AggregateState("supervisor", "a1")
    base = {"supervisor_id": "a1", "org_kind": "township", "township_code": "431281101000", "active": True}
    reduce_supervisor(state, _event("supervisor", 1, **base, appointed_on="2023-03-01"))
    assert _days(supervisor_contribution(state), "supervisor.active") == [date(2023, 3, 1)]
    reduce_supervisor(state, _event("supervisor", 2, **base, appointed_on="2023-01-15"))
    assert _days(supervisor_contribution(state), "supervisor.active") == [date(2023, 1, 15)]
