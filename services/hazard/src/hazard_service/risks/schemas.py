"""Bodies of the risk point API."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from shared.contracts.vocabulary import RiskLevel


class MeasureKind(StrEnum):
    """Kinds of control measures."""

    ENGINEERING = "engineering"
    MANAGEMENT = "management"
    TRAINING = "training"
    PROTECTIVE_EQUIPMENT = "protective_equipment"
    EMERGENCY = "emergency"


class ControlMeasure(BaseModel):
    """One control measure of a risk point."""

    kind: MeasureKind
    measure: str = Field(min_length=2, max_length=1000)
    responsible_person: str | None = Field(default=None, max_length=100)
    check_frequency: str | None = Field(default=None, max_length=64, description="e.g. 每班, 每日, 每周.")


class RiskPointCreate(BaseModel):
    """A newly registered risk point."""

    model_config = ConfigDict(extra="forbid")

    enterprise_id: uuid.UUID
    name: str = Field(min_length=1, max_length=200)
    location: str | None = Field(default=None, max_length=300)
    level: RiskLevel
    hazard_factors: str | None = Field(default=None, max_length=4000)
    possible_accidents: str | None = Field(default=None, max_length=4000)
    control_measures: list[ControlMeasure] = Field(min_length=1, max_length=50)
    responsible_person: str = Field(min_length=1, max_length=100)
    responsible_phone: str | None = Field(default=None, max_length=32)
    responsible_unit: str | None = Field(default=None, max_length=200)
    longitude: float | None = Field(default=None, ge=-180, le=180)
    latitude: float | None = Field(default=None, ge=-90, le=90)


class RiskPointUpdate(BaseModel):
    """Changed fields of a risk point (omitted fields stay)."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, min_length=1, max_length=200)
    location: str | None = Field(default=None, max_length=300)
    level: RiskLevel | None = None
    hazard_factors: str | None = Field(default=None, max_length=4000)
    possible_accidents: str | None = Field(default=None, max_length=4000)
    control_measures: list[ControlMeasure] | None = Field(default=None, min_length=1, max_length=50)
    responsible_person: str | None = Field(default=None, min_length=1, max_length=100)
    responsible_phone: str | None = Field(default=None, max_length=32)
    responsible_unit: str | None = Field(default=None, max_length=200)
    longitude: float | None = Field(default=None, ge=-180, le=180)
    latitude: float | None = Field(default=None, ge=-90, le=90)

    @field_validator("name", "level", "control_measures", "responsible_person")
    @classmethod
    def _not_null(cls, value: object) -> object:
        """Omit a field to keep it; these ones cannot be cleared (a point always has them)."""
        if value is None:
            raise ValueError("cannot be null: omit the field to keep its value")
        return value


class RiskPointRetire(BaseModel):
    """Why a risk point no longer exists."""

    reason: str = Field(min_length=2, max_length=4000)


class RiskPointRead(BaseModel):
    """A risk point."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    enterprise_id: uuid.UUID
    enterprise_name: str | None
    township_code: str
    industry_code: str | None
    name: str
    location: str | None
    level: RiskLevel
    hazard_factors: str | None
    possible_accidents: str | None
    control_measures: list[dict[str, Any]]
    responsible_person: str
    responsible_phone: str | None
    responsible_unit: str | None
    longitude: float | None
    latitude: float | None
    status: str
    version: int
    created_at: datetime
    updated_at: datetime


class RiskMapProperties(BaseModel):
    """What the map shows of a risk point: its name, enterprise, township and four-colour level."""

    name: str
    enterprise_id: uuid.UUID
    enterprise_name: str | None
    township_code: str
    level: RiskLevel
    level_label: str = Field(description="重大风险, 较大风险, 一般风险 or 低风险")
    colour: str = Field(description="The level's colour as #RRGGBB: red, orange, yellow or blue")
    responsible_person: str


class RiskPointGeometry(BaseModel):
    """A GeoJSON Point at [longitude, latitude]."""

    type: Literal["Point"]
    coordinates: tuple[float, float]


class RiskMapFeature(BaseModel):
    """A located risk point as a GeoJSON Feature whose id is the risk point's id."""

    type: Literal["Feature"]
    id: uuid.UUID
    geometry: RiskPointGeometry
    properties: RiskMapProperties


class RiskMap(BaseModel):
    """The four-colour risk map: a GeoJSON FeatureCollection of the located risk points."""

    type: Literal["FeatureCollection"]
    features: list[RiskMapFeature]
