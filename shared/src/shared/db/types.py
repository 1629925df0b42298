"""Column helpers shared by every service's models."""

from __future__ import annotations

from datetime import datetime

from shared import clock


def utcnow() -> datetime:
    """The current time in UTC, as Python-side default of timestamp columns."""
    return clock.now()
