"""Bodies of the reference data API."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class ReferenceDocument(BaseModel):
    """A reference data file: the same shape as shared/reference_data/*.json."""

    version: str = Field(min_length=1, max_length=64)
    effective_from: date
    source: str | None = None
    items: list[dict[str, Any]] = Field(min_length=1)


class DatasetRead(BaseModel):
    """An imported version of a reference data kind."""

    model_config = ConfigDict(from_attributes=True)

    kind: str
    version: str
    effective_from: date
    source: str | None
    checksum: str
    item_count: int
    imported_at: datetime


class ImportOutcome(BaseModel):
    """What importing a reference data version did."""

    kind: str
    version: str
    outcome: Literal["imported", "unchanged"]
    upserted: int
    retired: int


class JurisdictionRead(BaseModel):
    """A division of the jurisdiction tree."""

    model_config = ConfigDict(from_attributes=True)

    code: str
    name: str
    level: str
    parent_code: str | None
    type: str | None


class DepartmentRead(BaseModel):
    """A department and the GB/T 4754 codes it supervises."""

    model_config = ConfigDict(from_attributes=True)

    code: str
    name: str
    kind: str
    supervised_industry_codes: list[str]
    hosted_by: str | None


class IndustryRead(BaseModel):
    """A GB/T 4754 section or division."""

    model_config = ConfigDict(from_attributes=True)

    code: str
    name: str
    level: str
    parent_code: str | None
