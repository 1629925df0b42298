"""The Chinese label of every code the reporting API uses, as clients show it to officials."""

from __future__ import annotations

from reporting_service.reports.service import UNIT_LABEL
from reporting_service.statistics.domain import PeriodKind
from shared.contracts.labels import Labels, label_codes

TABLE_FORMATS = {"json": "JSON 数据", "xlsx": "Excel 表格", "csv": "CSV 表格"}

LABELS = Labels(
    {
        "PeriodKind": label_codes(
            PeriodKind,
            {
                "day": "日",
                "month": "月",
                "quarter": "季度",
                "half_year": "半年",
                "year": "年",
                "custom": "自定义时段",
                "since_campaign": "专项行动开展以来",
            },
        ),
        # The codes below are Literal query parameters, labelled here by the values they take.
        "UnitDimension": UNIT_LABEL,
        "Breakdown": {**UNIT_LABEL, "industry": "行业", "campaign": "专项行动"},
        "Format": TABLE_FORMATS,
        "SummaryFormat": {**TABLE_FORMATS, "pdf": "PDF 文档"},
    }
)
"""Every labelled enum of the reporting API by name (Literal codes are matched by their values)."""
