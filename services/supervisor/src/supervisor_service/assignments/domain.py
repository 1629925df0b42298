"""Pure rules of assignments: capacity of a supervisor and the dates of an assignment."""

from __future__ import annotations

from datetime import date


def capacity_problem(active_now: int, adding: int, maximum: int) -> str | None:
    """Why a supervisor cannot take `adding` more enterprises, or None when they can."""
    if active_now + adding > maximum:
        return f"the supervisor already has {active_now} enterprises; at most {maximum} are allowed"
    return None


def end_date_problem(start_date: date, end_date: date) -> str | None:
    """Why an assignment cannot end on `end_date`, or None when it can."""
    if end_date < start_date:
        return f"the end date {end_date} is before the start date {start_date}"
    return None


def mode_of(active_count: int) -> str:
    """How a supervisor is deployed: none, one_to_one or one_to_many."""
    if active_count == 0:
        return "none"
    return "one_to_one" if active_count == 1 else "one_to_many"
