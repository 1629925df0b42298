"""Counter rows: facts spread over the daily and monthly rollups and the all-dimension detail rows."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from reporting_service.projections.domain.facts import FactKey

STOCK_INDICATORS = frozenset(
    {
        "supervisor.active",
        "coverage.enterprises",
        "coverage.enterprises_3plus",
        "enterprise.registered",
        "enterprise.qualifying_3plus",
    }
)
"""Indicators counted as +1 when something starts and -1 when it ends; read as a running total."""


RollupKey = tuple[str, str, date, str]  # (group, key, period, indicator)
DetailKey = tuple[date, str, str, str, str, str]  # (day, township, department, industry, campaign, indicator)


@dataclass
class CounterRows:
    """Counter increments of a batch, merged per row before they are written."""

    day: dict[RollupKey, int] = field(default_factory=lambda: defaultdict(int))
    month: dict[RollupKey, int] = field(default_factory=lambda: defaultdict(int))
    detail: dict[DetailKey, int] = field(default_factory=lambda: defaultdict(int))

    def add(self, facts: Mapping[FactKey, int]) -> None:
        """Spread fact deltas over the rollup groups and the detail rows."""
        for (day, township, department, industry, campaigns, indicator), value in facts.items():
            if not value:
                continue
            month = day.replace(day=1)
            groups = [("all", ""), ("township", township), ("department", department), ("industry", industry)]
            groups.extend(("campaign", c) for c in campaigns)
            for group, key in groups:
                self.day[(group, key, day, indicator)] += value
                self.month[(group, key, month, indicator)] += value
            for campaign in ("", *campaigns):
                self.detail[(day, township, department, industry, campaign, indicator)] += value

    def nonzero(
        self, *, ordered: bool = True
    ) -> tuple[list[tuple[RollupKey, int]], list[tuple[RollupKey, int]], list[tuple[DetailKey, int]]]:
        """Rows with a non-zero change, sorted unless `ordered` is false: concurrent writers must lock rows in
        one order, a rebuild copying into its own tables need not pay for sorting millions of rows."""
        day = [(k, v) for k, v in self.day.items() if v]
        month = [(k, v) for k, v in self.month.items() if v]
        detail = [(k, v) for k, v in self.detail.items() if v]
        if ordered:
            day.sort()
            month.sort()
            detail.sort()
        return day, month, detail
