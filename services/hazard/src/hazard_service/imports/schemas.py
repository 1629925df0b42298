"""The hazard import kind: its columns (Chinese headings of the template) and its row model."""

from __future__ import annotations

from decimal import Decimal
from itertools import pairwise
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from hazard_service.hazards.schemas import HazardSource
from hazard_service.reference import SOURCE_LABELS
from shared.imports import Heading, ImportKind
from shared.imports.words import cell_list
from shared.validation import MAX_FEN, ActDate

SOURCE_WORDS = {label: code for code, label in SOURCE_LABELS.items()}


class HazardRow(BaseModel):
    """A general hazard of the history, with the days of its closed loop so far (later steps may stay empty)."""

    model_config = ConfigDict(str_strip_whitespace=True)

    credit_code: str = Field(max_length=18, description="The enterprise's 统一社会信用代码 (registered already).")
    source: HazardSource
    description: str = Field(min_length=2, max_length=4000)
    reported_on: ActDate = Field(description="The day the hazard was found (发现日期).")
    deadline: ActDate | None = Field(default=None, description="Rectification deadline (整改期限).")
    rectified_on: ActDate | None = None
    verified_on: ActDate | None = Field(default=None, description="Verification day; the closing day when empty.")
    closed_on: ActDate | None = None
    funds_spent_yuan: Decimal | None = Field(default=None, ge=0, le=Decimal(MAX_FEN) / 100, decimal_places=2)
    category: str | None = Field(default=None, max_length=64)
    location: str | None = Field(default=None, max_length=300)
    department_code: str | None = Field(default=None, max_length=32)
    campaign_codes: list[str] = Field(default_factory=list, max_length=20)
    reporter_name: str | None = Field(default=None, max_length=100)
    reporting_unit: str | None = Field(default=None, max_length=200)

    @field_validator("credit_code")
    @classmethod
    def _upper(cls, value: str) -> str:
        return value.upper()

    @field_validator("source", mode="before")
    @classmethod
    def _source_word(cls, value: Any) -> Any:
        return SOURCE_WORDS.get(str(value).strip(), value)

    @field_validator("campaign_codes", mode="before")
    @classmethod
    def _codes(cls, value: Any) -> Any:
        return cell_list(value)

    def order_problem(self) -> tuple[str, str] | None:
        """The first step dated before the one it follows, or left out while a later one is given."""
        steps = (
            ("deadline", self.deadline),
            ("rectified_on", self.rectified_on),
            ("closed_on", self.closed_on),
        )
        for (earlier, before), (later, after) in pairwise(steps):
            if after is not None and before is None:
                return later, f"needs {earlier}"
        for name, day in (("rectified_on", self.rectified_on), ("verified_on", self.verified_on)):
            if day is not None and day < self.reported_on:
                return name, "before reported_on"
        verified = self.verified_on or self.closed_on
        if verified is not None and self.rectified_on is not None and verified < self.rectified_on:
            return "verified_on", "before rectified_on"
        if self.closed_on is not None and verified is not None and self.closed_on < verified:
            return "closed_on", "before verified_on"
        return None


HAZARDS = ImportKind(
    name="hazards",
    title="隐患历史导入",
    model=HazardRow,
    headings=(
        Heading("credit_code", "统一社会信用代码", required=True),
        Heading("source", "隐患来源", required=True),
        Heading("description", "隐患描述", required=True),
        Heading("reported_on", "发现日期", required=True),
        Heading("deadline", "整改期限"),
        Heading("rectified_on", "整改完成日期"),
        Heading("verified_on", "验收日期"),
        Heading("closed_on", "销号日期"),
        Heading("funds_spent_yuan", "整改资金（元）", ("整改资金(元)",)),
        Heading("category", "隐患类别"),
        Heading("location", "隐患部位"),
        Heading("department_code", "主管部门代码"),
        Heading("campaign_codes", "专项行动"),
        Heading("reporter_name", "发现人"),
        Heading("reporting_unit", "发现单位"),
    ),
)
