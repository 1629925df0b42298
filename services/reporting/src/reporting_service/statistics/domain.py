"""Periods, the rounding rule, and the figures built from summed counters (pure Python).

Rounding rule (stated in the API): counts and money (fen) are exact integers; rates are
percentages computed from those integers with `Decimal` and rounded to 2 decimals with
ROUND_HALF_UP (null when the denominator is 0); amounts in 万元 are fen / 1,000,000 rounded to
4 decimals (to the yuan) with ROUND_HALF_UP, as the bureau's reports print them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any

ROUNDING_RULE = (
    "Counts and fen amounts are exact integers. Rates are percentages computed from the exact integers and "
    "rounded to 2 decimals, ROUND_HALF_UP (null when the denominator is 0). 万元 amounts are fen / 1,000,000 "
    "rounded to 4 decimals, ROUND_HALF_UP. Stock figures (supervisors, coverage) are as of the period's last day."
)


YEARS = range(2000, 2101)
"""Years the statistics and reports cover (the reports' year parameters accept the same)."""


class PeriodKind(StrEnum):
    """How a statistics period is given."""

    DAY = "day"
    MONTH = "month"
    QUARTER = "quarter"
    HALF_YEAR = "half_year"
    YEAR = "year"
    CUSTOM = "custom"
    SINCE_CAMPAIGN = "since_campaign"


@dataclass(frozen=True)
class Period:
    """A closed date range with the kind it was asked as."""

    kind: PeriodKind
    date_from: date
    date_to: date


def resolve_period(
    kind: PeriodKind, on: date | None, date_from: date | None, date_to: date | None, started_on: date | None = None
) -> Period:
    """The period of `kind` containing `on`, [date_from, date_to] for a custom range, or for since_campaign
    [the campaign's `started_on`, `on`] (e.g. 打好安全生产翻身仗以来 as of a day)."""
    given = (date_from, date_to) if kind is PeriodKind.CUSTOM else (on,)
    if any(day is not None and day.year not in YEARS for day in given):
        raise ValueError(f"dates lie in the years {YEARS[0]} to {YEARS[-1]}")
    if kind is PeriodKind.CUSTOM:
        if date_from is None or date_to is None:
            raise ValueError("a custom period needs date_from and date_to")
        if date_to < date_from:
            raise ValueError("date_to is before date_from")
        return Period(kind, date_from, date_to)
    if on is None:
        raise ValueError(f"a {kind.value} period needs `date` (any day inside it)")
    if kind is PeriodKind.SINCE_CAMPAIGN:
        if started_on is None:
            raise ValueError("a since_campaign period needs a campaign whose start is known")
        if on < started_on:
            raise ValueError(f"the campaign began on {started_on.isoformat()}, after `date`")
        return Period(kind, started_on, on)
    if kind is PeriodKind.DAY:
        return Period(kind, on, on)
    if kind is PeriodKind.MONTH:
        start_month = on.month
        months = 1
    elif kind is PeriodKind.QUARTER:
        start_month, months = (on.month - 1) // 3 * 3 + 1, 3
    elif kind is PeriodKind.HALF_YEAR:
        start_month, months = (1 if on.month <= 6 else 7), 6
    else:
        start_month, months = 1, 12
    start = date(on.year, start_month, 1)
    end_month = start_month + months
    end = date(on.year + (end_month - 1) // 12, (end_month - 1) % 12 + 1, 1) - timedelta(days=1)
    return Period(kind, start, end)


def rate(numerator: int, denominator: int) -> Decimal | None:
    """numerator / denominator as a percentage with 2 decimals, ROUND_HALF_UP."""
    if not denominator:
        return None
    return (Decimal(numerator) * 100 / Decimal(denominator)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def wan_yuan(fen: int) -> Decimal:
    """fen in 万元 with 4 decimals, ROUND_HALF_UP."""
    return (Decimal(fen) / Decimal(1_000_000)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def by_suffix(sums: Mapping[str, int], prefix: str, position: int) -> dict[str, int]:
    """Totals of `prefix.*` grouped by the dotted part at `position` after the prefix."""
    out: dict[str, int] = {}
    dotted = prefix + "."
    for key, value in sums.items():
        if key.startswith(dotted):
            parts = key[len(dotted) :].split(".")
            if len(parts) > position:
                out[parts[position]] = out.get(parts[position], 0) + value
    return dict(sorted(out.items()))


def prefix_totals(sums: Mapping[str, int]) -> defaultdict[str, int]:
    """`total` of every dotted prefix at once: one pass over the indicators instead of one per figure."""
    totals: defaultdict[str, int] = defaultdict(int)
    for key, value in sums.items():
        end = key.find(".")
        while end != -1:
            totals[key[:end]] += value
            end = key.find(".", end + 1)
        totals[key] += value
    return totals


def figures(flow: Mapping[str, int], stock: Mapping[str, int]) -> dict[str, Any]:
    """Every statistic of the issue, from summed flow counters and stock counters."""
    flow_total, stock_total = prefix_totals(flow).__getitem__, prefix_totals(stock).__getitem__
    found_major, found_general = flow_total("hazard.found.major"), flow_total("hazard.found.general")
    rect_major, rect_general = flow_total("hazard.rectified.major"), flow_total("hazard.rectified.general")
    found, rectified = found_major + found_general, rect_major + rect_general
    listed = flow_total("hazard.listed")
    leader_found = sum(v for k, v in flow.items() if k.startswith("hazard.found.") and k.endswith(".leader_inspection"))
    leader_rect = sum(
        v for k, v in flow.items() if k.startswith("hazard.rectified.") and k.endswith(".leader_inspection")
    )
    found_by_source = by_suffix(flow, "hazard.found", 1)
    rect_by_source = by_suffix(flow, "hazard.rectified", 1)
    fines_general = flow_total("case.fines_fen.general")
    fines_simplified = flow_total("case.fines_fen.simplified")
    fines = fines_general + fines_simplified
    delegated_cases = flow_total("case.filed.general.delegated") + flow_total("case.filed.simplified.delegated")
    delegated_fines = flow_total("case.fines_fen.general.delegated") + flow_total("case.fines_fen.simplified.delegated")
    # Leader-led inspections (领导带队检查) are counted beside enforcement activity, as the bureau's report does.
    inspections = flow_total("inspection.count") - flow_total("inspection.count.leader_led")
    checks = flow_total("inspection.enterprise_checks") - flow_total("inspection.enterprise_checks.leader_led")
    cases = flow_total("case.filed")
    plan_inspections, plan_checks, plan_cases = (
        flow_total("plan.inspections"),
        flow_total("plan.enterprise_checks"),
        flow_total("plan.cases"),
    )
    covered_3plus, qualifying = stock_total("coverage.enterprises_3plus"), stock_total("enterprise.qualifying_3plus")
    return {
        "hazards": {
            "found": found,
            "rectified": rectified,
            "rectification_rate": rate(rectified, found),
            "general_found": found_general,
            "general_rectified": rect_general,
            "general_rectification_rate": rate(rect_general, found_general),
            "major_found": found_major,
            "major_rectified": rect_major,
            "major_rectification_rate": rate(rect_major, found_major),
            "rectified_in_period": flow_total("hazard.rectified_flow"),
            "found_by_source": found_by_source,
            "rectified_by_source": rect_by_source,
            "self_reported": found_by_source.get("self_report", 0),
            "major_self_reported": flow_total("hazard.found.major.self_report"),
            "major_listed": listed,
            "major_listed_by_level": by_suffix(flow, "hazard.listed", 0),
            "listing_rate": rate(listed, found_major),
            "listed_in_period": flow_total("hazard.listed_flow"),
            "overdue": flow_total("hazard.overdue"),
            "funds_fen": flow_total("hazard.funds_fen"),
            "funds_wan_yuan": wan_yuan(flow_total("hazard.funds_fen")),
        },
        "enforcement": {
            "inspections": inspections,
            "persons_deployed": flow_total("inspection.persons") - flow_total("inspection.persons.leader_led"),
            "enterprise_checks": checks,
            "inspections_by_kind": {
                kind: count for kind, count in by_suffix(flow, "inspection.count", 0).items() if kind != "leader_led"
            },
            "inspection_findings": flow_total("inspection.findings") - flow_total("inspection.findings.leader_led"),
            "inspections_with_findings": flow_total("inspection.with_findings")
            - flow_total("inspection.with_findings.leader_led"),
            "cases_filed": cases,
            "general_procedure_cases": flow_total("case.filed.general"),
            "simplified_cases": flow_total("case.filed.simplified"),
            "delegated_cases": delegated_cases,
            "delegated_simplified_cases": flow_total("case.filed.simplified.delegated"),
            "penalty_decisions": flow_total("case.penalty_decisions"),
            "fines_fen": fines,
            "fines_wan_yuan": wan_yuan(fines),
            "simplified_fines_fen": fines_simplified,
            "simplified_fines_wan_yuan": wan_yuan(fines_simplified),
            "delegated_fines_fen": delegated_fines,
            "delegated_fines_wan_yuan": wan_yuan(delegated_fines),
            "delegated_simplified_fines_fen": flow_total("case.fines_fen.simplified.delegated"),
            "confiscation_value_fen": flow_total("case.confiscation_fen"),
            "stop_orders": flow_total("case.stop_orders"),
            "licence_actions": flow_total("case.licence_actions"),
            "licence_revocations": flow_total("case.licence_revocations"),
            "closure_referrals": flow_total("case.closure_referrals"),
            "closures": flow_total("case.closures"),
            "closures_incl_revocations": flow_total("case.closures") + flow_total("case.licence_revocations"),
            "detention_referrals": flow_total("case.detention_referrals"),
            "detained_persons": flow_total("case.detained_persons"),
            "exposures": flow_total("exposure.count"),
            "exposed_enterprises": flow_total("exposure.enterprises"),
            "interviews": flow_total("interview.count"),
            "interview_persons": flow_total("interview.persons"),
            "typical_cases": flow_total("typical_case.count"),
            "crackdown_actions": flow_total("crackdown.actions"),
            "crackdown_patrols": flow_total("crackdown.patrols"),
            "crackdown_persons": flow_total("crackdown.persons"),
            "crackdown_sites_stopped": flow_total("crackdown.sites_stopped"),
            "seizures": flow_total("crackdown.seizures"),
            "seizure_value_fen": flow_total("crackdown.seizure_value_fen"),
            "planned_inspections": plan_inspections,
            "planned_enterprise_checks": plan_checks,
            "planned_cases": plan_cases,
            "inspection_plan_completion_rate": rate(inspections, plan_inspections),
            "enterprise_check_plan_completion_rate": rate(checks, plan_checks),
            "case_plan_completion_rate": rate(cases, plan_cases),
        },
        "leader_inspections": {
            "times": flow_total("inspection.count.leader_led"),
            "persons": flow_total("inspection.persons.leader_led"),
            "units_checked": flow_total("inspection.enterprise_checks.leader_led"),
            "hazards_found": leader_found,
            "hazards_rectified": leader_rect,
            "rectification_rate": rate(leader_rect, leader_found),
        },
        "supervisors": {
            "active": stock_total("supervisor.active"),
            "enterprises_covered": stock.get("coverage.enterprises", 0),
            "enterprises_covered_3plus": covered_3plus,
            "enterprises_3plus": qualifying,
            "coverage_rate_3plus": rate(covered_3plus, qualifying),
            "enterprises_registered": stock_total("enterprise.registered"),
            "visits": flow_total("visit.count"),
            "visit_findings": flow_total("visit.findings"),
        },
    }
