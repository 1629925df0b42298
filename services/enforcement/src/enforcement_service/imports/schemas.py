"""The case import kind: its columns (Chinese headings of the template) and its row model."""

from __future__ import annotations

from decimal import Decimal
from itertools import pairwise
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from enforcement_service.cases.schemas import PartyType
from shared.imports import Heading, ImportKind
from shared.imports.words import cell_list, yes_or_no
from shared.validation import MAX_FEN, ActDate

PARTY_WORDS = {"单位": "unit", "生产经营单位": "unit", "个人": "person"}


class SimplifiedCaseRow(BaseModel):
    """A penalty decided on the spot (简易程序) in the past, with the days it was paid, executed and closed."""

    model_config = ConfigDict(str_strip_whitespace=True)

    party_type: PartyType
    party_name: str = Field(min_length=1, max_length=200)
    credit_code: str | None = Field(default=None, max_length=18)
    township_code: str | None = Field(default=None, pattern=r"^\d{12}$", description="Where a person was fined.")
    unit_code: str = Field(min_length=1, max_length=32, description="The acting unit: a township or a department.")
    cause: str = Field(min_length=1, max_length=4000)
    decided_on: ActDate
    warning: bool = False
    fine_yuan: Decimal = Field(default=Decimal(0), ge=0, le=Decimal(MAX_FEN) / 100, decimal_places=2)
    officers: list[str] = Field(min_length=2, max_length=20)
    paid_on: ActDate | None = None
    executed_on: ActDate | None = None
    closed_on: ActDate | None = None

    @model_validator(mode="after")
    def _placed(self) -> SimplifiedCaseRow:
        if not self.credit_code and not self.township_code:
            raise ValueError("give the enterprise's credit_code or the township_code")
        return self

    @field_validator("party_type", mode="before")
    @classmethod
    def _party_word(cls, value: Any) -> Any:
        return PARTY_WORDS.get(str(value).strip(), value)

    @field_validator("warning", mode="before")
    @classmethod
    def _flag(cls, value: Any) -> Any:
        return yes_or_no(value)

    @field_validator("officers", mode="before")
    @classmethod
    def _names(cls, value: Any) -> Any:
        return cell_list(value)

    @property
    def fine_fen(self) -> int:
        """The fine in fen."""
        return int(self.fine_yuan * 100)

    def order_problem(self) -> tuple[str, str] | None:
        """The first step dated before the one it follows, as (field, reason); None when in order."""
        steps = [("decided_on", self.decided_on), ("paid_on", self.paid_on)]
        steps += [("executed_on", self.executed_on), ("closed_on", self.closed_on)]
        dated = [(name, day) for name, day in steps if day is not None]
        for (before, earlier), (field, later) in pairwise(dated):
            if later < earlier:
                return field, f"must not be before {before}"
        if self.closed_on is not None and self.executed_on is None:
            return "executed_on", "a closed case was executed first"
        return None


SIMPLIFIED_CASES = ImportKind(
    name="simplified_cases",
    title="简易程序处罚案件历史导入",
    model=SimplifiedCaseRow,
    headings=(
        Heading("party_type", "当事人类型", required=True),
        Heading("party_name", "当事人", ("当事人名称",), required=True),
        Heading("credit_code", "统一社会信用代码"),
        Heading("township_code", "乡镇街道代码"),
        Heading("unit_code", "执法单位代码", required=True),
        Heading("cause", "案由", required=True),
        Heading("decided_on", "决定日期", required=True),
        Heading("warning", "警告"),
        Heading("fine_yuan", "罚款金额（元）", ("罚款金额(元)", "罚款金额")),
        Heading("officers", "执法人员", required=True),
        Heading("paid_on", "缴款日期"),
        Heading("executed_on", "执行日期"),
        Heading("closed_on", "结案日期"),
    ),
)
