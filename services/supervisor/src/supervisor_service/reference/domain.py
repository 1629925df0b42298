"""Pure rules over reference data: industry code structure and a department's industry scope."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

REFERENCE_KINDS = ("jurisdictions", "departments", "industries")


def industry_division(industry_code: str) -> str | None:
    """The 2-digit division (大类) of a GB/T 4754 code, None for a bare section letter."""
    return industry_code[:2] if industry_code[:2].isdigit() else None


@dataclass(frozen=True)
class IndustryScope:
    """The industries a department supervises: section letters and digit prefixes."""

    sections: frozenset[str]
    prefixes: frozenset[str]

    @classmethod
    def of(cls, codes: list[str]) -> IndustryScope:
        """Split a department's supervised codes into section letters and division/group/class prefixes."""
        return cls(
            sections=frozenset(c for c in codes if c.isalpha()),
            prefixes=frozenset(c for c in codes if c.isdigit()),
        )

    def covers(self, industry_code: str, industry_section: str | None) -> bool:
        """Whether an enterprise of this industry falls under the department."""
        if industry_section in self.sections:
            return True
        return any(industry_code.startswith(p) for p in self.prefixes)

    @property
    def empty(self) -> bool:
        """A department that supervises no industry (e.g. the safety committee office)."""
        return not self.sections and not self.prefixes


def dataset_checksum(document: dict[str, Any]) -> str:
    """A stable fingerprint of a reference data document (version, date and items)."""
    canonical = json.dumps(
        {k: document.get(k) for k in ("version", "effective_from", "items")},
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode()).hexdigest()
