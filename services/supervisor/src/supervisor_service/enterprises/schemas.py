"""Request and response bodies of the enterprise API."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from shared.contracts.vocabulary import RiskLevel
from shared.http.list_rows import ListRows
from shared.http.pagination import UpdatedSince
from shared.validation import ActDate
from supervisor_service.enterprises.domain import EnterpriseStatus, SizeBand, credit_code_problem

DIVISION_CODE = r"^\d{12}$"
INDUSTRY_CODE = r"^([A-T]|\d{2,4})$"


def _normalised_credit_code(value: str) -> str:
    value = value.strip().upper()
    problem = credit_code_problem(value)
    if problem:
        raise ValueError(problem)
    return value


class EnterpriseCreate(BaseModel):
    """A new enterprise."""

    model_config = ConfigDict(
        str_strip_whitespace=True,
        json_schema_extra={
            "examples": [
                {
                    "name": "洪江市安江镇宏达木材加工厂",
                    "credit_code": "91431281MA4PEM8F7R",
                    "industry_code": "20",
                    "township_code": "431281102000",
                    "village_code": "431281102003",
                    "address": "洪江市安江镇工业园区8号",
                    "longitude": 110.095,
                    "latitude": 27.318,
                    "employee_count": 45,
                    "high_risk": False,
                    "risk_level": "general",
                    "supervising_department": "yjj",
                    "registered_on": "2025-03-15",
                }
            ]
        },
    )

    name: str = Field(min_length=2, max_length=200, description="Registered name (单位名称).")
    credit_code: str = Field(description="Unified social credit code (统一社会信用代码), GB 32100-2015.")
    industry_code: str = Field(pattern=INDUSTRY_CODE, description="GB/T 4754 code: section letter or 2-4 digits.")
    township_code: str = Field(pattern=DIVISION_CODE, description="Township division code (12 digits).")
    village_code: str | None = Field(default=None, pattern=DIVISION_CODE)
    address: str | None = Field(default=None, max_length=300)
    longitude: float | None = Field(default=None, ge=-180, le=180)
    latitude: float | None = Field(default=None, ge=-90, le=90)
    employee_count: int = Field(ge=0, le=1_000_000)
    high_risk: bool = False
    risk_level: RiskLevel | None = None
    supervising_department: str | None = Field(
        default=None, max_length=16, description="Department code of the industry regulator (行业主管部门)."
    )
    registered_on: ActDate | None = Field(
        default=None, description="The day the enterprise entered the registry (登记日期); today when omitted."
    )

    @field_validator("credit_code")
    @classmethod
    def _valid_credit_code(cls, value: str) -> str:
        return _normalised_credit_code(value)


class EnterpriseUpdate(BaseModel):
    """Fields to change (PATCH); status changes are actions of their own."""

    model_config = ConfigDict(str_strip_whitespace=True)

    name: str | None = Field(default=None, min_length=2, max_length=200)
    credit_code: str | None = None
    industry_code: str | None = Field(default=None, pattern=INDUSTRY_CODE)
    township_code: str | None = Field(default=None, pattern=DIVISION_CODE)
    village_code: str | None = Field(default=None, pattern=DIVISION_CODE)
    address: str | None = Field(default=None, max_length=300)
    longitude: float | None = Field(default=None, ge=-180, le=180)
    latitude: float | None = Field(default=None, ge=-90, le=90)
    employee_count: int | None = Field(default=None, ge=0, le=1_000_000)
    high_risk: bool | None = None
    risk_level: RiskLevel | None = None
    supervising_department: str | None = Field(default=None, max_length=16)
    registered_on: ActDate | None = Field(default=None, description="Correct the day of registration (登记日期).")

    @field_validator("credit_code")
    @classmethod
    def _valid_credit_code(cls, value: str | None) -> str | None:
        return None if value is None else _normalised_credit_code(value)


class StatusChange(BaseModel):
    """Why the status changes (kept in the event)."""

    reason: str | None = Field(default=None, max_length=500)


class EnterpriseRead(BaseModel):
    """An enterprise as the API returns it."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    credit_code: str
    industry_code: str
    industry_section: str
    township_code: str
    village_code: str | None
    address: str | None
    longitude: float | None
    latitude: float | None
    employee_count: int
    high_risk: bool
    risk_level: RiskLevel | None
    supervising_department: str | None
    status: EnterpriseStatus
    registered_on: date
    version: int
    created_at: datetime
    updated_at: datetime


class EnterpriseListItem(EnterpriseRead):
    """An enterprise in a list, with its current resident supervisor."""

    supervisor_id: uuid.UUID | None = None
    supervisor_name: str | None = None


ENTERPRISE_ROWS = ListRows(EnterpriseListItem)


class EnterpriseFilters(BaseModel):
    """List filters; every one is served by an index."""

    q: str | None = Field(default=None, description="Substring of the name (Chinese or Latin), or a credit code.")
    township_code: str | None = None
    industry_code: str | None = Field(default=None, description="Section letter, division or longer code prefix.")
    size: SizeBand | None = None
    min_employees: int | None = Field(default=None, ge=0)
    max_employees: int | None = Field(default=None, ge=0)
    risk_level: RiskLevel | None = None
    high_risk: bool | None = None
    status: EnterpriseStatus | None = None
    covered: bool | None = Field(default=None, description="true: has an active resident supervisor.")
    supervising_department: str | None = None
    updated_since: UpdatedSince = None


class ImportRowError(BaseModel):
    """One bad row of an import file."""

    line: int = Field(description="Line (CSV) or row (XLSX) number in the file; the heading is line 1.")
    field: str | None
    reason: str


class ImportReport(BaseModel):
    """What an import did or would do."""

    dry_run: bool
    applied: bool
    rows: int
    created: int
    updated: int
    unchanged: int
    invalid: int
    errors: list[ImportRowError]
    format: Literal["csv", "xlsx"]
