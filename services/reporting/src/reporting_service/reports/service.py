"""Report use cases: each builds its JSON body and the sheets its XLSX/CSV forms are written from."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from reporting_service import reference
from reporting_service.reports import supplementary
from reporting_service.reports.domain import CAMPAIGN_COLUMNS, DISPATCH_COLUMNS, RANKING_INDICATORS, rank_units
from reporting_service.reports.export import ROUNDING_NOTE, Chart, Sheet
from reporting_service.statistics.domain import ROUNDING_RULE, Period, PeriodKind, figures, resolve_period, wan_yuan
from reporting_service.statistics.schemas import FiltersRead
from reporting_service.statistics.service import build_filters, figures_by, unit_names
from shared.auth.scope import Scope
from shared.documents.pdf import chinese_date
from shared.errors import NotFound

UNIT_LABEL = {"department": "部门", "township": "乡镇"}


def _period_text(period: Period) -> str:
    return f"{chinese_date(period.date_from)}至{chinese_date(period.date_to)}"


def jurisdiction_name(scope: Scope) -> str:
    """What a report of `scope` covers, as its subtitle names it: the city or the caller's townships."""
    townships = build_filters(scope, FiltersRead()).township
    if townships is None:
        return "洪江市(全市)"
    names = reference.townships()
    return "、".join(names.get(code, code) for code in townships) or "无"


def _month_period(year: int, month: int) -> Period:
    return resolve_period(PeriodKind.MONTH, date(year, month, 1), None, None)


async def _unit_figures(
    session: AsyncSession, scope: Scope, period: Period, by: str, *, unassigned: bool = True
) -> tuple[list[tuple[str, str, dict[str, Any]]], dict[str, Any]]:
    """Figures of every known unit (zeros included) in order, then (if `unassigned`) figures counted
    under no or an unknown unit, so the rows add up to the total over the caller's scope."""
    filters = build_filters(scope, FiltersRead())
    per_key = await figures_by(session, period=period, filters=filters, group_by=by)
    total = (await figures_by(session, period=period, filters=filters))[""]
    empty = figures({}, {})
    names = unit_names(by)
    if by == "township" and filters.township is not None:
        names = {k: v for k, v in names.items() if k in filters.township}
    units = [(code, name, per_key.get(code, empty)) for code, name in names.items()]
    if unassigned:
        units += [(code, code or "未注明", figs) for code, figs in sorted(per_key.items()) if code not in names]
    return units, total


async def monthly_dispatch(
    *, session: AsyncSession, scope: Scope, year: int, month: int, by: str
) -> tuple[dict[str, Any], list[Sheet]]:
    """一月一调度统计表: each department or township's figures for the month and the year to date."""
    period = _month_period(year, month)
    to_date = Period(PeriodKind.CUSTOM, date(year, 1, 1), period.date_to)
    units, total = await _unit_figures(session, scope, period, by)
    cumulative_units, cumulative_total = await _unit_figures(session, scope, to_date, by)
    cumulative = {code: figs for code, _, figs in cumulative_units}
    rows: list[dict[str, Any]] = []
    for code, name, figs in [*units, ("total", "合计", total)]:
        year_figs = cumulative_total if code == "total" else cumulative[code]
        rows.append(
            {
                "code": code,
                "name": name,
                "month": {c.code: c.read(figs) for c in DISPATCH_COLUMNS},
                "year_to_date": {c.code: c.read(year_figs) for c in DISPATCH_COLUMNS},
            }
        )
    title = f"洪江市安全生产监管执法一月一调度统计表({year}年{month}月,按{UNIT_LABEL[by]})"
    body = {
        "title": title,
        "year": year,
        "month": month,
        "by": by,
        "period": {"date_from": period.date_from, "date_to": period.date_to},
        "columns": [{"code": c.code, "heading": c.heading} for c in DISPATCH_COLUMNS],
        "rows": rows,
        "rounding": ROUNDING_RULE,
    }
    headings = [
        UNIT_LABEL[by],
        *[c.heading for c in DISPATCH_COLUMNS],
        *[f"本年累计{c.heading}" for c in DISPATCH_COLUMNS],
    ]
    printed = [
        [r["name"], *(c.printed(r["month"][c.code]) for c in DISPATCH_COLUMNS)]
        + [c.printed(r["year_to_date"][c.code]) for c in DISPATCH_COLUMNS]
        for r in rows
    ]
    column = {c.code: n for n, c in enumerate(DISPATCH_COLUMNS, start=2)}
    where = jurisdiction_name(scope)
    sheet = Sheet(
        name="一月一调度",
        title=title,
        headings=headings,
        rows=printed[:-1],
        total=printed[-1],
        period=_period_text(period),
        jurisdiction=where,
        charts=[
            Chart(
                f"{year}年{month}月各{UNIT_LABEL[by]}执法与隐患排查",
                (column["inspections"], column["cases_filed"], column["hazards_found"]),
            ),
            Chart(f"{year}年{month}月各{UNIT_LABEL[by]}隐患整改率", (column["rectification_rate"],), y_title="%"),
        ],
    )
    trend = await _monthly_trend(session, scope, to_date, cumulative_total, where)
    return body, [sheet, trend]


TREND_COLUMNS = tuple(
    c
    for c in DISPATCH_COLUMNS
    if c.code in {"inspections", "cases_filed", "hazards_found", "hazards_rectified", "rectification_rate"}
)


async def _monthly_trend(
    session: AsyncSession, scope: Scope, to_date: Period, total: dict[str, Any], where: str
) -> Sheet:
    """A row per month of the year so far and the year-to-date total, charted as trend lines."""
    filters = build_filters(scope, FiltersRead())
    year, rows = to_date.date_from.year, []
    for number in range(1, to_date.date_to.month + 1):
        figs = (await figures_by(session, period=_month_period(year, number), filters=filters))[""]
        rows.append([f"{number}月", *(c.printed(c.read(figs)) for c in TREND_COLUMNS)])
    return Sheet(
        name="逐月趋势",
        title=f"洪江市安全生产监管执法{year}年1月至{to_date.date_to.month}月逐月趋势",
        headings=["月份", *(c.heading for c in TREND_COLUMNS)],
        rows=rows,
        total=["合计", *(c.printed(c.read(total)) for c in TREND_COLUMNS)],
        period=_period_text(to_date),
        jurisdiction=where,
        charts=[
            Chart("执法活动、立案与隐患排查逐月趋势", (2, 3, 4), kind="line"),
            Chart("隐患整改率逐月趋势", (6,), kind="line", y_title="%"),
        ],
    )


async def quarterly_ranking(
    *, session: AsyncSession, scope: Scope, year: int, quarter: int, by: str, weights: dict[str, int]
) -> tuple[dict[str, Any], list[Sheet]]:
    """一季一排名: units scored on weighted indicators, with the score breakdown."""
    period = resolve_period(PeriodKind.QUARTER, date(year, quarter * 3, 1), None, None)
    units, _ = await _unit_figures(session, scope, period, by, unassigned=False)
    ranked = rank_units(units, weights)
    title = f"洪江市安全生产监管执法一季一排名通报({year}年第{quarter}季度,按{UNIT_LABEL[by]})"
    body = {
        "title": title,
        "year": year,
        "quarter": quarter,
        "by": by,
        "period": {"date_from": period.date_from, "date_to": period.date_to},
        "weights": [
            {"indicator": code, "heading": RANKING_INDICATORS[code].heading, "weight": w} for code, w in weights.items()
        ],
        "method": "score = sum(value / best value * 100 * weight) / sum(weights); ties share a rank",
        "rows": [
            {"rank": u.rank, "code": u.code, "name": u.name, "score": u.score, "breakdown": u.breakdown} for u in ranked
        ],
        "rounding": ROUNDING_RULE,
    }
    headings = ["排名", UNIT_LABEL[by], "总得分"]
    for code, weight in weights.items():
        heading = RANKING_INDICATORS[code].heading
        headings += [heading, f"{heading}得分(权重{weight})"]
    rows = []
    for u in ranked:
        row: list[Any] = [u.name, u.rank, u.score]
        for part in u.breakdown:
            row += [RANKING_INDICATORS[part["indicator"]].printed(part["value"]), part["points"]]
        rows.append(row)
    headings[:2] = headings[1::-1]
    notes = ["得分 = Σ(本单位数值 ÷ 最高数值 × 100 × 权重) ÷ 权重合计;并列同名次。", ROUNDING_NOTE]
    sheet = Sheet(
        name="一季一排名",
        title=title,
        headings=headings,
        rows=rows,
        period=_period_text(period),
        jurisdiction=jurisdiction_name(scope),
        notes=notes,
        charts=[Chart(f"{year}年第{quarter}季度各{UNIT_LABEL[by]}总得分", (3,), y_title="分")],
    )
    return body, [sheet]


async def campaign_report(
    *, session: AsyncSession, scope: Scope, code: str, period: Period
) -> tuple[dict[str, Any], list[Sheet]]:
    """A campaign's figures overall and per township and industry over `period`."""
    name = reference.campaigns().get(code)
    if name is None:
        raise NotFound(f"campaign {code} not found")
    date_from, date_to = period.date_from, period.date_to
    requested = FiltersRead(campaign_code=code)
    filters = build_filters(scope, requested)
    overall = (await figures_by(session, period=period, filters=filters))[""]
    per_township = await figures_by(session, period=period, filters=filters, group_by="township")
    per_industry = await figures_by(session, period=period, filters=filters, group_by="industry")
    townships, industries = reference.townships(), reference.industries()
    title = f"洪江市{name}专项行动统计({chinese_date(date_from)}至{chinese_date(date_to)})"

    def table(per_key: dict[str, dict[str, Any]], names: dict[str, str]) -> list[dict[str, Any]]:
        return [
            {
                "code": k,
                "name": names.get(k, k or "未注明"),
                **{c.code: c.read(per_key[k]) for c in CAMPAIGN_COLUMNS},
            }
            for k in sorted(per_key)
        ]

    by_township, by_industry = table(per_township, townships), table(per_industry, industries)
    body = {
        "title": title,
        "campaign": {"code": code, "name": name},
        "period": {"date_from": date_from, "date_to": date_to},
        "figures": overall,
        "columns": [{"code": c.code, "heading": c.heading} for c in CAMPAIGN_COLUMNS],
        "by_township": by_township,
        "by_industry": by_industry,
        "rounding": ROUNDING_RULE,
    }
    headings = ["单位", *[c.heading for c in CAMPAIGN_COLUMNS]]

    where, span = jurisdiction_name(scope), _period_text(period)

    def sheet(label: str, table_rows: list[dict[str, Any]]) -> Sheet:
        return Sheet(
            name=f"分{label}",
            title=f"{title} — 分{label}",
            headings=[label, *headings[1:]],
            rows=[[r["name"], *[c.printed(r[c.code]) for c in CAMPAIGN_COLUMNS]] for r in table_rows],
            total=["合计", *[c.printed(c.read(overall)) for c in CAMPAIGN_COLUMNS]],
            period=span,
            jurisdiction=where,
            charts=[Chart(f"{name}分{label}隐患排查与整改", (2, 3)), Chart(f"{name}分{label}检查次数", (8,))],
        )

    return body, [sheet("乡镇", by_township), sheet("行业", by_industry)]


def _item(code: str, label: str, value: Any, unit: str) -> dict[str, Any]:
    return {"code": code, "label": label, "value": value, "unit": unit}


async def half_year_summary(
    *, session: AsyncSession, scope: Scope, year: int, half: int
) -> tuple[dict[str, Any], list[Sheet]]:
    """Every indicator of the bureau's half-year work report, computed from the events."""
    period = resolve_period(PeriodKind.HALF_YEAR, date(year, 1 if half == 1 else 7, 1), None, None)

    async def figs(campaign: str | None = None) -> dict[str, Any]:
        filters = build_filters(scope, FiltersRead(campaign_code=campaign))
        return (await figures_by(session, period=period, filters=filters))[""]

    whole = await figs()
    leader = whole["leader_inspections"]
    fire = await figs("medical_crowded_fire_check_2023")
    mining = await figs("crackdown_illegal_mining_2023")
    fireworks = await figs("crackdown_illegal_fireworks_2023")
    major = await figs("major_hazard_campaign_2023")
    h, e, s = whole["hazards"], whole["enforcement"], whole["supervisors"]
    sections: list[dict[str, Any]] = [
        {
            "code": "resident_supervisors",
            "title": "落实企业派驻制度",
            "items": [
                _item("supervisors", "驻企安全生产监督员", s["active"], "人"),
                _item("enterprises_covered", "派驻企业", s["enterprises_covered"], "家"),
                _item("enterprises_3plus", "3人以上企业", s["enterprises_3plus"], "家"),
                _item("enterprises_covered_3plus", "其中已派驻", s["enterprises_covered_3plus"], "家"),
                _item("coverage_rate_3plus", "3人以上企业派驻覆盖率", s["coverage_rate_3plus"], "%"),
                _item("visits", "监督员走访企业", s["visits"], "次"),
            ],
        },
        {
            "code": "leader_inspections",
            "title": "市级领导带队督导检查",
            "items": [
                _item("times", "带队督导检查", leader["times"], "次"),
                _item("persons", "出动督导检查人员", leader["persons"], "人次"),
                _item("units_checked", "检查生产经营单位", leader["units_checked"], "家"),
                _item("hazards_found", "发现问题隐患", leader["hazards_found"], "条"),
                _item("hazards_rectified", "已整改", leader["hazards_rectified"], "条"),
                _item("rectification_rate", "整改率", leader["rectification_rate"], "%"),
            ],
        },
        {
            "code": "fire_check",
            "title": "医养机构、人员密集场所消防安全大检查",
            "items": [
                _item("general_found", "发现并整改一般事故隐患", fire["hazards"]["general_found"], "处"),
                _item("general_rectified", "已完成整改", fire["hazards"]["general_rectified"], "处"),
                _item("fines_wan_yuan", "行政处罚", fire["enforcement"]["fines_wan_yuan"], "万元"),
            ],
        },
        {
            "code": "enforcement",
            "title": "强力推进监管执法",
            "items": [
                _item("inspections", "组织执法活动", e["inspections"], "次"),
                _item("persons_deployed", "出动执法人员", e["persons_deployed"], "人次"),
                _item("enterprise_checks", "检查生产经营单位", e["enterprise_checks"], "家次"),
                _item("cases_filed", "立案", e["cases_filed"], "起"),
                _item("fines_wan_yuan", "实施经济处罚", e["fines_wan_yuan"], "万元"),
                _item("stop_orders", "责令停产停业", e["stop_orders"], "家"),
                _item("licence_actions", "暂扣和吊销证照", e["licence_actions"], "个"),
                _item("closures", "取缔关闭", e["closures"], "处"),
                _item("detained_persons", "实施行政拘留", e["detained_persons"], "人次"),
                _item(
                    "delegated_simplified_cases",
                    "其中乡镇办理简易程序委托执法案件",
                    e["delegated_simplified_cases"],
                    "起",
                ),
                _item(
                    "delegated_simplified_fines_wan_yuan",
                    "乡镇简易程序委托执法行政处罚",
                    wan_yuan(e["delegated_simplified_fines_fen"]),
                    "万元",
                ),
            ],
        },
        {
            "code": "crackdown",
            "title": "常态开展“打非治违”",
            "items": [
                _item("mining_patrol_persons", "组织矿区巡查", mining["enforcement"]["crackdown_persons"], "人次"),
                _item(
                    "mining_sites_stopped", "制止非法采矿苗头", mining["enforcement"]["crackdown_sites_stopped"], "起"
                ),
                _item("mining_seizures", "收缴、处置(管线、设备等)", mining["enforcement"]["seizures"], "批"),
                _item(
                    "fireworks_joint_actions",
                    "烟花爆竹领域联合执法",
                    fireworks["enforcement"]["crackdown_actions"] + fireworks["enforcement"]["inspections"],
                    "次",
                ),
                _item(
                    "fireworks_seizure_value_wan_yuan",
                    "收缴非法烟花爆竹价值",
                    wan_yuan(fireworks["enforcement"]["seizure_value_fen"]),
                    "万元",
                ),
            ],
        },
        {
            "code": "major_hazard_campaign",
            "title": "重大事故隐患专项排查整治2023行动",
            "items": [
                _item("major_found", "排查重大事故隐患", major["hazards"]["major_found"], "处"),
                _item("major_self_reported", "其中企业自查发现", major["hazards"]["major_self_reported"], "处"),
                _item("major_listed", "政府挂牌督办重大隐患", major["hazards"]["major_listed"], "处"),
                _item("enterprise_checks", "部门抽查企业", major["enforcement"]["enterprise_checks"], "家次"),
                _item(
                    "inspections_with_findings",
                    "发现存在问题(检查次数)",
                    major["enforcement"]["inspections_with_findings"],
                    "次",
                ),
            ],
        },
        {
            "code": "turnaround_battle",
            "title": "打好安全生产翻身仗以来",
            "items": [
                _item("major_found", "排查重大事故隐患", h["major_found"], "处"),
                _item("major_rectified", "已整改", h["major_rectified"], "处"),
                _item("major_rectification_rate", "重大隐患整改率", h["major_rectification_rate"], "%"),
                _item("major_listed", "挂牌督办重大事故隐患", h["major_listed"], "处"),
                *[
                    _item(f"major_listed.{lvl}", f"其中{reference.LISTING_LEVEL_LABELS.get(lvl, lvl)}", n, "处")
                    for lvl, n in h["major_listed_by_level"].items()
                ],
                _item("listing_rate", "重大隐患挂牌率", h["listing_rate"], "%"),
                _item("general_found", "排查一般隐患", h["general_found"], "处"),
                _item("general_rectified", "已整改", h["general_rectified"], "处"),
                _item("general_rectification_rate", "一般隐患整改率", h["general_rectification_rate"], "%"),
                _item("cases_filed", "立案调查", e["cases_filed"], "起"),
                _item("penalty_decisions", "实施行政处罚", e["penalty_decisions"], "次"),
                _item("stop_orders", "停产停业整顿", e["stop_orders"], "家"),
                _item("closures_incl_revocations", "关闭(含吊销执照)", e["closures_incl_revocations"], "家"),
                _item("detained_persons", "行政拘留", e["detained_persons"], "人"),
                _item("exposures", "警示曝光", e["exposures"], "个"),
                _item("exposed_enterprises", "曝光企业", e["exposed_enterprises"], "家"),
                _item("typical_cases", "公布典型执法案例", e["typical_cases"], "个"),
                _item("interviews", "约谈通报", e["interviews"], "次"),
                _item("interview_persons", "约谈通报人数", e["interview_persons"], "人"),
            ],
        },
    ]
    entered = await supplementary.list_figures(session=session, date_from=period.date_from, date_to=period.date_to)
    sections.append(
        {
            "code": "supplementary",
            "title": "会议、宣传教育等(市安委办录入)",
            "items": [_item(f.indicator, f.label, f.value, f.unit) for f in sorted(entered, key=lambda f: f.indicator)],
        }
    )
    title = f"洪江市{year}年{'上' if half == 1 else '下'}半年安全生产工作主要指标"
    body = {
        "title": title,
        "year": year,
        "half": half,
        "period": {"date_from": period.date_from, "date_to": period.date_to},
        "sections": sections,
        "figures": whole,
        "rounding": ROUNDING_RULE,
    }
    where, span = jurisdiction_name(scope), _period_text(period)
    rows = [[sec["title"], it["label"], it["value"], it["unit"]] for sec in sections for it in sec["items"]]
    summary = Sheet("半年总结", title, ["板块", "指标", "数值", "单位"], rows, span, where)
    return body, [
        summary,
        rates_sheet(title, sections, span, where),
        await _closure_by_township(session, scope, period, where),
    ]


CHARTED_RATES = (
    ("turnaround_battle", "general_rectification_rate"),
    ("turnaround_battle", "major_rectification_rate"),
    ("turnaround_battle", "listing_rate"),
    ("leader_inspections", "rectification_rate"),
    ("resident_supervisors", "coverage_rate_3plus"),
)


def rates_sheet(title: str, sections: list[dict[str, Any]], span: str, where: str) -> Sheet:
    """The summary's closure and coverage rates as one table and bar chart."""
    items = {(sec["code"], it["code"]): it for sec in sections for it in sec["items"]}
    rows = [[items[key]["label"], items[key]["value"]] for key in CHARTED_RATES]
    return Sheet(
        "整改率",
        f"{title} — 整改率与覆盖率",
        ["指标", "比率(%)"],
        rows,
        span,
        where,
        charts=[Chart("隐患整改率、挂牌率与派驻覆盖率", (2,), y_title="%")],
    )


async def _closure_by_township(session: AsyncSession, scope: Scope, period: Period, where: str) -> Sheet:
    """Hazards found and rectified and the closure rate of each township, charted."""
    units, total = await _unit_figures(session, scope, period, "township")
    columns = [c for c in DISPATCH_COLUMNS if c.code in {"hazards_found", "hazards_rectified", "rectification_rate"}]
    return Sheet(
        "分乡镇隐患整改",
        f"洪江市{period.date_from.year}年{'上' if period.date_from.month == 1 else '下'}半年分乡镇隐患排查整改情况",
        ["乡镇", *(c.heading for c in columns)],
        [[name, *(c.read(figs) for c in columns)] for _, name, figs in units],
        _period_text(period),
        where,
        total=["合计", *(c.read(total) for c in columns)],
        charts=[Chart("各乡镇排查隐患与已整改", (2, 3)), Chart("各乡镇隐患整改率", (4,), y_title="%")],
    )
