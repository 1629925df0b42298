"""The campaigns (专项行动) of campaigns.json: the codes a record may be tagged with, and the day each began.

Hazards, inspections, crackdowns and penalty cases carry these codes; reporting counts a campaign's figures
by them and measures "since the campaign began" (e.g. 打好安全生产翻身仗以来) from `started_on`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib.resources import files
from typing import Annotated

from pydantic import AfterValidator, Field


@dataclass(frozen=True)
class Campaign:
    """One campaign, programme or publicity tag; `started_on` is None where no source gives the day."""

    code: str
    name: str
    kind: str
    started_on: date | None


@cache
def campaigns() -> dict[str, Campaign]:
    """Every known campaign by code."""
    raw = json.loads((files("shared") / "reference_data" / "campaigns.json").read_text(encoding="utf-8"))
    return {
        item["code"]: Campaign(
            code=item["code"],
            name=item["name"],
            kind=item["kind"],
            started_on=date.fromisoformat(item["started_on"]) if item.get("started_on") else None,
        )
        for item in raw["items"]
    }


def known_campaign(code: str) -> str:
    """The code itself when campaigns.json knows it (a ValueError, so a 422 naming the field, otherwise)."""
    if code not in campaigns():
        raise ValueError(f"not a campaign of campaigns.json: {code}")
    return code


CampaignCode = Annotated[
    str, Field(max_length=64, description="专项行动 code (campaigns.json)."), AfterValidator(known_campaign)
]
"""A request field naming a campaign; unknown codes are refused."""
