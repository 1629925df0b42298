"""Chinese labels of the codes a client shows an official: one map per enum, checked against the enum.

A service gathers its maps in one `Labels`; the OpenAPI document then describes every enum with them
(`x-enum-descriptions`, in the enum's order, and a `value: label` list in its description) and the
service's labels endpoint returns the same maps.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from typing import Any, get_args


def label_codes(codes: Any, labels: Mapping[str, str]) -> dict[str, str]:
    """`labels` in the order `codes` (an enum class or a Literal) lists its values; a value left out or extra fails."""
    values = (
        [member.value for member in codes] if isinstance(codes, type) and issubclass(codes, Enum) else get_args(codes)
    )
    wanted, given = {str(v) for v in values}, {str(k) for k in labels}
    if wanted != given:
        raise ValueError(f"labels of {codes!r}: missing {sorted(wanted - given)}, unknown {sorted(given - wanted)}")
    by_value = {str(k): v for k, v in labels.items()}
    return {str(v): by_value[str(v)] for v in values}


class Labels:
    """The labelled enums of one service, by the name the labels endpoint gives each."""

    def __init__(self, labels: Mapping[str, Mapping[str, str]]) -> None:
        self.labels = {name: dict(values) for name, values in labels.items()}
        self._by_values: dict[frozenset[str], dict[str, str]] = {}
        for name, values in self.labels.items():
            known = self._by_values.setdefault(frozenset(values), values)
            if known != values:
                raise ValueError(f"{name} has the codes of another enum with other labels")

    def of(self, values: list[Any]) -> dict[str, str] | None:
        """The labels of the enum holding exactly `values`, if one is labelled."""
        return self._by_values.get(frozenset(str(v) for v in values))

    def describe(self, document: dict[str, Any]) -> dict[str, Any]:
        """Add each labelled enum's labels to its schemas wherever the document holds them."""
        self._describe(document)
        return document

    def _describe(self, node: Any) -> None:
        if isinstance(node, list):
            for item in node:
                self._describe(item)
            return
        if not isinstance(node, dict):
            return
        values = node.get("enum")
        labels = self.of(values) if isinstance(values, list) else None
        if labels is not None and isinstance(values, list):
            node["x-enum-descriptions"] = [labels[str(v)] for v in values]
            listing = "\n".join(f"- `{v}`: {labels[str(v)]}" for v in values)
            node["description"] = f"{node['description']}\n\n{listing}" if node.get("description") else listing
        for value in node.values():
            self._describe(value)
