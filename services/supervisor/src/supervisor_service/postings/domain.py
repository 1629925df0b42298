"""What a public notice says: the fixed wording and the facts it is built from."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

NOTICE_TITLE = "派驻企业安全生产监督员公示牌"
DUTIES: tuple[str, ...] = (
    "宣传贯彻安全生产法律法规和方针政策;",
    "督促企业落实安全生产主体责任, 健全安全生产责任制和管理制度;",
    "督促企业开展风险分级管控和隐患排查治理, 跟踪重大事故隐患整改;",
    "发现重大事故隐患和非法违法生产经营行为及时制止并报告;",
    "督促企业开展安全教育培训和应急演练, 定期走访并记录监督情况。",
)
ROSTER_HEADINGS: tuple[str, ...] = (
    "序号",
    "企业名称",
    "统一社会信用代码",
    "地址",
    "从业人数",
    "监督员",
    "所在单位",
    "职务",
    "联系电话",
    "派驻日期",
)


@dataclass(frozen=True)
class NoticeFacts:
    """Everything printed on an enterprise's notice."""

    enterprise_name: str
    credit_code: str
    address: str | None
    supervisor_name: str
    supervisor_unit: str
    supervisor_position: str | None
    supervisor_phone: str | None
    start_date: date
    complaint_hotline: str
    township_name: str | None

    def lines(self) -> list[tuple[str, str]]:
        """Label and value pairs in printing order."""
        return [
            ("企业名称", self.enterprise_name),
            ("统一社会信用代码", self.credit_code),
            ("企业地址", self.address or ""),
            ("监督员姓名", self.supervisor_name),
            ("所在单位", self.supervisor_unit),
            ("职务", self.supervisor_position or ""),
            ("联系电话", self.supervisor_phone or ""),
            ("派驻日期", self.start_date.isoformat()),
            ("投诉举报电话", self.complaint_hotline),
        ]
