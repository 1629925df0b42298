"""Pure rules of visits: finding grades, quarters and visit dates."""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum


class GradeSuggestion(StrEnum):
    """The supervisor's suggestion; the hazard service judges the final grade."""

    GENERAL = "general"
    MAJOR = "major"


def quarter_bounds(year: int, quarter: int) -> tuple[date, date]:
    """First and last day of a calendar quarter."""
    if quarter not in (1, 2, 3, 4):
        raise ValueError("quarter must be 1-4")
    start = date(year, 3 * quarter - 2, 1)
    next_start = date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)
    return start, next_start - timedelta(days=1)


def visit_date_problem(visited_on: date, today: date) -> str | None:
    """Why a visit cannot be logged for this date, or None when it can."""
    if visited_on > today:
        return "a visit cannot be logged in the future"
    return None
