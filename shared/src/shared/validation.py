"""Input types every service validates the same way: dates of acts that have happened, bounded amounts."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated

from pydantic import AfterValidator, Field

from shared import clock

# A device whose clock runs a little ahead may send tomorrow's date; a day of skew is tolerated.
MAX_CLOCK_SKEW = timedelta(days=1)
# Records older than this are not history a bureau imports; an earlier date is a typing error.
EARLIEST_RECORD = date(1990, 1, 1)
# The largest amount of money (in fen) a record may hold: 100 billion yuan, far beyond any fine or fund,
# small enough that sums over millions of records stay inside a bigint.
MAX_FEN = 10_000_000_000_000


def _happened(value: date) -> date:
    latest = clock.today() + MAX_CLOCK_SKEW
    if value > latest:
        raise ValueError(f"must not lie in the future (latest accepted: {latest.isoformat()})")
    if value < EARLIEST_RECORD:
        raise ValueError(f"must be on or after {EARLIEST_RECORD.isoformat()}")
    return value


# The day an act took place (a report, a filing, an inspection, a payment): not in the future.
ActDate = Annotated[date, AfterValidator(_happened)]
# An amount of money in fen, within documented bounds.
Fen = Annotated[int, Field(ge=0, le=MAX_FEN, description=f"Amount in fen (0 to {MAX_FEN:,}).")]
