"""The enterprise registry's import file (CSV or XLSX, read by `shared.imports`): its columns, by the API field
names or the Chinese labels of the usual 台账 template, and the words offices write in them."""

from __future__ import annotations

from shared.contracts.vocabulary import RISK_LEVEL_WORDS
from shared.imports import Heading, ImportKind, ParsedFile, read_file
from shared.imports.words import yes_or_no
from supervisor_service.enterprises.schemas import EnterpriseCreate

HEADINGS = (
    Heading("name", "单位名称", ("企业名称",), required=True),
    Heading("credit_code", "统一社会信用代码", required=True),
    Heading("industry_code", "行业代码", required=True),
    Heading("township_code", "乡镇代码", required=True),
    Heading("village_code", "村社区代码"),
    Heading("address", "地址"),
    Heading("longitude", "经度"),
    Heading("latitude", "纬度"),
    Heading("employee_count", "从业人数", required=True),
    Heading("high_risk", "高危行业"),
    Heading("risk_level", "风险等级"),
    Heading("supervising_department", "行业主管部门"),
)
REGISTRY_FILE = ImportKind(name="enterprises", title="企业台账", headings=HEADINGS, model=EnterpriseCreate)
RISK_WORDS = {word: level.value for word, level in RISK_LEVEL_WORDS.items()}


def read_import_file(content: bytes, filename: str | None, *, max_rows: int) -> ParsedFile:
    """Parse a CSV (UTF-8, optionally with BOM, or GBK/GB18030) or XLSX upload of the registry."""
    return read_file(REGISTRY_FILE, content, filename, max_rows=max_rows)


def normalise(values: dict[str, str]) -> dict[str, object]:
    """Field values as the create schema expects them (empty cells dropped, flags and risk words mapped)."""
    data: dict[str, object] = {k: v for k, v in values.items() if v != ""}
    if "high_risk" in values:
        data["high_risk"] = yes_or_no(values["high_risk"])
    if "risk_level" in data:
        data["risk_level"] = RISK_WORDS.get(str(data["risk_level"]), str(data["risk_level"]).lower())
    if "credit_code" in data:
        data["credit_code"] = str(data["credit_code"]).upper()
    return data
