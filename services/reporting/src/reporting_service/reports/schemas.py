"""Request and response bodies of the supplementary figures."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field, model_validator


class SupplementaryFigureWrite(BaseModel):
    """A figure for a period that no event carries (e.g. meetings 22 次, training 1.165 万人次)."""

    period_start: date
    period_end: date
    indicator: str = Field(min_length=1, max_length=64, pattern=r"^[a-z0-9_.]+$")
    label: str = Field(min_length=1, max_length=200, description="Chinese label printed in the report")
    value: Decimal = Field(ge=0, max_digits=18, decimal_places=4)
    unit: str = Field(min_length=1, max_length=16)

    @model_validator(mode="after")
    def _ordered(self) -> SupplementaryFigureWrite:
        if self.period_end < self.period_start:
            raise ValueError("period_end is before period_start")
        return self


class SupplementaryFigureRead(SupplementaryFigureWrite):
    """A stored supplementary figure."""

    model_config = ConfigDict(from_attributes=True)

    entered_by: str
    entered_at: datetime
