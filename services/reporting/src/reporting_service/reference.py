"""Reference data the reports label and group by (read once from the shared package)."""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files
from typing import Any

from shared.contracts.hazard import LISTING_LEVEL_NAMES


def _items(name: str) -> list[dict[str, Any]]:
    data = json.loads((files("shared") / "reference_data" / f"{name}.json").read_text(encoding="utf-8"))
    items: list[dict[str, Any]] = data["items"]
    return items


@cache
def townships() -> dict[str, str]:
    """Township code -> name, in code order."""
    return {i["code"]: i["name"] for i in _items("jurisdictions") if i["level"] == "township"}


@cache
def departments() -> dict[str, str]:
    """Department code -> name (the bureau, the committee office and the industry departments)."""
    return {i["code"]: i["name"] for i in _items("departments")}


@cache
def ranked_departments() -> dict[str, str]:
    """Departments that enforce and are ranked (the committee office only coordinates)."""
    return {i["code"]: i["name"] for i in _items("departments") if i["kind"] != "committee_office"}


@cache
def industries() -> dict[str, str]:
    """Industry section letter or division code -> name."""
    return {i["code"]: i["name"] for i in _items("industries")}


@cache
def divisions_of_section(section: str) -> tuple[str, ...]:
    """The 2-digit divisions of a GB/T 4754 section letter."""
    return tuple(i["code"] for i in _items("industries") if i.get("parent_code") == section)


@cache
def campaigns() -> dict[str, str]:
    """Campaign code -> name."""
    return {i["code"]: i["name"] for i in _items("campaigns")}


LISTING_LEVEL_LABELS = LISTING_LEVEL_NAMES
"""Listing level code (from the hazard contract's enum) -> the name the reports print."""
