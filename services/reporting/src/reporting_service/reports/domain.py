"""Report layouts and the quarterly ranking's scoring (pure Python).

Ranking (一季一排名): for each indicator, a unit's value is normalised against the best unit
(value / max * 100, so the best scores 100 and a unit with nothing scores 0); the unit's score is
the sum of normalised value * weight / total weight. Points and scores are rounded to 2 decimals
ROUND_HALF_UP only for display; ranks use exact fractions and ties share a rank (1, 2, 2, 4).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from reporting_service.rules import RANKING_WEIGHTS

Figures = Mapping[str, Mapping[str, Any]]


@dataclass(frozen=True)
class Column:
    """A figure a report prints or weighs: code, the Chinese heading officials use, how to read it."""

    code: str
    heading: str
    read: Callable[[Figures], Any]
    in_yuan: bool = False
    """The figure is in fen (exact, as the API gives it) and printed in 元 as its heading says."""

    def printed(self, value: Any) -> Any:
        """The value as a sheet prints it under the heading (fen as exact 元)."""
        return (Decimal(value) / 100).quantize(Decimal("0.01")) if self.in_yuan and value is not None else value


def _f(section: str, name: str) -> Callable[[Figures], Any]:
    return lambda figures: figures[section][name]


DISPATCH_COLUMNS: tuple[Column, ...] = (
    Column("inspections", "执法活动(次)", _f("enforcement", "inspections")),
    Column("persons_deployed", "出动执法人员(人次)", _f("enforcement", "persons_deployed")),
    Column("enterprise_checks", "检查生产经营单位(家次)", _f("enforcement", "enterprise_checks")),
    Column("cases_filed", "立案(起)", _f("enforcement", "cases_filed")),
    Column("simplified_cases", "其中简易程序(起)", _f("enforcement", "simplified_cases")),
    Column("delegated_cases", "其中委托执法(起)", _f("enforcement", "delegated_cases")),
    Column("fines_wan_yuan", "经济处罚(万元)", _f("enforcement", "fines_wan_yuan")),
    Column("stop_orders", "责令停产停业(家)", _f("enforcement", "stop_orders")),
    Column("licence_actions", "暂扣和吊销证照(个)", _f("enforcement", "licence_actions")),
    Column("closures", "取缔关闭(处)", _f("enforcement", "closures")),
    Column("detained_persons", "行政拘留(人次)", _f("enforcement", "detained_persons")),
    Column("interviews", "约谈(次)", _f("enforcement", "interviews")),
    Column("exposures", "警示曝光(个)", _f("enforcement", "exposures")),
    Column("hazards_found", "排查隐患(处)", _f("hazards", "found")),
    Column("hazards_rectified", "已整改(处)", _f("hazards", "rectified")),
    Column("rectification_rate", "整改率(%)", _f("hazards", "rectification_rate")),
    Column("major_found", "重大隐患(处)", _f("hazards", "major_found")),
    Column("planned_inspections", "计划执法(次)", _f("enforcement", "planned_inspections")),
    Column("plan_completion_rate", "计划完成率(%)", _f("enforcement", "inspection_plan_completion_rate")),
)
"""Columns of the monthly dispatch table (一月一调度统计表), for the month and the year to date."""


def _figure(section: str, name: str, heading: str, *, in_yuan: bool = False) -> Column:
    return Column(f"{section}.{name}", heading, _f(section, name), in_yuan)


CAMPAIGN_COLUMNS: tuple[Column, ...] = (
    _figure("hazards", "found", "排查隐患(处)"),
    _figure("hazards", "rectified", "已整改(处)"),
    _figure("hazards", "rectification_rate", "整改率(%)"),
    _figure("hazards", "major_found", "重大隐患(处)"),
    _figure("hazards", "major_self_reported", "其中企业自查重大隐患(处)"),
    _figure("hazards", "major_listed", "挂牌督办(处)"),
    _figure("enforcement", "inspections", "检查(次)"),
    _figure("enforcement", "persons_deployed", "出动人员(人次)"),
    _figure("enforcement", "enterprise_checks", "检查企业(家次)"),
    _figure("enforcement", "inspections_with_findings", "发现问题的检查(次)"),
    _figure("enforcement", "crackdown_actions", "打非行动(次)"),
    _figure("enforcement", "crackdown_persons", "打非出动(人次)"),
    _figure("enforcement", "crackdown_sites_stopped", "制止非法行为(起)"),
    _figure("enforcement", "seizures", "收缴(批)"),
    _figure("enforcement", "seizure_value_fen", "收缴价值(元)", in_yuan=True),
)
"""Columns of a campaign report's tables (per township, per industry), coded `section.figure`."""


RANKING_INDICATORS: dict[str, Column] = {
    i.code: i
    for i in (
        Column("inspections", "执法活动(次)", _f("enforcement", "inspections")),
        Column("persons_deployed", "出动执法人员(人次)", _f("enforcement", "persons_deployed")),
        Column("enterprise_checks", "检查生产经营单位(家次)", _f("enforcement", "enterprise_checks")),
        Column("cases_filed", "立案(起)", _f("enforcement", "cases_filed")),
        Column("fines_fen", "经济处罚(元)", _f("enforcement", "fines_fen"), in_yuan=True),
        Column("stop_orders", "责令停产停业(家)", _f("enforcement", "stop_orders")),
        Column("hazards_found", "排查隐患(处)", _f("hazards", "found")),
        Column("hazard_rectification_rate", "隐患整改率(%)", _f("hazards", "rectification_rate")),
        Column(
            "inspection_plan_completion_rate", "执法计划完成率(%)", _f("enforcement", "inspection_plan_completion_rate")
        ),
        Column("supervisor_visits", "监督员走访(次)", _f("supervisors", "visits")),
    )
}


def default_weights(on: date) -> dict[str, int]:
    """The weights in force on `on`."""
    return dict(RANKING_WEIGHTS.on(on).weights)


def parse_weights(text: str) -> dict[str, int]:
    """`code:weight,code:weight` -> weights; raises ValueError naming the bad part."""
    weights: dict[str, int] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        code, sep, value = part.partition(":")
        if not sep or code not in RANKING_INDICATORS:
            raise ValueError(f"unknown indicator {code!r}; known: {', '.join(sorted(RANKING_INDICATORS))}")
        if not value.isdigit() or int(value) <= 0:
            raise ValueError(f"weight of {code} must be a positive integer")
        weights[code] = int(value)
    if not weights:
        raise ValueError("give at least one indicator:weight")
    return weights


def _two(value: Fraction) -> Decimal:
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _number(value: Any) -> Fraction:
    return Fraction(str(value)) if value is not None else Fraction(0)


@dataclass(frozen=True)
class ScoredUnit:
    """A unit's score, rank and the per-indicator breakdown."""

    code: str
    name: str
    rank: int
    score: Decimal
    breakdown: list[dict[str, Any]]


def rank_units(units: Sequence[tuple[str, str, Figures]], weights: Mapping[str, int]) -> list[ScoredUnit]:
    """Score and rank units (code, name, figures) by the weighted, best-normalised indicators."""
    total_weight = sum(weights.values())
    values = {code: {ind: _number(RANKING_INDICATORS[ind].read(figs)) for ind in weights} for code, _, figs in units}
    best = {ind: max((v[ind] for v in values.values()), default=Fraction(0)) for ind in weights}
    scored: list[tuple[Fraction, str, str, list[dict[str, Any]]]] = []
    for code, name, _ in units:
        score = Fraction(0)
        breakdown = []
        for ind, weight in weights.items():
            value = values[code][ind]
            normalised = value / best[ind] * 100 if best[ind] > 0 else Fraction(0)
            points = normalised * weight / total_weight
            score += points
            breakdown.append(
                {
                    "indicator": ind,
                    "heading": RANKING_INDICATORS[ind].heading,
                    "value": RANKING_INDICATORS[ind].read(next(f for c, _, f in units if c == code)),
                    "best": _plain(best[ind]),
                    "normalised": _two(normalised),
                    "weight": weight,
                    "points": _two(points),
                }
            )
        scored.append((score, code, name, breakdown))
    scored.sort(key=lambda s: (-s[0], s[1]))
    ranked: list[ScoredUnit] = []
    for position, (score, code, name, breakdown) in enumerate(scored, start=1):
        rank = ranked[-1].rank if ranked and scored[position - 2][0] == score else position
        ranked.append(ScoredUnit(code=code, name=name, rank=rank, score=_two(score), breakdown=breakdown))
    return ranked


def _plain(value: Fraction) -> Any:
    return int(value) if value.denominator == 1 else _two(value)
