"""The Chinese label of every code the hazard API uses: the maps the exports print, and those only clients show."""

from __future__ import annotations

from hazard_service.hazards.domain import Grade, Status
from hazard_service.hazards.photo_links import Variant
from hazard_service.hazards.schemas import (
    AssessmentKind,
    EscalationStep,
    HazardSort,
    HazardSource,
    NoticeKind,
    PhotoPhase,
)
from hazard_service.reference import GRADE_LABELS, SOURCE_LABELS, STATUS_LABELS
from hazard_service.risks.exports import MEASURE_KIND_LABELS
from hazard_service.risks.schemas import MeasureKind
from hazard_service.upstream.schemas import ReceiptIn
from shared.contracts.labels import Labels, label_codes
from shared.contracts.vocabulary import RISK_LEVEL_LABELS, RiskLevel
from shared.imports.jobs import FORMAT_LABELS, JOB_STATUS_LABELS, JobStatus

LABELS = Labels(
    {
        "Status": label_codes(Status, STATUS_LABELS),
        "Grade": label_codes(Grade, GRADE_LABELS),
        "HazardSource": label_codes(HazardSource, SOURCE_LABELS),
        "RiskLevel": label_codes(RiskLevel, RISK_LEVEL_LABELS),
        "MeasureKind": label_codes(MeasureKind, MEASURE_KIND_LABELS),
        "AssessmentKind": label_codes(AssessmentKind, {"self": "企业自行评估", "third_party": "第三方评估"}),
        "EscalationStep": label_codes(
            EscalationStep,
            {"warning": "警示", "interview": "约谈", "penalty": "行政处罚", "stop_order": "责令停产停业"},
        ),
        "NoticeKind": label_codes(
            NoticeKind,
            {"listing": "挂牌督办通报", "closure": "销号通报", "overdue": "逾期未整改通报", "other": "其他通报"},
        ),
        "PhotoPhase": label_codes(PhotoPhase, {"before": "整改前", "after": "整改后"}),
        "Variant": label_codes(Variant, {"original": "原图", "thumbnail": "缩略图"}),
        "HazardSort": label_codes(
            HazardSort,
            {
                "-reported_on": "上报日期（新到旧）",
                "reported_on": "上报日期（旧到新）",
                "deadline": "整改期限（近到远）",
                "-deadline": "整改期限（远到近）",
                "-created_at": "录入时间（新到旧）",
                "created_at": "录入时间（旧到新）",
            },
        ),
        "ReceiptStatus": label_codes(
            ReceiptIn.model_fields["status"].annotation,
            {"accepted": "已接收", "rejected": "已退回", "corrected": "已更正"},
        ),
        "ImportJobStatus": label_codes(JobStatus, JOB_STATUS_LABELS),
        "ImportFormat": FORMAT_LABELS,
    }
)
"""Every labelled enum of the hazard API by name (Literal codes are matched by their values)."""
