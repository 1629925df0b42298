"""The acceptance test of #16: a half-year of history imported with its effective dates (CSV and XLSX files)
yields the same figures "as of" its last day as the same half-year entered live through the APIs.

Each side is the same history (30 enterprises, 8 supervisors, 12 assignments of which two ended and were
reassigned, 20 hazards of which some closed, 6 closed simplified-procedure cases with warnings and fines, 2 closed
general-procedure cases with stop orders and a closure) in a township of its own, so the reporting service's
figures of one township are compared with the other's."""

from __future__ import annotations

import csv
import io
import random
import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import httpx
from openpyxl import Workbook

from shared.testing.helpers import token, wait_for
from shared.testing.plugin import Stack

from .conftest import credit_code

CITY = "431281000000"
LIVE, IMPORTED = "431281104000", "431281106000"  # 雪峰镇, 江市镇: no other test writes there
EMPLOYEES = (1, 2, 3, 5, 8, 12)


@dataclass
class History:
    """One township's half-year: the rows of the four import files, also walked through the APIs."""

    township: str
    enterprises: list[dict[str, Any]] = field(default_factory=list)
    supervisors: list[dict[str, Any]] = field(default_factory=list)
    assignments: list[dict[str, Any]] = field(default_factory=list)
    hazards: list[dict[str, Any]] = field(default_factory=list)
    cases: list[dict[str, Any]] = field(default_factory=list)


def history(township: str, year: int) -> History:
    """The same dated history in `township` (fresh credit codes and staff codes each time)."""
    day = date(year, 1, 1)
    tag = uuid.uuid4().hex[:6]
    h = History(township)
    for i in range(30):
        h.enterprises.append(
            {
                "name": f"洪江市历史{tag}第{i:02d}厂",
                "credit_code": credit_code(),
                "employee_count": EMPLOYEES[i % len(EMPLOYEES)],
                "registered_on": day + timedelta(days=5 * i),
            }
        )
    for k in range(8):
        h.supervisors.append(
            {"code": f"H{tag}-{k}", "name": f"历史监督员{k}号", "appointed_on": day + timedelta(days=2 + 7 * k)}
        )
    for k in range(12):
        # Enterprises 2 and 5 are reassigned: their first assignment ends, a second starts later.
        j = (2, 5)[k - 10] if k >= 10 else k
        supervisor = h.supervisors[k % 8]
        start = max(h.enterprises[j]["registered_on"], supervisor["appointed_on"]) + timedelta(days=3 + 50 * (k >= 10))
        end = start + timedelta(days=40) if k in (2, 5) else None
        h.assignments.append(
            {"supervisor_code": supervisor["code"], "credit_code": h.enterprises[j]["credit_code"]}
            | {"start_date": start, "end_date": end, "end_reason": "调整" if end else None}
        )
    for n in range(20):
        found = day + timedelta(days=19 + 7 * n)
        stage = n % 4  # closed, rectified, rectifying (some deadlines missed in the half), only reported
        h.hazards.append(
            {
                "credit_code": h.enterprises[n % 30]["credit_code"],
                "source": ("department_inspection", "self_report")[n % 2],
                "description": f"历史隐患{n:02d}",
                "reported_on": found,
                "deadline": found + timedelta(days=(20, 20, 10)[stage]) if stage < 3 else None,
                "rectified_on": found + timedelta(days=10 + 2 * stage) if stage < 2 else None,
                "closed_on": found + timedelta(days=15) if stage == 0 else None,
                "funds_spent_yuan": 1000 if stage == 0 else None,
            }
        )
    for n in range(6):
        # Simplified-procedure (简易程序) decisions: warnings, fines in 元 (a person's up to 200, a unit's up to 3,000),
        # paid, executed and closed within the half-year.
        decided = day + timedelta(days=30 + 20 * n)
        fine = ("0", "500", "1500.50", "3000", "0", "200")[n]
        paid = decided + timedelta(days=3) if fine != "0" else None
        executed = paid or decided + timedelta(days=1)
        party = {"party_type": "person", "party_name": f"历史当事人{n}", "township_code": township}
        if n < 5:
            party = {"party_type": "unit", "party_name": h.enterprises[n]["name"]}
            party["credit_code"] = h.enterprises[n]["credit_code"]
        h.cases.append(
            party
            | {"unit_code": "yjj", "cause": f"历史案件{n}", "decided_on": decided, "warning": n in (0, 3, 4)}
            | {"fine_yuan": fine, "officers": ["李四", "王五"], "paid_on": paid, "executed_on": executed}
            | {"closed_on": executed + timedelta(days=2)}
        )
    for n, fine in ((6, "50000"), (7, "0")):
        # General-procedure (一般程序) cases with a stop order (停产停业); the first also a closure (关闭) the
        # government approved, and a fine paid.
        filed = day + timedelta(days=40 + 20 * (n - 6))
        dates = dict(zip(GENERAL_STEPS, (0, 8, 10, 12, 18, 19, 22, 30, 35, 37), strict=True))
        on = {k: filed + timedelta(days=d) for k, d in dates.items() if fine != "0" or k not in FINE_STEPS}
        h.cases.append(
            {
                "party_type": "unit",
                "party_name": h.enterprises[n]["name"],
                "credit_code": h.enterprises[n]["credit_code"],
            }
            | {"unit_code": "yjj", "cause": f"历史案件{n}", "warning": n == 7, "fine_yuan": fine}
            | {"officers": ["李四", "王五"], "procedure": "general", "stop_production": True}
            | {"closure_referral": n == 6}
            | on
        )
    return h


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
FINE_STEPS = ("paid_on", "closure_approved_on")  # dated only in the case with a fine and a closure


def _fen(yuan: str) -> int:
    return int(Decimal(yuan) * 100)


def _cell(value: Any) -> Any:
    return "" if value is None else value


def _csv(rows: list[dict[str, Any]], headings: dict[str, str], encoding: str) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headings.values())
    writer.writerows([[_cell(row.get(key)) for key in headings] for row in rows])
    return out.getvalue().encode(encoding)


def _xlsx(rows: list[dict[str, Any]], headings: dict[str, str]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(list(headings.values()))
    for row in rows:
        sheet.append([row.get(key) for key in headings])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


async def _created(response: httpx.Response) -> Any:
    assert response.status_code == 201, response.text
    return response.json()


async def enter_live(system: dict[str, httpx.AsyncClient], admin: dict[str, str], h: History) -> None:
    """The history entered one record and one step at a time through the services' APIs."""
    registry, hazards = system["supervisor"], system["hazard"]
    enterprise_ids = {}
    for e in h.enterprises:
        body = {k: str(v) if isinstance(v, date) else v for k, v in e.items()}
        body |= {"industry_code": "20", "township_code": h.township}
        enterprise_ids[e["credit_code"]] = (
            await _created(await registry.post("/api/v1/enterprises", json=body, headers=admin))
        )["id"]
    supervisor_ids = {}
    for s in h.supervisors:
        body = {"code": s["code"], "name": s["name"], "org_kind": "township", "org_code": h.township}
        body["appointed_on"] = s["appointed_on"].isoformat()
        created = await _created(await registry.post("/api/v1/supervisors", json=body, headers=admin))
        supervisor_ids[s["code"]] = created["id"]
    for a in h.assignments:
        body = {
            "supervisor_id": supervisor_ids[a["supervisor_code"]],
            "enterprise_ids": [enterprise_ids[a["credit_code"]]],
            "start_date": a["start_date"].isoformat(),
        }
        (assignment,) = await _created(await registry.post("/api/v1/assignments", json=body, headers=admin))
        if a["end_date"] is not None:
            end = {"end_date": a["end_date"].isoformat(), "reason": a["end_reason"]}
            ended = await registry.post(f"/api/v1/assignments/{assignment['id']}/end", json=end, headers=admin)
            assert ended.status_code == 200, ended.text
    for z in h.hazards:
        await _live_hazard(hazards, admin, enterprise_ids[z["credit_code"]], z)
    for c in h.cases:
        live_case = _live_general_case if c.get("procedure") == "general" else _live_case
        await live_case(system["enforcement"], admin, enterprise_ids.get(c.get("credit_code")), c)


async def _live_case(
    client: httpx.AsyncClient, admin: dict[str, str], enterprise_id: str | None, c: dict[str, Any]
) -> None:
    body = {k: c[k] for k in ("party_type", "party_name", "unit_code", "cause", "warning", "officers")}
    body |= {"decided_on": c["decided_on"].isoformat(), "fine_fen": _fen(c["fine_yuan"])}
    body |= {"enterprise_id": enterprise_id} if enterprise_id else {"township_code": c["township_code"]}

    async def decided() -> dict[str, Any] | None:
        # The enforcement service knows the enterprise once the registry's event reached it.
        response = await client.post("/api/v1/cases/simplified", json=body, headers=admin)
        return dict(response.json()) if response.status_code == 201 else None

    case = await wait_for(decided, timeout_s=60, interval_s=0.3)
    await _paid_executed_closed(client, admin, case["id"], c)


async def _live_general_case(
    client: httpx.AsyncClient, admin: dict[str, str], enterprise_id: str | None, c: dict[str, Any]
) -> None:
    body = {k: c[k] for k in ("party_type", "party_name", "unit_code", "cause")}
    body |= {"enterprise_id": enterprise_id, "filed_on": c["filed_on"].isoformat()}
    case = await _created(await client.post("/api/v1/cases", json=body, headers=admin))
    items: list[dict[str, Any]] = [{"kind": "warning"}] if c["warning"] else []
    items += [{"kind": "fine", "amount_fen": _fen(c["fine_yuan"])}] if c["fine_yuan"] != "0" else []
    items += [{"kind": "stop_production"}] + ([{"kind": "closure_referral"}] if c["closure_referral"] else [])
    for path, step in (
        ("investigation", {"officers": c["officers"]}),
        ("legal-review", {"items": items, "reviewed_on": c["reviewed_on"].isoformat()}),
        ("collective-discussion", {"discussed_on": c["discussed_on"].isoformat()}),
        ("notice", {"items": items, "notified_on": c["notified_on"].isoformat()}),
        ("hearing-waiver", {}),
        ("decision", {"outcome": "penalty", "items": items, "decided_on": c["decided_on"].isoformat()}),
        ("service", {"served_on": c["served_on"].isoformat()}),
    ):
        response = await client.post(f"/api/v1/cases/{case['id']}/{path}", json=step, headers=admin)
        assert response.status_code == 200, response.text
        case = response.json()
    if c["closure_referral"]:
        (item,) = [i for i in case["items"] if i["kind"] == "closure_referral"]
        outcome = {"outcome": "closure_approved", "decided_by": "人民政府"}
        outcome["decided_on"] = c["closure_approved_on"].isoformat()
        url = f"/api/v1/cases/{case['id']}/items/{item['item_id']}/outcome"
        response = await client.post(url, json=outcome, headers=admin)
        assert response.status_code == 200, response.text
    await _paid_executed_closed(client, admin, case["id"], c)


async def _paid_executed_closed(
    client: httpx.AsyncClient, admin: dict[str, str], case_id: str, c: dict[str, Any]
) -> None:
    if c.get("paid_on") is not None:
        paid = {"paid_on": c["paid_on"].isoformat(), "amount_fen": _fen(c["fine_yuan"])}
        response = await client.post(f"/api/v1/cases/{case_id}/payments", json=paid, headers=admin)
        assert response.status_code == 201, response.text
    how = "voluntary" if c.get("paid_on") is not None else "not_applicable"
    for path, step in (
        ("execution", {"how": how, "executed_on": c["executed_on"].isoformat()}),
        ("closure", {"closed_on": c["closed_on"].isoformat()}),
    ):
        response = await client.post(f"/api/v1/cases/{case_id}/{path}", json=step, headers=admin)
        assert response.status_code == 200, response.text


async def _live_hazard(client: httpx.AsyncClient, admin: dict[str, str], enterprise_id: str, z: dict[str, Any]) -> None:
    body = {"enterprise_id": enterprise_id, "grade": "general", "source": z["source"]}
    body |= {"description": z["description"], "reported_on": z["reported_on"].isoformat()}

    async def reported() -> dict[str, Any] | None:
        # The hazard service knows the enterprise once the registry's event reached it.
        response = await client.post("/api/v1/hazards", json=body, headers=admin)
        return dict(response.json()) if response.status_code == 201 else None

    hazard = await wait_for(reported, timeout_s=60, interval_s=0.3)
    steps = [
        ("rectification", z["deadline"] and {"deadline": z["deadline"].isoformat()}),
        ("rectified", z["rectified_on"] and {"rectified_on": z["rectified_on"].isoformat()}),
        ("verification", z["closed_on"] and {"verified_on": z["closed_on"].isoformat()}),
        ("closure", z["closed_on"] and {"closed_on": z["closed_on"].isoformat()}),
    ]
    for path, step in steps:
        if not step:
            continue
        if path == "rectified" and z["funds_spent_yuan"] is not None:
            step["funds_spent_fen"] = z["funds_spent_yuan"] * 100
        response = await client.post(f"/api/v1/hazards/{hazard['id']}/{path}", json=step, headers=admin)
        assert response.status_code == 200, response.text


ENTERPRISE_HEADINGS = {
    "name": "单位名称",
    "credit_code": "统一社会信用代码",
    "industry_code": "行业代码",
    "township_code": "乡镇代码",
    "employee_count": "从业人数",
    "registered_on": "登记日期",
}
SUPERVISOR_HEADINGS = {
    "code": "监督员编号",
    "name": "姓名",
    "org_kind": "单位类型",
    "org_code": "单位代码",
    "appointed_on": "任职日期",
}
ASSIGNMENT_HEADINGS = {
    "supervisor_code": "监督员编号",
    "credit_code": "统一社会信用代码",
    "start_date": "派驻日期",
    "end_date": "结束日期",
    "end_reason": "结束原因",
}
HAZARD_HEADINGS = {
    "credit_code": "统一社会信用代码",
    "source": "隐患来源",
    "description": "隐患描述",
    "reported_on": "发现日期",
    "deadline": "整改期限",
    "rectified_on": "整改完成日期",
    "closed_on": "销号日期",
    "funds_spent_yuan": "整改资金（元）",
}
CASE_HEADINGS = {
    "party_type": "当事人类型",
    "party_name": "当事人",
    "credit_code": "统一社会信用代码",
    "township_code": "乡镇街道代码",
    "unit_code": "执法单位代码",
    "cause": "案由",
    "decided_on": "决定日期",
    "warning": "警告",
    "fine_yuan": "罚款金额（元）",
    "officers": "执法人员",
    "paid_on": "缴款日期",
    "executed_on": "执行日期",
    "closed_on": "结案日期",
    "procedure": "程序",
    "filed_on": "立案日期",
    "reviewed_on": "法制审核日期",
    "discussed_on": "集体讨论日期",
    "notified_on": "告知日期",
    "served_on": "送达日期",
    "stop_production": "责令停产停业",
    "closure_referral": "提请关闭",
    "closure_approved_on": "关闭批准日期",
}


async def import_files(system: dict[str, httpx.AsyncClient], admin: dict[str, str], h: History) -> None:
    """The history as five files an office fills in: enterprises (UTF-8 CSV with BOM), supervisors (XLSX),
    assignments (GBK CSV), hazards (XLSX) and cases (UTF-8 CSV, in the words an office writes)."""
    registry = system["supervisor"]
    place = {"industry_code": "20", "township_code": h.township}
    files = [
        ("enterprises", "企业.csv", _csv([e | place for e in h.enterprises], ENTERPRISE_HEADINGS, "utf-8-sig")),
        (
            "supervisors",
            "监督员.xlsx",
            _xlsx([s | {"org_kind": "乡镇", "org_code": h.township} for s in h.supervisors], SUPERVISOR_HEADINGS),
        ),
        ("assignments", "派驻.csv", _csv(h.assignments, ASSIGNMENT_HEADINGS, "gbk")),
    ]
    for kind, name, content in files:
        response = await registry.post(f"/api/v1/imports/{kind}", files={"file": (name, content)}, headers=admin)
        assert (await _created(response))["status"] == "succeeded"
    hazards = _xlsx(h.hazards, HAZARD_HEADINGS)

    async def imported() -> dict[str, Any] | None:
        # Until the registry's events reached the hazard service a row names an unknown enterprise (422, nothing
        # written), so the whole file is simply sent again.
        response = await system["hazard"].post(
            "/api/v1/hazard-imports", files={"file": ("隐患.xlsx", hazards)}, headers=admin
        )
        return dict(response.json()) if response.status_code == 201 else None

    job = await wait_for(imported, timeout_s=90, interval_s=1.0)
    assert job["counts"] == {"closed": 5, "rectified": 5, "rectifying": 5, "reported": 5}
    words = {"unit": "单位", "person": "个人", "general": "一般程序", True: "是", False: "否"}
    flags = ("party_type", "warning", "procedure", "stop_production", "closure_referral")
    cases = _csv(
        [c | {k: words[c[k]] for k in flags if k in c} | {"officers": "、".join(c["officers"])} for c in h.cases],
        CASE_HEADINGS,
        "utf-8-sig",
    )

    async def cases_imported() -> dict[str, Any] | None:
        # As with hazards: a row naming an enterprise the enforcement service does not know yet fails the file.
        response = await system["enforcement"].post(
            "/api/v1/case-imports", files={"file": ("案件.csv", cases)}, headers=admin
        )
        return dict(response.json()) if response.status_code == 201 else None

    job = await wait_for(cases_imported, timeout_s=90, interval_s=1.0)
    assert job["counts"] == {"closed": 8}


async def case_files(
    enforcement: httpx.AsyncClient, admin: dict[str, str], township: str, year: int
) -> list[tuple[Any, ...]]:
    """The township's cases filed in the half-year as the enforcement service lists them: what was decided
    (warning, fine) and when each step was taken. Only that half-year: other tests of the session file cases in
    the same townships today."""
    half_year = {"filed_from": f"{year}-01-01", "filed_to": f"{year}-06-30"}
    params: dict[str, str | int] = {"township_code": township, **half_year, "limit": 50}
    listed = await enforcement.get("/api/v1/cases", params=params, headers=admin)
    assert listed.status_code == 200, listed.text
    keys: tuple[str, ...] = (
        "cause",
        "procedure",
        "stage",
        "party_type",
        "decided_on",
        "fine_total_fen",
        "fine_paid_fen",
    )
    keys += ("executed_on", "execution_how", "closed_on")
    return sorted((*(c[k] for k in keys), sorted(i["kind"] for i in c["items"])) for c in listed.json()["items"])


def _items(body: dict[str, Any]) -> dict[tuple[str, str], Any]:
    return {(s["code"], i["code"]): i["value"] for s in body["sections"] for i in s["items"]}


async def figures(
    reporting: httpx.AsyncClient, stack: Stack, year: int, township: str
) -> tuple[dict[str, Any], dict[tuple[str, str], Any]]:
    """The township's half-year statistics (hazards, supervisors and enforcement) and half-year summary, as its
    officer reads them."""
    officer = token(stack, ["township_officer"], jurisdictions=[township])
    period = {"period": "custom", "date_from": f"{year}-01-01", "date_to": f"{year}-06-30"}
    statistics = (await reporting.get("/api/v1/statistics", params=period, headers=officer)).json()
    summary = await reporting.get(
        "/api/v1/reports/half-year-summary", params={"year": year, "half": 1}, headers=officer
    )
    assert summary.status_code == 200, summary.text
    return {k: statistics[k] for k in ("hazards", "supervisors", "enforcement")}, _items(summary.json())


async def test_an_imported_half_year_gives_the_figures_of_the_same_half_year_entered_live(
    system: dict[str, httpx.AsyncClient], stack: Stack
) -> None:
    admin = token(stack, ["city_admin"], jurisdictions=[CITY], department="yjj")
    year = random.choice((2020, 2021, 2022))
    live, imported = history(LIVE, year), history(IMPORTED, year)
    await enter_live(system, admin, live)
    await import_files(system, admin, imported)

    qualifying = sum(1 for e in live.enterprises if e["employee_count"] >= 3)
    covered_3plus = sum(1 for e in live.enterprises[:10] if e["employee_count"] >= 3)
    expected = {"active": 8, "enterprises_registered": 30, "enterprises_3plus": qualifying}
    expected |= {"enterprises_covered": 10, "enterprises_covered_3plus": covered_3plus}

    async def both_complete() -> tuple[Any, Any] | None:
        sides = [await figures(system["reporting"], stack, year, t) for t in (LIVE, IMPORTED)]
        done = all(
            # The overdue scheduler marks the five hazards whose deadline passed unrectified (every minute).
            (s["hazards"]["found"], s["hazards"]["overdue"]) == (20, 5)
            and {k: s["supervisors"][k] for k in expected} == expected
            and (s["enforcement"]["simplified_cases"], s["enforcement"]["closures"]) == (6, 1)
            for s, _ in sides
        )
        return (sides[0], sides[1]) if done else None

    (live_figures, live_summary), (imported_figures, imported_summary) = await wait_for(
        both_complete, timeout_s=240, interval_s=1.0
    )
    assert imported_figures == live_figures
    fines = sum(_fen(c["fine_yuan"]) for c in live.cases)
    measures = ("cases_filed", "penalty_decisions", "fines_fen", "stop_orders", "closure_referrals", "closures")
    cases = {k: live_figures["enforcement"][k] for k in measures}
    assert cases == dict(zip(measures, (8, 8, fines, 2, 1, 1), strict=True))
    assert live_summary[("enforcement", "cases_filed")] == 8
    assert (live_summary[("enforcement", "stop_orders")], live_summary[("enforcement", "closures")]) == (2, 1)
    live_cases, imported_cases = [await case_files(system["enforcement"], admin, t, year) for t in (LIVE, IMPORTED)]
    assert imported_cases == live_cases
    assert sum("warning" in kinds for *_, kinds in live_cases) == 4
    assert imported_summary == live_summary
    assert live_summary[("resident_supervisors", "supervisors")] == 8
    assert live_summary[("resident_supervisors", "enterprises_3plus")] == qualifying
