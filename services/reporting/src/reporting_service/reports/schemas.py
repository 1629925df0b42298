"""Request and response bodies of the supplementary figures and the reports' JSON answers."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from reporting_service.statistics.schemas import (
    EnforcementFigures,
    HazardFigures,
    LeaderInspectionFigures,
    SupervisorFigures,
)


class SupplementaryFigureWrite(BaseModel):
    """A figure for a period that no event carries (e.g. meetings 22 次, training 1.165 万人次)."""

    period_start: date
    period_end: date
    indicator: str = Field(min_length=1, max_length=64, pattern=r"^[a-z0-9_.]+$")
    label: str = Field(min_length=1, max_length=200, description="Chinese label printed in the report")
    value: Decimal = Field(ge=0, max_digits=18, decimal_places=4)
    unit: str = Field(min_length=1, max_length=16)

    @model_validator(mode="after")
    def _ordered(self) -> SupplementaryFigureWrite:
        if self.period_end < self.period_start:
            raise ValueError("period_end is before period_start")
        return self


class SupplementaryFigureRead(SupplementaryFigureWrite):
    """A stored supplementary figure."""

    model_config = ConfigDict(from_attributes=True)

    entered_by: str
    entered_at: datetime


# A report cell: a count, an exact decimal (answered as a string) or null where a rate has no denominator.
Cell = int | Decimal | None


class ReportPeriod(BaseModel):
    """The first and last day a report covers."""

    date_from: date
    date_to: date


class ReportColumn(BaseModel):
    """A column of a report table: its code and the Chinese heading officials use."""

    code: str
    heading: str


class ReportFigures(BaseModel):
    """Every statistic over a report's period, as GET /api/v1/statistics gives them."""

    hazards: HazardFigures
    enforcement: EnforcementFigures
    leader_inspections: LeaderInspectionFigures
    supervisors: SupervisorFigures


class DispatchRow(BaseModel):
    """A unit's (or the total's) figures for the month and the year to date, keyed by column code."""

    code: str
    name: str
    month: dict[str, Cell]
    year_to_date: dict[str, Cell]


class MonthlyDispatchReport(BaseModel):
    """一月一调度统计表: the month's and the year's figures of every department or township."""

    title: str
    year: int
    month: int
    by: str
    period: ReportPeriod
    columns: list[ReportColumn]
    rows: list[DispatchRow]
    rounding: str


class RankingWeight(BaseModel):
    """An indicator of the ranking and its weight."""

    indicator: str
    heading: str
    weight: int


class RankingPart(BaseModel):
    """What one indicator adds to a unit's score."""

    indicator: str
    heading: str
    value: Cell
    best: int | Decimal
    normalised: Decimal
    weight: int
    points: Decimal


class RankingRow(BaseModel):
    """A ranked unit with its score breakdown."""

    rank: int
    code: str
    name: str
    score: Decimal
    breakdown: list[RankingPart]


class QuarterlyRankingReport(BaseModel):
    """一季一排名: units scored on weighted indicators."""

    title: str
    year: int
    quarter: int
    by: str
    period: ReportPeriod
    weights: list[RankingWeight]
    method: str
    rows: list[RankingRow]
    rounding: str


class CampaignName(BaseModel):
    """A campaign's code and Chinese name."""

    code: str
    name: str


class CampaignRow(BaseModel):
    """A township's or industry's campaign figures: code, name and one value per column code."""

    model_config = ConfigDict(extra="allow")
    __pydantic_extra__: dict[str, Cell]  # the columns' codes, e.g. "hazards.found"

    code: str
    name: str


class CampaignReport(BaseModel):
    """A campaign's figures overall, per township and per industry."""

    title: str
    campaign: CampaignName
    period: ReportPeriod
    figures: ReportFigures
    columns: list[ReportColumn]
    by_township: list[CampaignRow]
    by_industry: list[CampaignRow]
    rounding: str


class SummaryItem(BaseModel):
    """An indicator of the half-year summary with its value and unit."""

    code: str
    label: str
    value: Cell
    unit: str


class SummarySection(BaseModel):
    """A section of the half-year summary."""

    code: str
    title: str
    items: list[SummaryItem]


class HalfYearSummaryReport(BaseModel):
    """Every indicator of the bureau's half-year work report."""

    title: str
    year: int
    half: int
    period: ReportPeriod
    sections: list[SummarySection]
    figures: ReportFigures
    rounding: str
