"""Bodies of the coverage API."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from pydantic import BaseModel, Field


class CoverageFigure(BaseModel):
    """Covered versus eligible enterprises of one group."""

    code: str | None = Field(description="Township or department code; null for the overall figure or no department.")
    name: str | None = None
    eligible: int = Field(description="Operating enterprises with at least min_employees employees.")
    covered: int = Field(description="Of those, with an active resident supervisor.")
    uncovered: int
    rate: Decimal | None = Field(
        description="covered / eligible, rounded half-up to 4 decimals; null if none eligible."
    )


class CoverageReport(BaseModel):
    """Coverage overall, per township and per supervising department, within the caller's scope."""

    as_of: date
    min_employees: int
    rules_effective_from: date
    overall: CoverageFigure
    by_township: list[CoverageFigure]
    by_department: list[CoverageFigure]
