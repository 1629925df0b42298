"""The projection state of one aggregate: each field with the version of the event that wrote it."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

Version = Any  # an int (aggregate_version) or a list compared lexicographically


@dataclass
class AggregateState:
    """The projection state of one aggregate: fields, the version that wrote each, the max version."""

    kind: str
    key: str
    version: int = 0
    fields: dict[str, Any] = field(default_factory=dict)
    versions: dict[str, Version] = field(default_factory=dict)

    def put(self, name: str, value: Any, version: Version) -> None:
        """Last writer wins: keep the value of the highest version that provided the field."""
        current = self.versions.get(name)
        if current is None or _later(version, current):
            self.fields[name] = value
            self.versions[name] = version

    def put_min(self, name: str, value: Any) -> None:
        """Keep the smallest value ever provided (commutative, so order does not matter)."""
        if value is None:
            return
        current = self.fields.get(name)
        if current is None or value < current:
            self.fields[name] = value

    def to_json(self) -> str:
        """The stored form (sorted keys, so equal states have equal text)."""
        return json.dumps({"f": self.fields, "v": self.versions}, sort_keys=True, ensure_ascii=False)

    @classmethod
    def from_json(cls, kind: str, key: str, version: int, text: str | Mapping[str, Any]) -> AggregateState:
        """Load a stored state."""
        raw = json.loads(text) if isinstance(text, str) else dict(text)
        return cls(kind=kind, key=key, version=version, fields=dict(raw["f"]), versions=dict(raw["v"]))


def _later(a: Version, b: Version) -> bool:
    if isinstance(a, list) and isinstance(b, list):
        return [str(x) for x in a] > [str(x) for x in b]
    return int(a) > int(b)
