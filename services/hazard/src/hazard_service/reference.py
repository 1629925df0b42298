"""Reference data the hazard service reads from the shared package (labels, campaigns, standards)."""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files
from typing import Any

SOURCE_LABELS = {
    "self_report": "企业自查自报",
    "department_inspection": "部门检查",
    "leader_inspection": "领导带队督导检查",
    "resident_supervisor": "派驻监督员",
    "complaint": "举报投诉",
    "referral": "上级交办",
}
GRADE_LABELS = {"general": "一般事故隐患", "major": "重大事故隐患"}
STATUS_LABELS = {
    "reported": "已上报",
    "judged": "已判定",
    "ledgered": "已入台账",
    "listed": "已挂牌督办",
    "plan_accepted": "方案已审定",
    "rectifying": "整改中",
    "rectified": "已整改",
    "verified": "已验证",
    "assessed": "已评估",
    "acceptance_applied": "已申请验收",
    "reviewed": "已复核",
    "closed": "已销号",
    "withdrawn": "已撤回",
}


def load(name: str) -> dict[str, Any]:
    """A reference data file of the shared package."""
    data: dict[str, Any] = json.loads((files("shared") / "reference_data" / name).read_text(encoding="utf-8"))
    return data


@cache
def campaign_codes() -> frozenset[str]:
    """Codes of the campaigns (专项行动) hazards may be tagged with."""
    return frozenset(item["code"] for item in load("campaigns.json")["items"])


@cache
def division_names() -> dict[str, str]:
    """Names of the jurisdictions by code."""
    return {item["code"]: item["name"] for item in load("jurisdictions.json")["items"]}


@cache
def industry_names() -> dict[str, str]:
    """Names of GB/T 4754 sections and divisions by code."""
    return {item["code"]: item["name"] for item in load("industries.json")["items"]}


def industry_name(code: str | None) -> str:
    """The label of an industry code, falling back to its division (first two digits)."""
    if not code:
        return ""
    names = industry_names()
    return names.get(code) or names.get(code[:2]) or code
