"""A scripted first half of 2023 for 洪江市 whose events add up to the figures of the bureau's
half-year work report (hongjiang-2023-h1-safety-report.txt), where one period can hold them all.

Enforcement happens January to May (the report's enforcement figures are "截至5月底"), the
leader-led inspections March to May, hazards January to June.
"""

from __future__ import annotations

import itertools
import random
from datetime import date, timedelta

from shared.contracts import enforcement as enf
from shared.contracts import hazard as hz
from shared.contracts import supervisor as sup

from .reporting_history import (
    History,
    _id,
    case_decided,
    case_filed,
    case_unit,
    crackdown,
    inspection,
    item_outcome,
    listing_fields,
    simplified_case,
    unit,
)

TOWNSHIPS = ["431281101000", "431281102000", "431281103000", "431281104000", "431281106000", "431281202000"]
DEPARTMENTS = ["yjj", "zjj", "jtj", "xfdd", "wjj", "jyj"]
MAJOR_CAMPAIGN = "major_hazard_campaign_2023"
OVERDUE_IN_H1 = 6
"""Unrectified general hazards whose deadline passed in H1 (issue #16 found 6 counted 0)."""
FIRE_CAMPAIGN = "medical_crowded_fire_check_2023"
MINING = "crackdown_illegal_mining_2023"
FIREWORKS = "crackdown_illegal_fireworks_2023"

# What the report states (and the scenario reproduces).
REPORT = {
    "inspections": 6120,
    "persons_deployed": 21890,
    "enterprise_checks": 13518,
    "cases_filed": 2801,
    "fines_wan_yuan": "281.9653",
    "stop_orders": 16,
    "licence_actions": 17,
    "closures": 2,
    "detained_persons": 11,
    "delegated_simplified_cases": 1295,
    "delegated_simplified_fines_wan_yuan": "9.1370",
    "leader_times": 132,
    "leader_persons": 552,
    "leader_units": 245,
    "leader_found": 161,
    "leader_rectified": 154,
    "fire_found": 93,
    "fire_rectified": 90,
    "fire_fines_wan_yuan": "1.5200",
    "supervisors": 156,
    "enterprises_covered": 211,
    "mining_patrol_persons": 1800,
    "mining_sites_stopped": 3,
    "fireworks_joint_actions": 122,
    "fireworks_seizure_wan_yuan": "4.0000",
    "campaign_major_found": 27,
    "campaign_major_self_reported": 13,
    "campaign_major_listed": 4,
    "campaign_enterprise_checks": 373,
    "campaign_problem_checks": 12,
    "major_found": 47,
    "major_rectified": 37,
    "major_rectification_rate": "78.72",
    "major_listed": 14,
    "major_listed_city_government": 10,
    "major_listed_committee_office": 4,
    "listing_rate": "29.79",
    "general_found": 5630,
    "general_rectified": 5592,
    "general_rectification_rate": "99.33",
    "closures_incl_revocations": 11,
    "exposures": 35,
    "interviews": 5,
    "interview_persons": 44,
    "typical_cases": 8,
}


def split(total: int, parts: int, rng: random.Random, minimum: int = 1) -> list[int]:
    """`parts` integers >= minimum that add up to `total`: random cuts of what is above the minimums (stars and
    bars), so the work grows with `parts`, not with `total` (a total in fen runs to hundreds of millions)."""
    spare = total - minimum * parts
    cuts = sorted(rng.sample(range(spare + parts - 1), parts - 1))
    bounds = [-1, *cuts, spare + parts - 1]
    return [minimum + high - low - 1 for low, high in itertools.pairwise(bounds)]


def _on(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randrange((last - first).days + 1))


def scenario(seed: int = 2023) -> History:
    """The events of the scripted half year."""
    rng = random.Random(seed)
    h = History()
    _hazards(h, rng)
    _inspections(h, rng)
    _cases(h, rng)
    _measures(h, rng)
    _supervision(h, rng)
    return h


def _general_hazard(
    h: History,
    rng: random.Random,
    *,
    source: str,
    rectified: bool,
    campaigns: list[str],
    industry: str = "33",
    first: date = date(2023, 1, 1),
    last: date = date(2023, 6, 20),
    missed_deadline: bool = False,
) -> None:
    hazard_id = _id()
    on = _on(rng, first, last)
    base = {
        "hazard_id": hazard_id,
        "enterprise_id": "e",
        "township_code": rng.choice(TOWNSHIPS),
        "industry_code": industry,
        "department_code": rng.choice(DEPARTMENTS),
        "grade": "general",
        "source": source,
        "campaign_codes": campaigns,
        "reported_on": on.isoformat(),
    }
    h.emit(hz.HazardReportedV1(**base, description="d"), on)
    if rectified:
        done = min(on + timedelta(days=rng.randrange(0, 8)), date(2023, 6, 30))
        h.emit(hz.HazardRectifiedV1(**base, status="rectified", rectified_on=done.isoformat()), done)
    elif missed_deadline:
        # Its deadline (a week after the report, within H1) passed unrectified; the scheduler only saw it
        # when the history had been entered, years later: it is overdue in H1 all the same.
        deadline = (on + timedelta(days=7)).isoformat()
        h.emit(hz.HazardRectificationStartedV1(**base, status="rectifying", deadline=deadline), on)
        overdue = hz.HazardOverdueV1(
            **base, status="rectifying", deadline_kind="rectification", deadline=deadline, detected_on="2026-12-03"
        )
        h.emit(overdue, date(2026, 12, 3))


def _major_hazard(
    h: History, rng: random.Random, *, source: str, rectified: bool, level: str | None, campaigns: list[str]
) -> None:
    hazard_id = _id()
    on = _on(rng, date(2023, 1, 1), date(2023, 5, 25))
    base = {
        "hazard_id": hazard_id,
        "enterprise_id": "e",
        "township_code": rng.choice(TOWNSHIPS),
        "industry_code": "08",
        "department_code": "yjj",
        "grade": "major",
        "source": source,
        "campaign_codes": campaigns,
        "reported_on": on.isoformat(),
    }
    h.emit(hz.HazardReportedV1(**base, description="d"), on)
    h.emit(
        hz.HazardJudgedV1(
            **base, status="judged", standard_code="gm_mem10_2023", standard_version="2023", clause_code="3.1"
        ),
        on,
    )
    if level:
        h.emit(
            hz.HazardListedV1(
                **base,
                status="listed",
                **listing_fields(
                    level, on, date(2023, 8, 31), responsible_unit="r", document_number="洪政督〔2023〕1号"
                ),
            ),
            on,
        )
    if rectified:
        done = on + timedelta(days=20)
        h.emit(
            hz.HazardReviewedV1(
                **base, status="reviewed", listed=bool(level), listing_level=level, reviewed_on=done.isoformat()
            ),
            done,
        )


def _hazards(h: History, rng: random.Random) -> None:
    for i in range(161):
        _general_hazard(
            h,
            rng,
            source="leader_inspection",
            rectified=i < 154,
            campaigns=["leader_led_inspection_2023"],
            first=date(2023, 3, 1),
            last=date(2023, 5, 31),
        )
    for i, industry in enumerate(["85"] * 18 + ["84"] * 54 + ["61"] * 21):
        _general_hazard(
            h,
            rng,
            source="department_inspection",
            rectified=i >= 3,
            campaigns=[FIRE_CAMPAIGN],
            industry=industry,
            first=date(2023, 4, 20),
            last=date(2023, 4, 30),
        )
    rest_found, rest_rectified = 5630 - 161 - 93, 5592 - 154 - 90
    for i in range(rest_found):
        _general_hazard(
            h,
            rng,
            source=rng.choice(["self_report", "department_inspection", "resident_supervisor"]),
            rectified=i < rest_rectified,
            campaigns=[],
            missed_deadline=i >= rest_found - OVERDUE_IN_H1,
        )
    # 47 major: 27 in the campaign (13 self-reported, 4 listed by the government); 14 listed in all.
    for i in range(47):
        level = (
            hz.ListingLevel.CITY_GOVERNMENT.value
            if i < 4 or 27 <= i < 33
            else hz.ListingLevel.SAFETY_COMMITTEE_OFFICE.value
            if 33 <= i < 37
            else None
        )
        _major_hazard(
            h,
            rng,
            source="self_report" if i < 13 else "department_inspection",
            rectified=i >= 10,
            level=level,
            campaigns=[MAJOR_CAMPAIGN] if i < 27 else [],
        )


def _inspections(h: History, rng: random.Random) -> None:
    def emit(kind: str, persons: int, checks: int, on: date, campaign: str | None = None, findings: int = 0) -> None:
        inspection_id = _id()
        department, township = rng.choice(DEPARTMENTS), rng.choice(TOWNSHIPS)
        counted = {"enterprise_ids": [], "enterprises_checked": checks, "findings_count": findings}
        h.emit(
            inspection(inspection_id, kind, on, department, township, persons, campaign_code=campaign, **counted), on
        )

    for persons, checks in zip(split(552, 132, rng, 2), split(245, 132, rng), strict=True):
        emit("leader_led", persons, checks, _on(rng, date(2023, 3, 1), date(2023, 5, 31)))
    campaign_persons = split(200, 50, rng, 2)
    for i, (persons, checks) in enumerate(zip(campaign_persons, split(373, 50, rng), strict=True)):
        emit(
            "campaign",
            persons,
            checks,
            _on(rng, date(2023, 5, 1), date(2023, 5, 25)),
            MAJOR_CAMPAIGN,
            2 if i < 12 else 0,
        )
    # The report counts leader-led inspections beside its 组织执法活动 / 出动执法人员 / 检查单位, not in them.
    rest = 6120 - 50
    for persons, checks in zip(split(21890 - 200, rest, rng, 2), split(13518 - 373, rest, rng), strict=True):
        emit(
            rng.choice(["routine", "joint", "night_raid", "complaint"]),
            persons,
            checks,
            _on(rng, date(2023, 1, 1), date(2023, 5, 31)),
        )


def _cases(h: History, rng: random.Random) -> None:
    for fine in split(9_137_000, 1295, rng, 0):
        case_id, township = _id(), rng.choice(TOWNSHIPS)
        on = _on(rng, date(2023, 1, 1), date(2023, 5, 31))
        h.emit(simplified_case(case_id, "简", on, fine, **case_unit(township, "township", township, True)), on)
    general = 2801 - 1295
    # The fire check's cases (行政处罚1.52万元) are the last ten general ones, tagged with the campaign.
    fire_cases = 10
    fines = split(272_828_300 - 1_520_000, general - fire_cases, rng, 0) + split(1_520_000, fire_cases, rng)
    measures: dict[int, dict[str, object]] = {}
    for i in range(16):
        measures.setdefault(i, {})["stop"] = True
    for i in range(17):
        measures.setdefault(100 + i, {})["licence"] = "licence_revocation" if i < 9 else "licence_suspension"
    for i, outcome in enumerate(["closure_approved", "closure_approved", "closure_rejected"]):
        measures.setdefault(200 + i, {})["closure"] = outcome
    for i, persons in enumerate([3, 3, 3, 2]):
        measures.setdefault(300 + i, {})["detained"] = persons
    for i in range(general):
        case_id, township, department = _id(), rng.choice(TOWNSHIPS), rng.choice(DEPARTMENTS)
        filed = _on(rng, date(2023, 1, 1), date(2023, 4, 30))
        common = unit("department", department, township) | {
            "campaign_code": FIRE_CAMPAIGN if i >= general - fire_cases else None
        }
        h.emit(case_filed(case_id, "立", filed, date(2023, 7, 31), **common), filed)
        m = measures.get(i, {})
        items = [enf.PenaltyItemV1(item_id="fine", kind="fine", amount_fen=fines[i])]
        if m.get("licence"):
            items.append(enf.PenaltyItemV1(item_id="lic", kind=str(m["licence"])))
        if m.get("closure"):
            items.append(enf.PenaltyItemV1(item_id="close", kind="closure_referral"))
        if m.get("detained"):
            items.append(enf.PenaltyItemV1(item_id="det", kind="detention_referral"))
        decided = filed + timedelta(days=25)
        h.emit(case_decided(case_id, "立", decided, items, stop_production=bool(m.get("stop")), **common), decided)
        for item_id, kind, outcome, persons in (
            ("close", "closure_referral", m.get("closure"), None),
            ("det", "detention_referral", "detained" if m.get("detained") else None, m.get("detained")),
        ):
            if outcome:
                recorded = item_outcome(case_id, item_id, kind, str(outcome), decided, persons, township, department)
                h.emit(recorded, decided)


def _measures(h: History, rng: random.Random) -> None:
    bureau = unit("department", "yjj")
    for persons in split(44, 5, rng):
        interview_id, on = _id(), _on(rng, date(2023, 2, 1), date(2023, 6, 30))
        interview = {"held_on": on.isoformat(), "persons": persons, "subject": "约谈"}
        h.emit(enf.InterviewRecordedV1(interview_id=interview_id, **interview, **bureau), on)
    for _ in range(35):
        exposure_id, on = _id(), _on(rng, date(2023, 2, 1), date(2023, 6, 30))
        published = {"published_on": on.isoformat(), "channel": "web", **bureau}
        h.emit(enf.ExposurePublishedV1(exposure_id=exposure_id, title="曝光", **published), on)
    for _ in range(8):
        typical_id, on = _id(), _on(rng, date(2023, 2, 1), date(2023, 6, 30))
        published = {"published_on": on.isoformat(), "channel": "web", **bureau}
        h.emit(enf.TypicalCasePublishedV1(typical_case_id=typical_id, title="典型案例", **published), on)
    persons = split(1800, 60, rng, 5)
    for i in range(60):
        action_id, township = _id(), rng.choice(["431281104000", "431281101000"])
        on = _on(rng, date(2023, 1, 1), date(2023, 6, 30))
        seizures = (
            [enf.SeizureV1(item="管线", quantity="400", unit="米")]
            if i == 0
            else ([enf.SeizureV1(item="机械设备", quantity="4", unit="台")] if i == 1 else [])
        )
        action = {"patrols": 1, "persons_deployed": persons[i], "sites_stopped": 1 if i < 3 else 0}
        h.emit(
            crackdown(
                action_id, on, **action, seizures=seizures, campaign_code=MINING, **unit("township", township, township)
            ),
            on,
        )
    for value in split(4_000_000, 122, rng, 0):
        action_id, on = _id(), _on(rng, date(2023, 1, 10), date(2023, 2, 20))
        seized = {
            "seizures": [enf.SeizureV1(item="烟花爆竹", quantity="20", unit="件", value_fen=value)],
            "seizure_value_fen": value,
        }
        action = {"patrols": 1, "persons_deployed": 4, "sites_stopped": 0, "campaign_code": FIREWORKS}
        h.emit(crackdown(action_id, on, **action, **seized, **bureau), on)


def _supervision(h: History, rng: random.Random) -> None:
    supervisors = []
    for i in range(156):
        supervisor_id, on = _id(), _on(rng, date(2023, 1, 5), date(2023, 3, 31))
        department = DEPARTMENTS[i % len(DEPARTMENTS)]
        h.emit(
            sup.SupervisorRegisteredV1(
                supervisor_id=supervisor_id,
                code=f"S{i}",
                name=f"监督员{i}",
                org_kind="department",
                org_code=department,
                township_code=rng.choice(TOWNSHIPS),
                active=True,
            ),
            on,
        )
        supervisors.append((supervisor_id, department))
    for i in range(216):
        enterprise_id, township = _id(), rng.choice(TOWNSHIPS)
        on = _on(rng, date(2023, 1, 1), date(2023, 2, 28))
        h.emit(
            sup.EnterpriseRegisteredV1(
                enterprise_id=enterprise_id,
                name=f"企业{i}",
                credit_code="c",
                industry_code="33",
                township_code=township,
                employee_count=3 + i % 20,
                status="operating",
                supervising_department="yjj",
            ),
            on,
        )
        if i < 211:
            supervisor_id, department = supervisors[i % 156]
            assignment_id, start = _id(), _on(rng, date(2023, 3, 1), date(2023, 4, 30))
            h.emit(
                sup.AssignmentStartedV1(
                    assignment_id=assignment_id,
                    supervisor_id=supervisor_id,
                    supervisor_name="n",
                    supervisor_org_kind="department",
                    supervisor_org_code=department,
                    enterprise_id=enterprise_id,
                    enterprise_name=f"企业{i}",
                    township_code=township,
                    industry_code="33",
                    employee_count=3 + i % 20,
                    supervising_department="yjj",
                    start_date=start.isoformat(),
                ),
                start,
            )
