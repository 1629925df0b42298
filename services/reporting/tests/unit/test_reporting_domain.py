"""Pure rules of the reporting service: order-independent projection, periods, rounding, ranking."""

from __future__ import annotations

import itertools
import uuid
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest

from reporting_service.projections.domain.counters import CounterRows
from reporting_service.projections.domain.dispatch import check_projectable, make_rules
from reporting_service.projections.domain.facts import difference
from reporting_service.projections.domain.hazards import hazard_contribution, reduce_hazard
from reporting_service.projections.domain.records import EventRecord, PoisonEvent
from reporting_service.projections.domain.state import AggregateState
from reporting_service.projections.domain.supervision import coverage_contribution, reduce_coverage
from reporting_service.reports.domain import default_weights, parse_weights, rank_units
from reporting_service.rules import supervision_rules
from reporting_service.statistics.domain import PeriodKind, figures, rate, resolve_period, wan_yuan
from reporting_service.statistics.repository import month_split
from reporting_service.statistics.schemas import FiltersRead
from reporting_service.statistics.service import build_filters
from shared.auth.principal import Principal, Role
from shared.auth.scope import Scope
from shared.errors import NotFound
from shared.reference_data.supervision import SupervisionRules
from shared.rules import DatedRules


def _hazard_event(event_type: str, version: int, status: str, **data: Any) -> EventRecord:
    base = {
        "hazard_id": "h1",
        "enterprise_id": "e",
        "township_code": "431281101203",
        "industry_code": "331",
        "department_code": "yjj",
        "grade": "general",
        "source": "self_report",
        "campaign_codes": ["c2", "c1"],
        "status": status,
        "reported_on": "2023-03-01",
    }
    return EventRecord(
        event_id=str(uuid.uuid4()),
        event_type=event_type,
        event_version=1,
        aggregate_type="hazard",
        aggregate_id="h1",
        aggregate_version=version,
        occurred_at=datetime(2023, 3, 1, tzinfo=UTC),
        data={**base, **data},
        topic="hazard.events",
    )


LIFE = [
    _hazard_event("hazard.reported", 1, "reported", description="d", funds_fen=100),
    _hazard_event("hazard.rectified", 2, "rectified", rectified_on="2023-03-05"),
    _hazard_event("hazard.rectification_rejected", 3, "rectifying", stage="verification", reason="r", deadline="x"),
    _hazard_event("hazard.rectified", 4, "rectified", rectified_on="2023-03-09", funds_spent_fen=700),
    _hazard_event("hazard.verified", 5, "verified", verified_on="2023-03-10"),
]


def _replay(events: list[EventRecord]) -> tuple[str, dict[Any, int]]:
    state = AggregateState("hazard", "h1")
    total: dict[Any, int] = {}
    for event in events:
        before = hazard_contribution(state)
        reduce_hazard(state, event)
        state.version = max(state.version, event.aggregate_version)
        for key, value in difference(hazard_contribution(state), before).items():
            total[key] = total.get(key, 0) + value
    return state.to_json(), {k: v for k, v in total.items() if v}


def test_every_delivery_order_and_duplicates_give_the_same_state_and_counts() -> None:
    expected = _replay(LIFE)
    for order in itertools.permutations(LIFE):
        assert _replay([*order, order[0], order[2]]) == expected


def test_a_hazard_rectified_rejected_and_rectified_again_counts_once() -> None:
    _, counts = _replay(LIFE)
    township, industry, campaigns = "431281101000", "33", ("c1", "c2")
    assert counts[(date(2023, 3, 1), township, "yjj", industry, campaigns, "hazard.found.general.self_report")] == 1
    assert counts[(date(2023, 3, 1), township, "yjj", industry, campaigns, "hazard.rectified.general.self_report")] == 1
    assert counts[(date(2023, 3, 9), township, "yjj", industry, campaigns, "hazard.rectified_flow.general")] == 1
    assert counts[(date(2023, 3, 1), township, "yjj", industry, campaigns, "hazard.funds_fen.general")] == 700
    assert sum(1 for k in counts if k[5].startswith("hazard.rectified_flow")) == 1


OVERDUE_SEEN_TODAY = _hazard_event(
    "hazard.overdue",
    3,
    "rectifying",
    deadline_kind="rectification",
    deadline="2023-03-20",
    detected_on="2026-12-03",
)


def _overdue_days(events: list[EventRecord]) -> list[date]:
    _, counts = _replay(events)
    return [key[0] for key in counts if key[5].startswith("hazard.overdue")]


def test_overdue_is_dated_by_the_missed_deadline_not_by_its_detection() -> None:
    started = _hazard_event("hazard.rectification_started", 2, "rectifying", deadline="2023-03-20")
    late = _hazard_event("hazard.rectified", 4, "rectified", rectified_on="2023-04-02")
    assert _overdue_days([LIFE[0], started, OVERDUE_SEEN_TODAY]) == [date(2023, 3, 20)]
    assert _overdue_days([LIFE[0], started, OVERDUE_SEEN_TODAY, late]) == [date(2023, 3, 20)]


def test_a_hazard_rectified_by_its_deadline_is_not_overdue_whatever_the_wall_clock() -> None:
    started = _hazard_event("hazard.rectification_started", 2, "rectifying", deadline="2023-03-20")
    on_time = _hazard_event("hazard.rectified", 4, "rectified", rectified_on="2023-03-20")
    closed = _hazard_event("hazard.closed", 5, "closed", closed_on="2023-03-23")
    for order in itertools.permutations([started, OVERDUE_SEEN_TODAY, on_time, closed]):
        assert _overdue_days([LIFE[0], *order]) == []


def test_a_withdrawn_hazard_counts_nowhere() -> None:
    _, counts = _replay([*LIFE[:1], _hazard_event("hazard.withdrawn", 2, "withdrawn", reason="误报")])
    assert counts == {}


def test_malformed_events_are_poison() -> None:
    stateful, one_shot = make_rules()
    bad = _hazard_event("hazard.reported", 1, "reported", description="d")
    bad = EventRecord(**{**bad.__dict__, "data": {**bad.data, "township_code": None}})
    with pytest.raises(PoisonEvent):
        check_projectable(bad, stateful, one_shot)


def _coverage(assignments: list[tuple[str, str, str | None]], employees: int = 5) -> AggregateState:
    state = AggregateState("coverage", "e1")
    for version, (assignment, start, end) in enumerate(assignments, start=1):
        reduce_coverage(
            state,
            EventRecord(
                event_id=f"e{version}",
                event_type="assignment.started",
                event_version=1,
                aggregate_type="assignment",
                aggregate_id=assignment,
                aggregate_version=1,
                occurred_at=datetime(2023, 1, version, tzinfo=UTC),
                topic="supervisor.events",
                data={
                    "assignment_id": assignment,
                    "enterprise_id": "e1",
                    "start_date": start,
                    "end_date": end,
                    "township_code": "431281101000",
                    "industry_code": "33",
                    "employee_count": employees,
                },
            ),
        )
    return state


def test_coverage_counts_the_union_of_assignment_intervals() -> None:
    state = _coverage(
        [("a1", "2023-01-01", "2023-02-01"), ("a2", "2023-02-01", None), ("a3", "2023-01-15", "2023-01-20")]
    )
    counts = coverage_contribution(state)
    assert {k[0]: v for k, v in counts.items() if k[5] == "coverage.enterprises"} == {date(2023, 1, 1): 1}


def test_the_coverage_threshold_is_the_supervision_programmes_unless_the_deployment_overrides_it() -> None:
    state = _coverage([("a1", "2023-01-01", None)], employees=3)

    def qualifying(rules: DatedRules[SupervisionRules]) -> int:
        return sum(v for k, v in coverage_contribution(state, rules).items() if k[5] == "coverage.enterprises_3plus")

    assert qualifying(supervision_rules()) == 1
    assert qualifying(supervision_rules(coverage_min_employees=4)) == 0


def test_events_count_on_the_regulators_local_day() -> None:
    event = _hazard_event("hazard.reported", 1, "reported", reported_on="2023-03-31T17:30:00+00:00")
    event = EventRecord(**{**event.__dict__, "occurred_at": datetime(2023, 3, 31, 17, 30, tzinfo=UTC)})
    assert event.local_day == date(2023, 4, 1)
    state = AggregateState("hazard", "h1")
    reduce_hazard(state, event)
    assert state.fields["reported_on"] == "2023-04-01"


def test_counter_rows_spread_a_fact_over_groups_and_campaign_tags() -> None:
    rows = CounterRows()
    rows.add({(date(2023, 5, 7), "t", "d", "33", ("c1", "c2"), "x"): 2})
    day, month, detail = rows.nonzero()
    assert {(k[0], k[1]) for k, _ in day} == {
        ("all", ""),
        ("township", "t"),
        ("department", "d"),
        ("industry", "33"),
        ("campaign", "c1"),
        ("campaign", "c2"),
    }
    assert {k[2] for k, _ in month} == {date(2023, 5, 1)}
    assert sorted(k[4] for k, _ in detail) == ["", "c1", "c2"]


@pytest.mark.parametrize(
    ("kind", "on", "expected"),
    [
        (PeriodKind.DAY, date(2023, 5, 7), (date(2023, 5, 7), date(2023, 5, 7))),
        (PeriodKind.MONTH, date(2024, 2, 10), (date(2024, 2, 1), date(2024, 2, 29))),
        (PeriodKind.QUARTER, date(2023, 11, 30), (date(2023, 10, 1), date(2023, 12, 31))),
        (PeriodKind.HALF_YEAR, date(2023, 6, 30), (date(2023, 1, 1), date(2023, 6, 30))),
        (PeriodKind.YEAR, date(2023, 7, 1), (date(2023, 1, 1), date(2023, 12, 31))),
    ],
)
def test_periods(kind: PeriodKind, on: date, expected: tuple[date, date]) -> None:
    period = resolve_period(kind, on, None, None)
    assert (period.date_from, period.date_to) == expected


def test_a_custom_period_needs_an_ordered_range() -> None:
    with pytest.raises(ValueError, match="before"):
        resolve_period(PeriodKind.CUSTOM, None, date(2023, 2, 1), date(2023, 1, 1))


def test_a_period_lies_in_the_covered_years() -> None:
    with pytest.raises(ValueError, match="years 2000 to 2100"):
        resolve_period(PeriodKind.YEAR, date(9999, 12, 31), None, None)
    with pytest.raises(ValueError, match="years 2000 to 2100"):
        resolve_period(PeriodKind.CUSTOM, None, date(2023, 1, 1), date(9999, 12, 31))
    assert resolve_period(PeriodKind.CUSTOM, None, date(2000, 1, 1), date(2100, 12, 31)).date_to == date(2100, 12, 31)


def test_rates_round_half_up_from_exact_integers() -> None:
    assert rate(5592, 5630) == Decimal("99.33")
    assert rate(37, 47) == Decimal("78.72")
    assert rate(14, 47) == Decimal("29.79")
    assert rate(1, 8) == Decimal("12.50")
    assert rate(1, 0) is None
    assert wan_yuan(281_965_300) == Decimal("281.9653")
    assert wan_yuan(50) == Decimal("0.0001")


def test_month_split_uses_whole_months_and_day_edges() -> None:
    assert month_split(date(2023, 1, 1), date(2023, 6, 30)) == (date(2023, 1, 1), date(2023, 7, 1), [])
    assert month_split(date(2023, 1, 15), date(2023, 3, 10)) == (
        date(2023, 2, 1),
        date(2023, 3, 1),
        [(date(2023, 1, 15), date(2023, 1, 31)), (date(2023, 3, 1), date(2023, 3, 10))],
    )
    assert month_split(date(2023, 1, 3), date(2023, 1, 9))[2] == [(date(2023, 1, 3), date(2023, 1, 9))]


def test_ranking_normalises_to_the_best_unit_and_shares_ties() -> None:
    def unit(inspections: int, cases: int) -> dict[str, Any]:
        return figures({"inspection.count.routine": inspections, "case.filed.general.direct": cases}, {})

    ranked = rank_units(
        [("a", "A", unit(10, 2)), ("b", "B", unit(5, 4)), ("c", "C", unit(10, 2)), ("d", "D", unit(0, 0))],
        {"inspections": 50, "cases_filed": 50},
    )
    assert [(u.code, u.rank, u.score) for u in ranked] == [
        ("a", 1, Decimal("75.00")),
        ("b", 1, Decimal("75.00")),
        ("c", 1, Decimal("75.00")),
        ("d", 4, Decimal("0.00")),
    ]
    assert ranked[1].breakdown[0] | {} == {
        "indicator": "inspections",
        "heading": "执法活动(次)",
        "value": 5,
        "best": 10,
        "normalised": Decimal("50.00"),
        "weight": 50,
        "points": Decimal("25.00"),
    }


def test_the_default_ranking_weights_are_those_in_force_in_the_quarter() -> None:
    weights = default_weights(date(2023, 4, 1))
    assert sum(weights.values()) == 100
    assert default_weights(date(2022, 12, 31)) == weights


def test_weights_are_validated() -> None:
    assert parse_weights("inspections:3, cases_filed:1") == {"inspections": 3, "cases_filed": 1}
    for bad in ("", "nope:1", "inspections:0", "inspections"):
        with pytest.raises(ValueError):
            parse_weights(bad)


def test_a_township_officer_counts_only_in_the_township_and_any_other_is_not_found() -> None:
    officer = Scope(Principal("t", frozenset({Role.TOWNSHIP_OFFICER}), jurisdictions=("431281101000",)))
    assert build_filters(officer, FiltersRead()).township == ("431281101000",)
    assert build_filters(officer, FiltersRead(township_code="431281101203")).township == ("431281101000",)
    with pytest.raises(NotFound, match="township 431281102000 not found"):
        build_filters(officer, FiltersRead(township_code="431281102000"))
    leader = Scope(Principal("l", frozenset({Role.LEADER})))
    assert build_filters(leader, FiltersRead()).township is None


def test_leader_led_inspections_count_beside_enforcement_activity_not_in_it() -> None:
    flow = {
        "inspection.count.routine": 10,
        "inspection.persons.routine": 30,
        "inspection.enterprise_checks.routine": 12,
        "inspection.count.leader_led": 2,
        "inspection.persons.leader_led": 9,
        "inspection.enterprise_checks.leader_led": 4,
    }
    out = figures(flow, {})
    enforcement, leader = out["enforcement"], out["leader_inspections"]
    assert (enforcement["inspections"], enforcement["persons_deployed"], enforcement["enterprise_checks"]) == (
        10,
        30,
        12,
    )
    assert enforcement["inspections_by_kind"] == {"routine": 10}
    assert (leader["times"], leader["persons"], leader["units_checked"]) == (2, 9, 4)
