"""Request and response bodies of the enterprise API."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, field_validator

from supervisor_service.enterprises.domain import EnterpriseStatus, credit_code_problem

DIVISION_CODE = r"^\d{12}$"


class EnterpriseCreate(BaseModel):
    """A new enterprise."""

    name: str = Field(min_length=2, max_length=200, description="Registered name (单位名称).")
    credit_code: str = Field(description="Unified social credit code (统一社会信用代码), GB 32100-2015.")
    industry_code: str = Field(pattern=r"^[A-T](\d{2,4})?$|^\d{2,4}$", description="GB/T 4754 industry code.")
    township_code: str = Field(pattern=DIVISION_CODE, description="Township division code (12 digits).")
    village_code: str | None = Field(default=None, pattern=DIVISION_CODE)
    address: str | None = Field(default=None, max_length=300)
    longitude: float | None = Field(default=None, ge=-180, le=180)
    latitude: float | None = Field(default=None, ge=-90, le=90)
    employee_count: int = Field(ge=0, le=1_000_000)
    high_risk: bool = False
    risk_level: str | None = Field(default=None, pattern=r"^(major|large|general|low)$")

    @field_validator("credit_code")
    @classmethod
    def _valid_credit_code(cls, value: str) -> str:
        value = value.strip().upper()
        problem = credit_code_problem(value)
        if problem:
            raise ValueError(problem)
        return value


class EnterpriseRead(BaseModel):
    """An enterprise as the API returns it."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    credit_code: str
    industry_code: str
    township_code: str
    village_code: str | None
    address: str | None
    longitude: float | None
    latitude: float | None
    employee_count: int
    high_risk: bool
    risk_level: str | None
    status: EnterpriseStatus
    version: int
    created_at: datetime
    updated_at: datetime
