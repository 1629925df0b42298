"""A generated history of the other services' events, with its ground truth.

The generator decides what happened (each hazard's life, each case's decision ...) and then
writes the events the producing services would publish for it, through the shared contract
classes. The ground truth (what happened) gives the expected counters directly, without the
reporting service's projection code.
"""

from __future__ import annotations

import random
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from shared.contracts import enforcement as enf
from shared.contracts import hazard as hz
from shared.contracts import supervisor as sup
from shared.contracts.envelope import EventEnvelope, EventPayload, new_envelope
from shared.contracts.topics import SOURCE_BY_TOPIC

TOWNSHIPS = ["431281101000", "431281102000", "431281103000", "431281104000", "431281202000"]
DEPARTMENTS = ["yjj", "zjj", "jtj", "xfdd"]
INDUSTRIES = ["33", "47", "54", "84", "85"]
CAMPAIGNS = ["major_hazard_campaign_2023", "medical_crowded_fire_check_2023", "crackdown_illegal_mining_2023"]
SOURCES = ["self_report", "department_inspection", "leader_inspection", "resident_supervisor", "complaint"]
LEVELS = [level.value for level in hz.ListingLevel]
KINDS = ["routine", "leader_led", "joint", "night_raid", "campaign"]
STOCK = {
    "supervisor.active",
    "coverage.enterprises",
    "coverage.enterprises_3plus",
    "enterprise.registered",
    "enterprise.qualifying_3plus",
}


@dataclass(frozen=True)
class Fact:
    """One expected counter contribution."""

    day: date
    township: str
    department: str
    industry: str
    campaigns: tuple[str, ...]
    indicator: str
    value: int


@dataclass
class History:
    """Events in the order they happened, and the facts they must add up to."""

    events: list[EventEnvelope] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    versions: Counter[str] = field(default_factory=Counter)

    def emit(self, payload: EventPayload, on: date) -> None:
        """Wrap a payload as its producing service would (occurred at noon local time of `on`): its aggregate is
        the payload's first field (the contracts' convention), its version counts that aggregate's events."""
        aggregate_id = str(getattr(payload, next(iter(type(payload).model_fields))))
        self.versions[aggregate_id] += 1
        occurred = datetime.combine(on, time(4, 0), tzinfo=UTC) + timedelta(minutes=len(self.events) % 600)
        envelope = new_envelope(
            payload,
            source=SOURCE_BY_TOPIC[payload.topic],
            aggregate_id=aggregate_id,
            aggregate_version=self.versions[aggregate_id],
            actor="generator",
            jurisdiction=None,
            occurred_at=occurred,
        )
        self.events.append(envelope)

    def fact(self, day: date, dims: tuple[str, str, str, tuple[str, ...]], indicator: str, value: int = 1) -> None:
        """Record an expected contribution."""
        if value:
            self.facts.append(Fact(day, *dims, indicator, value))

    def expected(
        self,
        date_from: date,
        date_to: date,
        *,
        township: set[str] | None = None,
        department: set[str] | None = None,
        industry: set[str] | None = None,
        campaign: str | None = None,
        stock: bool = False,
    ) -> dict[str, int]:
        """Indicator sums over the period (stock indicators: running total as of date_to)."""
        sums: dict[str, int] = defaultdict(int)
        for f in self.facts:
            if (f.indicator in STOCK) != stock:
                continue
            if not ((stock or f.day >= date_from) and f.day <= date_to):
                continue
            if township is not None and f.township not in township:
                continue
            if department is not None and f.department not in department:
                continue
            if industry is not None and f.industry not in industry:
                continue
            if campaign is not None and campaign not in f.campaigns:
                continue
            sums[f.indicator] += f.value
        return {k: v for k, v in sums.items() if v}


def _id() -> str:
    """A fresh aggregate id shaped as the producers make them: these events go to the session's shared topics,
    where other services' consumers (the hazard service's enterprise and assignment read models in the
    end-to-end tests) read them too, and an id that is not a UUID is a poison event to them."""
    return str(uuid.uuid4())


def _day(rng: random.Random, start: date, days: int) -> date:
    return start + timedelta(days=rng.randrange(days))


# Payloads both generators write. What no counter reads (the party, numbers and wording) is fixed here, so a
# generator names only what it counts.
PARTY = {"party_type": "unit", "party_name": "p"}


def unit(unit_type: str, unit_code: str, township: str | None = None) -> dict[str, Any]:
    """The acting unit of an enforcement record, with the township it acted in when it names one."""
    return {"unit_type": unit_type, "unit_code": unit_code} | ({"township_code": township} if township else {})


def case_unit(township: str, unit_type: str, unit_code: str, delegated: bool) -> dict[str, Any]:
    """Where a case lies and who handles it: a township under delegation, or a department."""
    delegation = {"delegated": delegated, "delegated_township_code": township if delegated else None}
    return unit(unit_type, unit_code, township) | delegation


def inspection(
    inspection_id: str, kind: str, on: date, department: str, township: str, persons: int, **counted: Any
) -> enf.InspectionRecordedV1:
    """A department's inspection; `counted` holds its findings, campaign and the enterprises checked."""
    done = {"inspected_on": on.isoformat(), "persons_deployed": persons, "department_code": department}
    return enf.InspectionRecordedV1(
        inspection_id=inspection_id, kind=kind, **done, **unit("department", department, township), **counted
    )


def simplified_case(
    case_id: str, number: str, decided_on: date, fine: int, **where: Any
) -> enf.CaseSimplifiedDecidedV1:
    """A warning (`fine` 0) or a fine decided on the spot against a unit."""
    decision = {"decided_on": decided_on.isoformat(), "warning": fine == 0, "fine_fen": fine}
    return enf.CaseSimplifiedDecidedV1(case_id=case_id, case_number=number, **PARTY, **decision, **where)


def case_filed(case_id: str, number: str, filed_on: date, decide_by: date, **where: Any) -> enf.CaseFiledV1:
    """A case filed under the general procedure against a unit, from an inspection."""
    filing = {"filed_on": filed_on.isoformat(), "decide_by": decide_by.isoformat(), "rule_set": "2021_law_sector_rule"}
    return enf.CaseFiledV1(
        case_id=case_id,
        case_number=number,
        procedure="general",
        cause="c",
        source="inspection",
        **PARTY,
        **filing,
        **where,
    )


def case_decided(
    case_id: str, number: str, decided_on: date, items: list[enf.PenaltyItemV1], **where: Any
) -> enf.CaseDecidedV1:
    """A penalty decided under the general procedure; the figures counted follow from its items unless given."""
    kinds = [item.kind for item in items]
    figures = {
        "fine_total_fen": sum(item.amount_fen or 0 for item in items if item.kind == "fine"),
        "stop_production": "stop_production" in kinds,
        "licence_actions": sum(kind.startswith("licence_") for kind in kinds),
        "closure_referrals": kinds.count("closure_referral"),
        "detention_referrals": kinds.count("detention_referral"),
        "detention_persons": sum(item.persons or 0 for item in items if item.kind == "detention_referral"),
    }
    decision = {"decided_on": decided_on.isoformat(), "party_type": "unit", "items": items}
    return enf.CaseDecidedV1(
        case_id=case_id, case_number=number, procedure="general", outcome="penalty", **decision, **(figures | where)
    )


def item_outcome(
    case_id: str, item_id: str, kind: str, outcome: str, on: date, persons: int | None, township: str, unit_code: str
) -> enf.CaseItemOutcomeRecordedV1:
    """The outcome of a referral item (closure, detention) of a decision."""
    where = {"township_code": township, "unit_code": unit_code}
    return enf.CaseItemOutcomeRecordedV1(
        case_id=case_id,
        item_id=item_id,
        kind=kind,
        outcome=outcome,
        decided_on=on.isoformat(),
        persons=persons,
        **where,
    )


def missed_deadline(deadline: date, detected_on: date) -> dict[str, str]:
    """The fields of hazard.overdue: the rectification deadline passed unmet, and the day it was seen."""
    return {"deadline_kind": "rectification", "deadline": deadline.isoformat(), "detected_on": detected_on.isoformat()}


def crackdown(action_id: str, acted_on: date, **action: Any) -> enf.CrackdownActionRecordedV1:
    """An action against illegal operations (patrols, persons, sites stopped, seizures) by its unit."""
    return enf.CrackdownActionRecordedV1(action_id=action_id, acted_on=acted_on.isoformat(), **action)


def listing_fields(level: str, listed_on: date, deadline: date, **wording: str) -> dict[str, Any]:
    """The fields of a hazard's listing for supervision (挂牌督办) at `level`."""
    units = {
        "responsible_unit": "u",
        "handing_unit": "h",
        "supervising_unit": "s",
        "document_number": "洪安委办〔2031〕1号",
    }
    listed = {"listed": True, "listing_level": level, "listing_id": _id(), "level": level}
    return listed | {"listed_on": listed_on.isoformat(), "deadline": deadline.isoformat()} | units | wording


def generate(seed: int, *, start: date, days: int, scale: int = 1) -> History:
    """A mixed history over [start, start + days) of every counted event kind."""
    rng = random.Random(seed)
    h = History()
    for _ in range(120 * scale):
        _hazard(h, rng, start, days)
    for _ in range(60 * scale):
        _inspection(h, rng, start, days)
    for _ in range(50 * scale):
        _case(h, rng, start, days)
    for _ in range(10 * scale):
        _small_measures(h, rng, start, days)
    for _ in range(6):
        _plan(h, rng, start)
    for _ in range(15 * scale):
        _supervisor(h, rng, start, days)
    for _ in range(25 * scale):
        _enterprise_and_assignments(h, rng, start, days)
    return h


def _hazard(h: History, rng: random.Random, start: date, days: int) -> None:
    hazard_id = _id()
    township, department, industry = rng.choice(TOWNSHIPS), rng.choice(DEPARTMENTS), rng.choice(INDUSTRIES)
    campaigns = tuple(sorted(rng.sample(CAMPAIGNS, rng.choice([0, 0, 1, 2]))))
    source = rng.choice(SOURCES)
    major = rng.random() < 0.25
    reported_on = _day(rng, start, days)
    funds: int | None = None
    day = reported_on

    def facts(status: str, **extra: Any) -> dict[str, Any]:
        return {
            "hazard_id": hazard_id,
            "enterprise_id": "ent-1",
            "township_code": township[:9] + "000" if rng.random() < 0.9 else township[:9] + "201",
            "industry_code": industry + ("1" if rng.random() < 0.3 else ""),
            "department_code": department,
            "grade": "major" if major else "general",
            "source": source,
            "campaign_codes": list(campaigns),
            "status": status,
            "reported_on": reported_on.isoformat(),
            **extra,
        }

    def emit(cls: type[EventPayload], on: date, status: str, **extra: Any) -> None:
        h.emit(cls(**facts(status, **extra)), on)

    def step(after: int, cls: type[EventPayload], status: str, **extra: Any) -> date:
        """Move `after` days on and emit `cls` with its `<status>_on` that day; answers the day."""
        nonlocal day
        day += timedelta(days=after)
        emit(cls, day, status, **{f"{status}_on": day.isoformat()}, **extra)
        return day

    initial_funds = rng.choice([None, 50_000, 120_000])
    funds = initial_funds
    emit(hz.HazardReportedV1, reported_on, "reported", description="隐患", funds_fen=initial_funds)
    dims = (township, department, industry, campaigns)
    grade = "major" if major else "general"
    if rng.random() < 0.05:
        emit(hz.HazardWithdrawnV1, day, "withdrawn", reason="误报")
        return
    rectified_on: date | None = None
    listing: tuple[str, date] | None = None
    overdue_on: date | None = None
    missed: date | None = None
    status = "reported"
    if major:
        day += timedelta(days=1)
        emit(hz.HazardJudgedV1, day, "judged", standard_code="gm", standard_version="2023", clause_code="c1")
        if rng.random() < 0.4:
            level = rng.choice(LEVELS)
            day += timedelta(days=2)
            emit(hz.HazardListedV1, day, "listed", **listing_fields(level, day, day + timedelta(days=30)))
            listing = (level, day)
        funds = rng.choice([200_000, 800_000])
        emit(
            hz.HazardPlanAcceptedV1,
            day,
            "plan_accepted",
            measures="m",
            funds_fen=funds,
            deadline=day.isoformat(),
            responsible_person="p",
            emergency_plan="e",
        )
        if rng.random() < 0.2:
            missed = day
            overdue_on = day + timedelta(days=rng.randrange(1, 5))
            emit(hz.HazardOverdueV1, overdue_on, "plan_accepted", **missed_deadline(day, overdue_on))
            day = overdue_on
        if rng.random() < 0.7:
            rectified_on, status = step(rng.randrange(1, 20), hz.HazardReviewedV1, "reviewed"), "reviewed"
            if rng.random() < 0.5:
                step(1, hz.HazardClosedV1, "closed")
                status = "closed"
    else:
        if rng.random() < 0.85:
            rectified_on, status = step(rng.randrange(0, 10), hz.HazardRectifiedV1, "rectified"), "rectified"
            if rng.random() < 0.2:
                day += timedelta(days=1)
                emit(
                    hz.HazardRectificationRejectedV1,
                    day,
                    "rectifying",
                    stage="verification",
                    reason="r",
                    deadline=day.isoformat(),
                )
                rectified_on, status = None, "rectifying"
                if rng.random() < 0.5:
                    spent = rng.choice([10_000, 30_000])
                    rectified_on = step(3, hz.HazardRectifiedV1, "rectified", funds_spent_fen=spent)
                    status, funds = "rectified", spent
            if status == "rectified" and rng.random() < 0.5:
                step(1, hz.HazardVerifiedV1, "verified")
                status = "verified"
        elif rng.random() < 0.5:
            missed = day
            overdue_on = day + timedelta(days=15)
            emit(hz.HazardOverdueV1, overdue_on, "reported", **missed_deadline(day, overdue_on))
    h.fact(reported_on, dims, f"hazard.found.{grade}.{source}")
    if rectified_on is not None:
        h.fact(reported_on, dims, f"hazard.rectified.{grade}.{source}")
        h.fact(rectified_on, dims, f"hazard.rectified_flow.{grade}")
    if listing is not None:
        h.fact(reported_on, dims, f"hazard.listed.{listing[0]}")
        h.fact(listing[1], dims, f"hazard.listed_flow.{listing[0]}")
    if missed is not None:
        # Overdue counts on the missed deadline's day, not on the day the scheduler saw it.
        h.fact(missed, dims, f"hazard.overdue.{grade}")
    h.fact(reported_on, dims, f"hazard.funds_fen.{grade}", funds or 0)
    _ = status


def _inspection(h: History, rng: random.Random, start: date, days: int) -> None:
    inspection_id, kind = _id(), rng.choice(KINDS)
    township, department = rng.choice(TOWNSHIPS), rng.choice(DEPARTMENTS)
    campaign = rng.choice([None, None, *CAMPAIGNS])
    on = _day(rng, start, days)
    persons, enterprises, findings = rng.randint(2, 6), rng.randint(1, 4), rng.choice([0, 0, 1, 3])
    counted = {
        "findings_count": findings,
        "campaign_code": campaign,
        "enterprise_ids": [f"e{i}" for i in range(enterprises)],
    }
    h.emit(inspection(inspection_id, kind, on, department, township, persons, **counted), on)
    dims = (township, department, "", (campaign,) if campaign else ())
    h.fact(on, dims, f"inspection.count.{kind}")
    h.fact(on, dims, f"inspection.persons.{kind}", persons)
    h.fact(on, dims, f"inspection.enterprise_checks.{kind}", enterprises)
    h.fact(on, dims, f"inspection.findings.{kind}", findings)
    h.fact(on, dims, f"inspection.with_findings.{kind}", 1 if findings else 0)


def _case(h: History, rng: random.Random, start: date, days: int) -> None:
    case_id = _id()
    township, industry = rng.choice(TOWNSHIPS), rng.choice(INDUSTRIES)
    on = _day(rng, start, days)
    if rng.random() < 0.4:
        delegated = rng.random() < 0.7
        unit_type, unit_code = ("township", township) if delegated else ("department", rng.choice(DEPARTMENTS))
        fine = rng.choice([0, 20_000, 100_000, 300_000])
        where = case_unit(township, unit_type, unit_code, delegated)
        h.emit(simplified_case(case_id, "简1", on, fine, industry_code=industry, **where), on)
        dims = (township, unit_code if unit_type == "department" else "", industry, ())
        channel = "delegated" if delegated else "direct"
        h.fact(on, dims, f"case.filed.simplified.{channel}")
        h.fact(on, dims, f"case.penalty_decisions.simplified.{channel}")
        h.fact(on, dims, f"case.fines_fen.simplified.{channel}", fine)
        return
    department = rng.choice(DEPARTMENTS)
    common = case_unit(township, "department", department, False)
    h.emit(case_filed(case_id, "立1", on, on, industry_code=industry, **common), on)
    dims = (township, department, industry, ())
    h.fact(on, dims, "case.filed.general.direct")
    if rng.random() < 0.3:
        return
    h.emit(
        enf.CaseStageChangedV1(
            case_id=case_id,
            case_number="立1",
            from_stage="filed",
            to_stage="investigation",
            approver="a",
            changed_at=on.isoformat(),
            township_code=township,
            unit_code=department,
        ),
        on,
    )
    decided = on + timedelta(days=rng.randrange(5, 40))
    fine = rng.choice([50_000, 200_000, 1_000_000])
    items = [enf.PenaltyItemV1(item_id="i-fine", kind="fine", amount_fen=fine)]
    stop = rng.random() < 0.3
    licence = rng.choice([0, 0, 1])
    revocation = licence and rng.random() < 0.5
    closure = rng.random() < 0.2
    detention = rng.random() < 0.2
    if stop:
        items.append(enf.PenaltyItemV1(item_id="i-stop", kind="stop_production"))
    if licence:
        items.append(
            enf.PenaltyItemV1(item_id="i-lic", kind="licence_revocation" if revocation else "licence_suspension")
        )
    if closure:
        items.append(enf.PenaltyItemV1(item_id="i-close", kind="closure_referral"))
    if detention:
        items.append(enf.PenaltyItemV1(item_id="i-det", kind="detention_referral", persons=2))
    h.emit(case_decided(case_id, "立1", decided, items, industry_code=industry, **common), decided)
    h.fact(decided, dims, "case.penalty_decisions.general.direct")
    h.fact(decided, dims, "case.fines_fen.general.direct", fine)
    h.fact(decided, dims, "case.stop_orders", 1 if stop else 0)
    h.fact(decided, dims, "case.licence_actions", licence)
    h.fact(decided, dims, "case.licence_revocations", 1 if revocation else 0)
    h.fact(decided, dims, "case.closure_referrals", 1 if closure else 0)
    h.fact(decided, dims, "case.detention_referrals", 1 if detention else 0)
    h.fact(decided, dims, "case.detention_persons", 2 if detention else 0)
    for item_id, kind, outcome, persons in (
        ("i-close", "closure_referral", rng.choice(["closure_approved", "closure_rejected"]), None),
        ("i-det", "detention_referral", rng.choice(["detained", "not_detained"]), 2),
    ):
        if (kind == "closure_referral" and not closure) or (kind == "detention_referral" and not detention):
            continue
        outcome_day = decided + timedelta(days=3)
        persons = persons if outcome == "detained" else None
        h.emit(item_outcome(case_id, item_id, kind, outcome, outcome_day, persons, township, department), outcome_day)
        if outcome == "closure_approved":
            h.fact(outcome_day, dims, "case.closures")
        if outcome == "detained":
            h.fact(outcome_day, dims, "case.detained_persons", 2)
    h.emit(
        enf.CaseServedV1(
            case_id=case_id,
            case_number="立1",
            served_on=decided.isoformat(),
            method="direct",
            township_code=township,
            unit_code=department,
        ),
        decided,
    )


def _small_measures(h: History, rng: random.Random, start: date, days: int) -> None:
    township, department = rng.choice(TOWNSHIPS), rng.choice(DEPARTMENTS)
    dims = (township, department, "", ())
    on = _day(rng, start, days)
    interview_id, persons = _id(), rng.randint(1, 9)
    by = unit("department", department, township)
    h.emit(
        enf.InterviewRecordedV1(interview_id=interview_id, held_on=on.isoformat(), persons=persons, subject="s", **by),
        on,
    )
    h.fact(on, dims, "interview.count")
    h.fact(on, dims, "interview.persons", persons)
    exposure_id, named = _id(), rng.randint(0, 3)
    published = {"published_on": on.isoformat(), "channel": "web", "title": "t", **by}
    named_ids = [f"e{i}" for i in range(named)]
    h.emit(enf.ExposurePublishedV1(exposure_id=exposure_id, enterprise_ids=named_ids, **published), on)
    h.fact(on, dims, "exposure.count")
    h.fact(on, dims, "exposure.enterprises", named)
    typical_id = _id()
    h.emit(enf.TypicalCasePublishedV1(typical_case_id=typical_id, **published), on)
    h.fact(on, dims, "typical_case.count")
    action_id, campaign = _id(), "crackdown_illegal_mining_2023"
    seizures = [enf.SeizureV1(item="管线", quantity="400米", value_fen=rng.choice([0, 5_000]))]
    persons, patrols, stopped = rng.randint(5, 30), rng.randint(1, 4), rng.randint(0, 2)
    action = {"patrols": patrols, "persons_deployed": persons, "sites_stopped": stopped, "campaign_code": campaign}
    seized = {"seizures": seizures, "seizure_value_fen": seizures[0].value_fen}
    h.emit(crackdown(action_id, on, **action, **seized, **unit("township", township, township)), on)
    cdims = (township, "", "", (campaign,))
    h.fact(on, cdims, "crackdown.actions")
    h.fact(on, cdims, "crackdown.patrols", patrols)
    h.fact(on, cdims, "crackdown.persons", persons)
    h.fact(on, cdims, "crackdown.sites_stopped", stopped)
    h.fact(on, cdims, "crackdown.seizures", 1)
    h.fact(on, cdims, "crackdown.seizure_value_fen", seizures[0].value_fen)


def _plan(h: History, rng: random.Random, start: date) -> None:
    plan_id, department = _id(), rng.choice(DEPARTMENTS)
    months = [
        enf.MonthlyTargetV1(month=m, inspections=rng.randint(1, 9), enterprise_checks=5, cases=1) for m in range(1, 13)
    ]
    for version in (1, 2):  # the plan is set, then replaced: only the second counts
        if version == 2:
            months = [
                enf.MonthlyTargetV1(month=m.month, inspections=m.inspections + 1, enterprise_checks=6, cases=2)
                for m in months
            ]
        h.emit(
            enf.EnforcementPlanSetV1(
                plan_id=plan_id,
                year=start.year,
                unit_type="department",
                unit_code=department,
                approved_by="gov",
                approved_on=start.isoformat(),
                months=months,
                total_inspections=0,
                total_enterprise_checks=0,
                total_cases=0,
            ),
            start,
        )
    for m in months:
        day = date(start.year, m.month, 1)
        dims = ("", department, "", ())
        h.fact(day, dims, "plan.inspections", m.inspections)
        h.fact(day, dims, "plan.enterprise_checks", m.enterprise_checks)
        h.fact(day, dims, "plan.cases", m.cases)


def _supervisor(h: History, rng: random.Random, start: date, days: int) -> None:
    supervisor_id, township = _id(), rng.choice(TOWNSHIPS)
    department = rng.choice(DEPARTMENTS)
    on = _day(rng, start, days // 2)
    snapshot = {
        "supervisor_id": supervisor_id,
        "code": "S",
        "name": "n",
        "org_kind": "department",
        "org_code": department,
        "township_code": township,
    }
    h.emit(sup.SupervisorRegisteredV1(**snapshot, active=True), on)
    dims = (township, department, "", ())
    h.fact(on, dims, "supervisor.active")
    if rng.random() < 0.3:
        off = on + timedelta(days=rng.randrange(1, days // 2))
        h.emit(sup.SupervisorUpdatedV1(**snapshot, active=False), off)
        h.fact(off, dims, "supervisor.active", -1)
    visit_on = on + timedelta(days=1)
    visit_id, industry = _id(), rng.choice(INDUSTRIES)
    h.emit(
        sup.VisitLoggedV1(
            visit_id=visit_id,
            supervisor_id=supervisor_id,
            enterprise_id="e",
            township_code=township,
            industry_code=industry,
            visited_on=visit_on.isoformat(),
            findings=[sup.VisitFinding(finding_id="f", description="d", grade_suggestion="general")],
        ),
        visit_on,
    )
    h.fact(visit_on, (township, "", industry, ()), "visit.count")
    h.fact(visit_on, (township, "", industry, ()), "visit.findings", 1)


def _enterprise_and_assignments(h: History, rng: random.Random, start: date, days: int) -> None:
    enterprise_id, township, industry = _id(), rng.choice(TOWNSHIPS), rng.choice(INDUSTRIES)
    department, employees = rng.choice(DEPARTMENTS), rng.choice([1, 2, 3, 8, 40])
    on = _day(rng, start, days // 3)
    h.emit(
        sup.EnterpriseRegisteredV1(
            enterprise_id=enterprise_id,
            name="n",
            credit_code="c",
            industry_code=industry,
            township_code=township,
            employee_count=employees,
            status="operating",
            supervising_department=department,
        ),
        on,
    )
    dims = (township, department, industry, ())
    h.fact(on, dims, "enterprise.registered")
    operating = True
    if rng.random() < 0.15:
        h.emit(
            sup.EnterpriseStatusChangedV1(enterprise_id=enterprise_id, previous_status="operating", status="closed"),
            on + timedelta(days=5),
        )
        operating = False
    if operating and employees >= 3:
        h.fact(on, dims, "enterprise.qualifying_3plus")
    intervals: list[tuple[date, date | None]] = []
    cursor = on + timedelta(days=1)
    for _ in range(rng.choice([0, 1, 1, 2])):
        assignment_id = _id()
        base = {
            "assignment_id": assignment_id,
            "supervisor_id": "sv",
            "supervisor_name": "n",
            "supervisor_org_kind": "department",
            "supervisor_org_code": department,
            "enterprise_id": enterprise_id,
            "enterprise_name": "n",
            "township_code": township,
            "industry_code": industry,
            "employee_count": employees,
            "supervising_department": department,
            "start_date": cursor.isoformat(),
        }
        h.emit(sup.AssignmentStartedV1(**base), cursor)
        end: date | None = None
        if rng.random() < 0.5:
            end = cursor + timedelta(days=rng.randrange(1, 30))
            h.emit(sup.AssignmentEndedV1(**base, end_date=end.isoformat(), end_reason="r"), end)
        intervals.append((cursor, end))
        cursor = (end or cursor) + timedelta(days=rng.choice([0, 2]))
        if end is None:
            break
    merged: list[list[Any]] = []
    for s, e in intervals:
        if merged and merged[-1][1] is not None and s <= merged[-1][1]:
            merged[-1][1] = e
        else:
            merged.append([s, e])
    for s, e in merged:
        for indicator in ("coverage.enterprises", *(["coverage.enterprises_3plus"] if employees >= 3 else [])):
            h.fact(s, dims, indicator)
            if e is not None:
                h.fact(e, dims, indicator, -1)
