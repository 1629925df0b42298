"""Facts: what an aggregate contributes to the counters, by day and dimension (township, department, industry,
campaigns)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

FactKey = tuple[date, str, str, str, tuple[str, ...], str]
Contribution = dict[FactKey, int]


@dataclass(frozen=True)
class Dims:
    """Where a fact is counted: township, department, industry and the campaigns it belongs to."""

    township: str = ""
    department: str = ""
    industry: str = ""
    campaigns: tuple[str, ...] = ()


def township_of(code: str | None) -> str:
    """The 12-digit township code of a township or village code ('' when unknown)."""
    if not code:
        return ""
    code = code.strip()
    if len(code) == 12 and code.isdigit():
        return code[:9] + "000"
    return code


def industry_of(code: str | None) -> str:
    """The GB/T 4754 division (2 digits) of an industry code, or the section letter."""
    if not code:
        return ""
    code = code.strip().upper()
    if code[:1].isalpha():
        return code[:1]
    return code[:2]


def campaigns_of(codes: Iterable[str | None]) -> tuple[str, ...]:
    """Sorted distinct campaign codes (so the same set always gives the same key)."""
    return tuple(sorted({c for c in codes if c}))


class Collector:
    """Builds one aggregate's contribution."""

    def __init__(self) -> None:
        self.facts: Contribution = defaultdict(int)

    def add(self, day: date, dims: Dims, indicator: str, value: int = 1) -> None:
        """Count `value` of `indicator` on `day` where `dims` say (zero counts nothing)."""
        if value:
            self.facts[(day, dims.township, dims.department, dims.industry, dims.campaigns, indicator)] += value


def act_facts(day: date, dims: Dims, counts: Mapping[str, int]) -> Contribution:
    """The facts of one recorded act (an inspection, an interview, a visit): each indicator's count on its day."""
    out = Collector()
    for indicator, value in counts.items():
        out.add(day, dims, indicator, value)
    return out.facts


def difference(new: Contribution, old: Contribution) -> Contribution:
    """new - old, without zero entries."""
    delta: Contribution = {}
    for key in new.keys() | old.keys():
        value = new.get(key, 0) - old.get(key, 0)
        if value:
            delta[key] = value
    return delta


def iso_day(text: str) -> date:
    """A day as the state stores it (YYYY-MM-DD)."""
    return date.fromisoformat(text)


def dims_of(part: Mapping[str, Any], campaigns: tuple[str, ...] = ()) -> Dims:
    """The township, department and industry a stored part of a state is counted under (with its campaigns)."""
    return Dims(part.get("township", ""), part.get("department", ""), part.get("industry", ""), campaigns)


def unit_dims(unit_type: str | None, unit_code: str | None, township: str | None = None) -> Dims:
    """Where an acting unit's facts count: a township's under the township, a department's under it."""
    if unit_type == "township":
        return Dims(township=township_of(township or unit_code))
    return Dims(township=township_of(township), department=unit_code or "")
