"""Periods, the rounding rule, and the figures built from summed counters (pure Python).

Rounding rule (stated in the API): counts and money (fen) are exact integers; rates are
percentages computed from those integers with `Decimal` and rounded to 2 decimals with
ROUND_HALF_UP (null when the denominator is 0); amounts in 万元 are fen / 1,000,000 rounded to
4 decimals (to the yuan) with ROUND_HALF_UP, as the bureau's reports print them.
"""

from __future__ import annotations

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


class PeriodKind(StrEnum):
    """How a statistics period is given."""

    DAY = "day"
    MONTH = "month"
    QUARTER = "quarter"
    HALF_YEAR = "half_year"
    YEAR = "year"
    CUSTOM = "custom"


@dataclass(frozen=True)
class Period:
    """A closed date range with the kind it was asked as."""

    kind: PeriodKind
    date_from: date
    date_to: date


def resolve_period(kind: PeriodKind, on: date | None, date_from: date | None, date_to: date | None) -> Period:
    """The period of `kind` containing `on`, or [date_from, date_to] for a custom range."""
    if kind is PeriodKind.CUSTOM:
        if date_from is None or date_to is None:
            raise ValueError("a custom period needs date_from and date_to")
        if date_to < date_from:
            raise ValueError("date_to is before date_from")
        return Period(kind, date_from, date_to)
    if on is None:
        raise ValueError(f"a {kind.value} period needs `date` (any day inside it)")
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


def total(sums: Mapping[str, int], prefix: str, *, exact: bool = False) -> int:
    """Sum of the indicators named `prefix` or starting with `prefix.`."""
    if exact:
        return sums.get(prefix, 0)
    dotted = prefix + "."
    return sum(v for k, v in sums.items() if k == prefix or k.startswith(dotted))


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


def figures(flow: Mapping[str, int], stock: Mapping[str, int]) -> dict[str, Any]:
    """Every statistic of the issue, from summed flow counters and stock counters."""
    found_major, found_general = total(flow, "hazard.found.major"), total(flow, "hazard.found.general")
    rect_major, rect_general = total(flow, "hazard.rectified.major"), total(flow, "hazard.rectified.general")
    found, rectified = found_major + found_general, rect_major + rect_general
    listed = total(flow, "hazard.listed")
    leader_found = sum(v for k, v in flow.items() if k.startswith("hazard.found.") and k.endswith(".leader_inspection"))
    leader_rect = sum(
        v for k, v in flow.items() if k.startswith("hazard.rectified.") and k.endswith(".leader_inspection")
    )
    found_by_source = by_suffix(flow, "hazard.found", 1)
    rect_by_source = by_suffix(flow, "hazard.rectified", 1)
    fines_general = total(flow, "case.fines_fen.general")
    fines_simplified = total(flow, "case.fines_fen.simplified")
    fines = fines_general + fines_simplified
    delegated_cases = total(flow, "case.filed.general.delegated") + total(flow, "case.filed.simplified.delegated")
    delegated_fines = total(flow, "case.fines_fen.general.delegated") + total(
        flow, "case.fines_fen.simplified.delegated"
    )
    inspections = total(flow, "inspection.count")
    checks = total(flow, "inspection.enterprise_checks")
    cases = total(flow, "case.filed")
    plan_inspections, plan_checks, plan_cases = (
        total(flow, "plan.inspections"),
        total(flow, "plan.enterprise_checks"),
        total(flow, "plan.cases"),
    )
    covered_3plus, qualifying = total(stock, "coverage.enterprises_3plus"), total(stock, "enterprise.qualifying_3plus")
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
            "rectified_in_period": total(flow, "hazard.rectified_flow"),
            "found_by_source": found_by_source,
            "rectified_by_source": rect_by_source,
            "self_reported": found_by_source.get("self_report", 0),
            "major_self_reported": total(flow, "hazard.found.major.self_report"),
            "major_listed": listed,
            "major_listed_by_level": by_suffix(flow, "hazard.listed", 0),
            "listing_rate": rate(listed, found_major),
            "listed_in_period": total(flow, "hazard.listed_flow"),
            "overdue": total(flow, "hazard.overdue"),
            "funds_fen": total(flow, "hazard.funds_fen"),
            "funds_wan_yuan": wan_yuan(total(flow, "hazard.funds_fen")),
        },
        "enforcement": {
            "inspections": inspections,
            "persons_deployed": total(flow, "inspection.persons"),
            "enterprise_checks": checks,
            "inspections_by_kind": by_suffix(flow, "inspection.count", 0),
            "inspection_findings": total(flow, "inspection.findings"),
            "inspections_with_findings": total(flow, "inspection.with_findings"),
            "cases_filed": cases,
            "general_procedure_cases": total(flow, "case.filed.general"),
            "simplified_cases": total(flow, "case.filed.simplified"),
            "delegated_cases": delegated_cases,
            "delegated_simplified_cases": total(flow, "case.filed.simplified.delegated"),
            "penalty_decisions": total(flow, "case.penalty_decisions"),
            "fines_fen": fines,
            "fines_wan_yuan": wan_yuan(fines),
            "simplified_fines_fen": fines_simplified,
            "simplified_fines_wan_yuan": wan_yuan(fines_simplified),
            "delegated_fines_fen": delegated_fines,
            "delegated_fines_wan_yuan": wan_yuan(delegated_fines),
            "delegated_simplified_fines_fen": total(flow, "case.fines_fen.simplified.delegated"),
            "confiscation_value_fen": total(flow, "case.confiscation_fen"),
            "stop_orders": total(flow, "case.stop_orders"),
            "licence_actions": total(flow, "case.licence_actions"),
            "licence_revocations": total(flow, "case.licence_revocations"),
            "closure_referrals": total(flow, "case.closure_referrals"),
            "closures": total(flow, "case.closures"),
            "closures_incl_revocations": total(flow, "case.closures") + total(flow, "case.licence_revocations"),
            "detention_referrals": total(flow, "case.detention_referrals"),
            "detained_persons": total(flow, "case.detained_persons"),
            "exposures": total(flow, "exposure.count"),
            "exposed_enterprises": total(flow, "exposure.enterprises"),
            "interviews": total(flow, "interview.count"),
            "interview_persons": total(flow, "interview.persons"),
            "typical_cases": total(flow, "typical_case.count"),
            "crackdown_actions": total(flow, "crackdown.actions"),
            "crackdown_patrols": total(flow, "crackdown.patrols"),
            "crackdown_persons": total(flow, "crackdown.persons"),
            "crackdown_sites_stopped": total(flow, "crackdown.sites_stopped"),
            "seizures": total(flow, "crackdown.seizures"),
            "seizure_value_fen": total(flow, "crackdown.seizure_value_fen"),
            "planned_inspections": plan_inspections,
            "planned_enterprise_checks": plan_checks,
            "planned_cases": plan_cases,
            "inspection_plan_completion_rate": rate(inspections, plan_inspections),
            "enterprise_check_plan_completion_rate": rate(checks, plan_checks),
            "case_plan_completion_rate": rate(cases, plan_cases),
        },
        "leader_inspections": {
            "times": total(flow, "inspection.count.leader_led"),
            "persons": total(flow, "inspection.persons.leader_led"),
            "units_checked": total(flow, "inspection.enterprise_checks.leader_led"),
            "hazards_found": leader_found,
            "hazards_rectified": leader_rect,
            "rectification_rate": rate(leader_rect, leader_found),
        },
        "supervisors": {
            "active": total(stock, "supervisor.active"),
            "enterprises_covered": total(stock, "coverage.enterprises", exact=True),
            "enterprises_covered_3plus": covered_3plus,
            "enterprises_3plus": qualifying,
            "coverage_rate_3plus": rate(covered_3plus, qualifying),
            "enterprises_registered": total(stock, "enterprise.registered"),
            "visits": total(flow, "visit.count"),
            "visit_findings": total(flow, "visit.findings"),
        },
    }
