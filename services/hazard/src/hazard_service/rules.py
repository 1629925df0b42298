"""The hazard service's dated rules: the values of each limit and the day each took effect."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from shared.rules import DatedRules


@dataclass(frozen=True)
class DayLimit:
    """A number of days in force from `effective_from`, with the regulation it comes from."""

    effective_from: date
    days: int
    basis: str


# Days between the application for acceptance and the on-site review (复核).
REVIEW_DUE_DAYS: DatedRules[DayLimit] = DatedRules(
    [DayLimit(date(2016, 1, 1), 10, "湖南省重大事故隐患挂牌督办及销号: 申请验收后10日内现场复核")],
    before_first="error",
)

# Longest total deferral a rectification deadline may be moved by, in days.
MAX_DEFERRAL_DAYS: DatedRules[DayLimit] = DatedRules(
    [DayLimit(date(2016, 1, 1), 90, "延期整改经批准, 累计不超过90日 (本地规定)")],
    before_first="error",
)


def review_due_days(override: int | None) -> DatedRules[DayLimit]:
    """The review rule with a deployment's `review_due_days` setting, if any, over every entry."""
    return REVIEW_DUE_DAYS.with_overrides({"days": override})
