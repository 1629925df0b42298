"""The one clock: now in UTC, and today in the regulator's time zone.

Legal days, deadlines and statistics periods are days of the bureau's own zone (China Standard Time
by default), whatever zone a host runs in. Every service asks this module for the time; nothing else
calls `date.today()` or `datetime.now()`. Tests move the clock with `frozen_at`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

DEFAULT_TIMEZONE = "Asia/Shanghai"

_zone = ZoneInfo(DEFAULT_TIMEZONE)
_source: Callable[[], datetime] = lambda: datetime.now(UTC)  # noqa: E731 - the real clock, replaceable in tests


def set_timezone(name: str) -> None:
    """Count local days in the zone `name` (the `TIMEZONE` setting); called once when a process starts."""
    global _zone
    _zone = ZoneInfo(name)


def timezone() -> ZoneInfo:
    """The regulator's time zone."""
    return _zone


def now() -> datetime:
    """The current time, timezone-aware in UTC (as stored)."""
    return _source()


def local_now() -> datetime:
    """The current time in the regulator's zone."""
    return _source().astimezone(_zone)


def today() -> date:
    """Today's date in the regulator's zone."""
    return local_now().date()


def local_date(moment: datetime) -> date:
    """The regulator's calendar day on which an instant falls."""
    return moment.astimezone(_zone).date()


@contextmanager
def frozen_at(moment: datetime) -> Iterator[None]:
    """Stop the clock at `moment` (timezone-aware) for the duration of the block (tests only)."""
    global _source
    if moment.tzinfo is None:
        raise ValueError("a frozen moment needs a time zone")
    previous = _source
    _source = lambda: moment.astimezone(UTC)  # noqa: E731
    try:
        yield
    finally:
        _source = previous
