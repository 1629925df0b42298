"""The reporting service's dated rules, declared in one place.

The supervision programme's thresholds come from the shared declaration (the supervisor service applies
the same ones); a deployment may override the coverage threshold by setting. The quarterly ranking's
default weights are the reporting service's own.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from shared.reference_data.supervision import SUPERVISION_RULES, SupervisionRules
from shared.rules import DatedRules


def supervision_rules(coverage_min_employees: int | None = None) -> DatedRules[SupervisionRules]:
    """The supervision programme's rules with the deployment's coverage threshold, when it sets one."""
    return SUPERVISION_RULES.with_overrides({"coverage_min_employees": coverage_min_employees})


@dataclass(frozen=True)
class RankingWeights:
    """Default weights of the quarterly ranking from a date on (the office may change them each year)."""

    effective_from: date
    weights: tuple[tuple[str, int], ...]


RANKING_WEIGHTS: DatedRules[RankingWeights] = DatedRules(
    [
        RankingWeights(
            date(2023, 1, 1),
            (
                ("inspections", 20),
                ("enterprise_checks", 20),
                ("cases_filed", 20),
                ("fines_fen", 10),
                ("hazard_rectification_rate", 20),
                ("inspection_plan_completion_rate", 10),
            ),
        ),
    ]
)
