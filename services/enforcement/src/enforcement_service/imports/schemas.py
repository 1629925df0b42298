"""The case import kind: its columns (Chinese headings of the template) and its row model."""

from __future__ import annotations

from decimal import Decimal
from itertools import pairwise
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from enforcement_service.cases.schemas import PartyType
from shared.imports import Heading, ImportKind
from shared.imports.words import cell_list, yes_or_no
from shared.validation import MAX_FEN, ActDate

PARTY_WORDS = {"单位": "unit", "生产经营单位": "unit", "个人": "person"}
PROCEDURE_WORDS = {"简易程序": "simplified", "简易": "simplified", "一般程序": "general", "一般": "general"}
# The dated steps of a closed case in the order they were taken; a general-procedure case takes them all.
SIMPLIFIED_STEPS: tuple[str, ...] = ("decided_on", "paid_on", "executed_on", "closed_on")
GENERAL_STEPS: tuple[str, ...] = (
    "filed_on",
    "reviewed_on",
    "discussed_on",
    "notified_on",
    "decided_on",
    "served_on",
    "paid_on",
)
GENERAL_STEPS += ("closure_approved_on", "executed_on", "closed_on")


class SimplifiedCaseRow(BaseModel):
    """A penalty of the past with the days it was paid, executed and closed: decided on the spot (简易程序), or under
    the general procedure (一般程序) from its filing, legal review, collective discussion, notice, decision and
    service, with stop orders (停产停业) and a closure (关闭) the government approved."""

    model_config = ConfigDict(str_strip_whitespace=True)

    procedure: Literal["simplified", "general"] = "simplified"
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
    filed_on: ActDate | None = None
    reviewed_on: ActDate | None = None
    discussed_on: ActDate | None = None
    notified_on: ActDate | None = None
    served_on: ActDate | None = None
    stop_production: bool = False
    closure_referral: bool = False
    closure_approved_on: ActDate | None = None

    @model_validator(mode="after")
    def _placed(self) -> SimplifiedCaseRow:
        if not self.credit_code and not self.township_code:
            raise ValueError("give the enterprise's credit_code or the township_code")
        if self.procedure == "simplified" and (self.stop_production or self.closure_referral):
            raise ValueError("stop orders and closures are decided under the general procedure (一般程序)")
        if self.procedure == "general" and None in (self.filed_on, self.notified_on, self.served_on):
            raise ValueError("a general-procedure case gives its filed_on, notified_on and served_on")
        return self

    @field_validator("procedure", mode="before")
    @classmethod
    def _procedure_word(cls, value: Any) -> Any:
        return PROCEDURE_WORDS.get(str(value).strip(), value) if value else "simplified"

    @field_validator("party_type", mode="before")
    @classmethod
    def _party_word(cls, value: Any) -> Any:
        return PARTY_WORDS.get(str(value).strip(), value)

    @field_validator("warning", "stop_production", "closure_referral", mode="before")
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
        steps = GENERAL_STEPS if self.procedure == "general" else SIMPLIFIED_STEPS
        dated = [(name, day) for name in steps if (day := getattr(self, name)) is not None]
        for (before, earlier), (field, later) in pairwise(dated):
            if later < earlier:
                return field, f"must not be before {before}"
        if self.closed_on is not None and self.executed_on is None:
            return "executed_on", "a closed case was executed first"
        if self.closure_referral and self.closed_on is not None and self.closure_approved_on is None:
            return "closure_approved_on", "a closed case knows the government's decision on the closure"
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
        Heading("procedure", "程序"),
        Heading("filed_on", "立案日期"),
        Heading("reviewed_on", "法制审核日期"),
        Heading("discussed_on", "集体讨论日期"),
        Heading("notified_on", "告知日期"),
        Heading("served_on", "送达日期"),
        Heading("stop_production", "责令停产停业"),
        Heading("closure_referral", "提请关闭"),
        Heading("closure_approved_on", "关闭批准日期"),
    ),
)
