"""Rules that change on an effective date: limits, thresholds and deadlines, with history kept.

A rule set is a tuple of frozen dataclasses that each carry `effective_from`; the entry in force on a
day is the latest one that took effect on or before it. Each service declares its rule values in one
module, and deployments override values by settings, never by editing code.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import fields, is_dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any, Generic, Protocol, TypeVar


class EffectiveFrom(Protocol):
    """Anything that takes effect on a date."""

    @property
    def effective_from(self) -> date: ...


RuleT = TypeVar("RuleT", bound=EffectiveFrom)


class NoRuleInForce(LookupError):
    """A day before every rule of a set took effect."""


class DatedRules(Generic[RuleT]):
    """The entries of one rule set, ordered by the day each takes effect."""

    def __init__(self, entries: Iterable[RuleT], *, before_first: str = "earliest") -> None:
        self.entries: tuple[RuleT, ...] = tuple(sorted(entries, key=lambda e: e.effective_from))
        if not self.entries:
            raise ValueError("a rule set needs at least one entry")
        if before_first not in {"earliest", "error"}:
            raise ValueError("before_first is 'earliest' or 'error'")
        self._before_first = before_first

    def on(self, day: date) -> RuleT:
        """The entry in force on `day`.

        For a day before every entry took effect, the earliest entry (history recorded before the
        system's first rule) or, when the set says so, `NoRuleInForce`.
        """
        current = None
        for entry in self.entries:
            if entry.effective_from > day:
                break
            current = entry
        if current is None:
            if self._before_first == "error":
                raise NoRuleInForce(f"no rule in force on {day.isoformat()}")
            return self.entries[0]
        return current

    def with_overrides(self, overrides: Mapping[str, Any], *, key: str = "code") -> DatedRules[RuleT]:
        """The same rule set with field values replaced, for every entry or by entry.

        `overrides` is either `{field: value}` (applied to every entry; None values are ignored) or, when
        the entries carry a `key` field, `{entry_key: {field: value}}`. Values are converted to the type
        of the field they replace (dates from ISO strings, decimals from numbers or strings).
        """
        entries: list[RuleT] = []
        for entry in self.entries:
            if not is_dataclass(entry):
                raise TypeError("only dataclass rules can be overridden")
            names = {f.name for f in fields(entry)}
            by_entry = key in names and any(isinstance(v, Mapping) for v in overrides.values())
            values = dict(overrides.get(getattr(entry, key), {}) if by_entry else overrides)
            values = {k: v for k, v in values.items() if v is not None}
            unknown = set(values) - names
            if unknown:
                raise ValueError(f"unknown rule fields: {', '.join(sorted(unknown))}")
            entries.append(replace(entry, **{k: _like(getattr(entry, k), v) for k, v in values.items()}))
        rules: DatedRules[RuleT] = DatedRules(entries, before_first=self._before_first)
        return rules

    def by(self, key_value: str, *, key: str = "code") -> RuleT:
        """The entry whose `key` field equals `key_value`."""
        for entry in self.entries:
            if getattr(entry, key, None) == key_value:
                return entry
        raise KeyError(key_value)


def _like(current: Any, value: Any) -> Any:
    if isinstance(current, Decimal):
        return Decimal(str(value))
    if isinstance(current, date) and isinstance(value, str):
        return date.fromisoformat(value)
    return value
