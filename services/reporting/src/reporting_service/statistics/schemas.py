"""Response bodies of the statistics endpoints."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from pydantic import BaseModel, Field

from reporting_service.statistics.domain import ROUNDING_RULE, PeriodKind

RATE = "Percentage, 2 decimals, ROUND_HALF_UP; null when the denominator is 0."
WAN = "万元, 4 decimals, ROUND_HALF_UP."


class PeriodRead(BaseModel):
    """The period the figures cover."""

    kind: PeriodKind
    date_from: date
    date_to: date


class FiltersRead(BaseModel):
    """The filters applied (codes; null: not filtered)."""

    township_code: str | None = Field(None, description="12-digit township code")
    department_code: str | None = Field(None, description="Department code (departments.json)")
    industry_code: str | None = Field(None, description="GB/T 4754 section letter or division")
    campaign_code: str | None = Field(None, description="Campaign code (campaigns.json)")


class HazardFigures(BaseModel):
    """隐患: found, rectified and rates; major hazards listed; overdue; self-reported; funds.

    `rectified` counts, of the hazards found in the period, those rectified by now (a cohort, so the
    rate never exceeds 100%); `rectified_in_period` counts rectifications dated in the period.
    `major_listed` likewise counts listed hazards among those found in the period; `listing_rate` =
    major_listed / major_found."""

    found: int
    rectified: int
    rectification_rate: Decimal | None = Field(description=RATE)
    general_found: int
    general_rectified: int
    general_rectification_rate: Decimal | None = Field(description=RATE)
    major_found: int
    major_rectified: int
    major_rectification_rate: Decimal | None = Field(description=RATE)
    rectified_in_period: int
    found_by_source: dict[str, int]
    rectified_by_source: dict[str, int]
    self_reported: int
    major_self_reported: int
    major_listed: int
    major_listed_by_level: dict[str, int]
    listing_rate: Decimal | None = Field(description=RATE)
    listed_in_period: int
    overdue: int = Field(description="Hazards whose deadline first passed in the period.")
    funds_fen: int
    funds_wan_yuan: Decimal = Field(description=WAN)


class EnforcementFigures(BaseModel):
    """监管执法: inspections, persons (人次), enterprise-checks (家次), cases, fines and measures."""

    inspections: int = Field(
        description="组织执法活动: inspections other than leader-led ones (see leader_inspections)."
    )
    persons_deployed: int = Field(description="出动执法人员 (人次), leader-led inspections not included.")
    enterprise_checks: int = Field(description="检查生产经营单位 (家次), leader-led inspections not included.")
    inspections_by_kind: dict[str, int]
    inspection_findings: int
    inspections_with_findings: int
    cases_filed: int = Field(description="General-procedure cases filed plus simplified-procedure decisions.")
    general_procedure_cases: int
    simplified_cases: int
    delegated_cases: int
    delegated_simplified_cases: int
    penalty_decisions: int
    fines_fen: int
    fines_wan_yuan: Decimal = Field(description=WAN)
    simplified_fines_fen: int
    simplified_fines_wan_yuan: Decimal = Field(description=WAN)
    delegated_fines_fen: int
    delegated_fines_wan_yuan: Decimal = Field(description=WAN)
    delegated_simplified_fines_fen: int
    confiscation_value_fen: int
    stop_orders: int
    licence_actions: int
    licence_revocations: int
    closure_referrals: int
    closures: int
    closures_incl_revocations: int
    detention_referrals: int
    detained_persons: int
    exposures: int
    exposed_enterprises: int
    interviews: int
    interview_persons: int
    typical_cases: int
    crackdown_actions: int
    crackdown_patrols: int
    crackdown_persons: int
    crackdown_sites_stopped: int
    seizures: int
    seizure_value_fen: int
    planned_inspections: int
    planned_enterprise_checks: int
    planned_cases: int
    inspection_plan_completion_rate: Decimal | None = Field(description=RATE)
    enterprise_check_plan_completion_rate: Decimal | None = Field(description=RATE)
    case_plan_completion_rate: Decimal | None = Field(description=RATE)


class LeaderInspectionFigures(BaseModel):
    """领导带队督导检查: times, persons, units checked, hazards found and rectified."""

    times: int
    persons: int
    units_checked: int
    hazards_found: int
    hazards_rectified: int
    rectification_rate: Decimal | None = Field(description=RATE)


class SupervisorFigures(BaseModel):
    """派驻监督员 (as of the period's last day, except visits): count, coverage, visits."""

    active: int
    enterprises_covered: int
    enterprises_covered_3plus: int
    enterprises_3plus: int
    coverage_rate_3plus: Decimal | None = Field(description=RATE)
    enterprises_registered: int
    visits: int
    visit_findings: int


class StatisticsRead(BaseModel):
    """Every statistic for one period and filter."""

    period: PeriodRead
    filters: FiltersRead
    rounding: str = ROUNDING_RULE
    hazards: HazardFigures
    enforcement: EnforcementFigures
    leader_inspections: LeaderInspectionFigures
    supervisors: SupervisorFigures


class BreakdownRow(BaseModel):
    """The statistics of one township, department, industry or campaign."""

    code: str
    name: str
    hazards: HazardFigures
    enforcement: EnforcementFigures
    leader_inspections: LeaderInspectionFigures
    supervisors: SupervisorFigures


class BreakdownRead(BaseModel):
    """Statistics per unit of one dimension."""

    period: PeriodRead
    filters: FiltersRead
    by: str
    rounding: str = ROUNDING_RULE
    rows: list[BreakdownRow]


class TopicFreshness(BaseModel):
    """How current the projections are for one topic."""

    topic: str
    last_applied_at: datetime | None
    last_event_occurred_at: datetime | None
    events_applied: int
    lag_messages: int | None = Field(description="End offsets minus the group's committed offsets; null if unknown.")
    seconds_since_last_applied: float | None


class FreshnessRead(BaseModel):
    """Freshness of the statistics, per topic."""

    consumer_group: str
    checked_at: datetime
    topics: list[TopicFreshness]
