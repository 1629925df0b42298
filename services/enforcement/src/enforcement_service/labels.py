"""The Chinese label of every code the enforcement API uses, as clients show it to officials."""

from __future__ import annotations

from enforcement_service.cases.domain import ExecutionHow, ItemKind, Outcome, Procedure, Stage
from enforcement_service.cases.schemas import CaseSource, PartyType
from enforcement_service.delegations.schemas import DelegableAct
from enforcement_service.inspections.schemas import Grade, InspectionKind
from enforcement_service.leads.domain import LeadStatus
from enforcement_service.plans.schemas import UnitType
from shared.contracts.labels import Labels, label_codes
from shared.imports.jobs import FORMAT_LABELS, JOB_STATUS_LABELS, JobStatus

ITEM_KIND_LABELS = label_codes(
    ItemKind,
    {
        "warning": "警告",
        "fine": "罚款",
        "confiscation": "没收违法所得、非法财物",
        "stop_production": "责令停产停业",
        "licence_suspension": "暂扣许可证",
        "licence_revocation": "吊销许可证",
        "closure_referral": "提请予以关闭",
        "detention_referral": "移送公安机关行政拘留",
    },
)
"""Kinds of penalty (行政处罚种类) a decision's items impose."""

LABELS = Labels(
    {
        "Stage": label_codes(
            Stage,
            {
                "filed": "立案",
                "investigation": "调查取证",
                "legal_review": "法制审核",
                "collective_discussion": "集体讨论",
                "notified": "告知",
                "hearing": "听证",
                "decided": "作出决定",
                "served": "送达",
                "executed": "执行",
                "closed": "结案",
                "archived": "归档",
            },
        ),
        "Procedure": label_codes(Procedure, {"general": "一般程序", "simplified": "简易程序"}),
        "ItemKind": ITEM_KIND_LABELS,
        "DelegableAct": label_codes(
            DelegableAct,
            {**ITEM_KIND_LABELS, "simplified_procedure": "简易程序处罚", "general_procedure": "一般程序处罚"},
        ),
        "Outcome": label_codes(
            Outcome, {"penalty": "给予行政处罚", "no_penalty": "不予行政处罚", "transfer_judiciary": "移送司法机关"}
        ),
        "ExecutionHow": label_codes(
            ExecutionHow, {"voluntary": "自觉履行", "court_enforced": "申请法院强制执行", "not_applicable": "无需执行"}
        ),
        "CaseSource": label_codes(
            CaseSource,
            {
                "inspection": "监督检查发现",
                "lead": "案件线索",
                "complaint": "举报投诉",
                "referral": "移送交办",
                "other": "其他",
            },
        ),
        "PartyType": label_codes(PartyType, {"unit": "单位", "person": "个人"}),
        "ImportJobStatus": label_codes(JobStatus, JOB_STATUS_LABELS),
        "ImportFormat": FORMAT_LABELS,
        "InspectionKind": label_codes(
            InspectionKind,
            {
                "routine": "日常检查",
                "leader_led": "领导带队检查",
                "joint": "联合检查",
                "night_raid": "夜查突击检查",
                "campaign": "专项检查",
                "complaint": "举报核查",
                "follow_up": "复查",
            },
        ),
        "Grade": label_codes(Grade, {"general": "一般事故隐患", "major": "重大事故隐患"}),
        "LeadStatus": label_codes(LeadStatus, {"open": "待处理", "accepted": "已受理", "dismissed": "不予受理"}),
        "UnitType": label_codes(UnitType, {"department": "部门", "township": "乡镇"}),
    }
)
"""Every labelled enum of the enforcement API by name (Literal codes are matched by their values)."""
