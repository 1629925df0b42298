"""The import kinds of the registry: their columns (Chinese headings of the template) and row models."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from shared.imports import Heading, ImportKind
from shared.imports.words import yes_or_no
from shared.validation import ActDate
from supervisor_service.enterprises.importing import HEADINGS, RISK_WORDS
from supervisor_service.enterprises.schemas import EnterpriseCreate
from supervisor_service.supervisors.schemas import SupervisorCreate

ORG_KIND_WORDS = {"部门": "department", "乡镇": "township", "乡镇街道": "township"}


class EnterpriseRow(EnterpriseCreate):
    """An enterprise of the registry's history, with the day it was registered."""

    registered_on: ActDate = Field(description="The day the enterprise entered the registry (登记日期).")

    @field_validator("high_risk", mode="before")
    @classmethod
    def _flag(cls, value: Any) -> Any:
        return yes_or_no(value)

    @field_validator("risk_level", mode="before")
    @classmethod
    def _risk_word(cls, value: Any) -> Any:
        return RISK_WORDS.get(str(value).strip(), str(value).strip().lower())


class SupervisorRow(SupervisorCreate):
    """A resident supervisor of the registry's history, with the day they took office."""

    appointed_on: ActDate = Field(description="The day the supervisor took office (任职日期).")

    @field_validator("org_kind", mode="before")
    @classmethod
    def _org_word(cls, value: Any) -> Any:
        return ORG_KIND_WORDS.get(str(value).strip(), value)


class AssignmentRow(BaseModel):
    """An assignment of the history: who was resident where, from when, and until when if it ended."""

    model_config = ConfigDict(str_strip_whitespace=True)

    supervisor_code: str = Field(max_length=32)
    credit_code: str = Field(max_length=18)
    start_date: ActDate
    end_date: ActDate | None = None
    end_reason: str | None = Field(default=None, max_length=200)

    @field_validator("credit_code")
    @classmethod
    def _upper(cls, value: str) -> str:
        return value.upper()

    def end_problem(self) -> str | None:
        """Why the end date cannot be right (None when it can)."""
        end: date | None = self.end_date
        return "must not be before the start date" if end is not None and end < self.start_date else None


ENTERPRISES = ImportKind(
    name="enterprises",
    title="企业登记历史导入",
    model=EnterpriseRow,
    headings=(*HEADINGS, Heading("registered_on", "登记日期", required=True)),
)
SUPERVISORS = ImportKind(
    name="supervisors",
    title="派驻监督员历史导入",
    model=SupervisorRow,
    headings=(
        Heading("code", "监督员编号", ("编号",), required=True),
        Heading("name", "姓名", required=True),
        Heading("org_kind", "单位类型", required=True),
        Heading("org_code", "单位代码", required=True),
        Heading("position", "职务"),
        Heading("phone", "联系电话", ("电话",)),
        Heading("appointed_on", "任职日期", required=True),
    ),
)
ASSIGNMENTS = ImportKind(
    name="assignments",
    title="派驻关系历史导入",
    model=AssignmentRow,
    headings=(
        Heading("supervisor_code", "监督员编号", required=True),
        Heading("credit_code", "统一社会信用代码", required=True),
        Heading("start_date", "派驻日期", required=True),
        Heading("end_date", "结束日期"),
        Heading("end_reason", "结束原因"),
    ),
)
KINDS: dict[str, ImportKind[Any]] = {kind.name: kind for kind in (ENTERPRISES, SUPERVISORS, ASSIGNMENTS)}
