"""The Chinese label of every code the supervisor API uses, as clients show it to officials."""

from __future__ import annotations

from shared.contracts.labels import Labels, label_codes
from shared.contracts.vocabulary import RISK_LEVEL_LABELS, RiskLevel
from shared.imports.jobs import FORMAT_LABELS, JOB_STATUS_LABELS, JobStatus
from supervisor_service.enterprises.domain import EnterpriseStatus, SizeBand
from supervisor_service.supervisors.schemas import OrgKind
from supervisor_service.visits.domain import GradeSuggestion

LABELS = Labels(
    {
        "EnterpriseStatus": label_codes(
            EnterpriseStatus, {"operating": "正常生产经营", "suspended": "停产停业", "closed": "已关闭"}
        ),
        "RiskLevel": label_codes(RiskLevel, RISK_LEVEL_LABELS),
        "SizeBand": label_codes(
            SizeBand,
            {
                "micro": "微型（10人以下）",
                "small": "小型（10至99人）",
                "medium": "中型（100至299人）",
                "large": "大型（300人以上）",
            },
        ),
        "OrgKind": label_codes(OrgKind, {"department": "部门", "township": "乡镇"}),
        "GradeSuggestion": label_codes(GradeSuggestion, {"general": "一般事故隐患", "major": "重大事故隐患"}),
        # The codes below are Literal parameters and fields, labelled here by the values they take.
        "ReferenceKind": {"jurisdictions": "行政区划", "departments": "部门", "industries": "行业分类"},
        "JurisdictionLevel": {"city": "市", "township": "乡镇（街道）", "village": "村（社区）"},
        "ImportOutcome": {"imported": "已导入", "unchanged": "无变化"},
        "ImportFormat": FORMAT_LABELS,
        "ImportKind": {"enterprises": "企业", "supervisors": "派驻监督员", "assignments": "派驻关系"},
        "ImportJobStatus": label_codes(JobStatus, JOB_STATUS_LABELS),
    }
)
"""Every labelled enum of the supervisor API by name (Literal codes are matched by their values)."""
