"""Enforcement: penalty cases, annual plans, and the one-shot facts (inspections, crackdowns, interviews,
exposures, typical cases)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from reporting_service.projections.domain.facts import (
    Collector,
    Contribution,
    Dims,
    act_facts,
    campaigns_of,
    dims_of,
    industry_of,
    iso_day,
    township_of,
    unit_dims,
)
from reporting_service.projections.domain.records import EventRecord, parse_day, require
from reporting_service.projections.domain.state import AggregateState

DETAINED_OUTCOME = "detained"
CLOSURE_OUTCOMES = frozenset({"closure_approved", "closed_down"})


def _channel(d: Mapping[str, Any]) -> str:
    return "delegated" if d.get("delegated") else "direct"


def _case_dims(d: Mapping[str, Any]) -> dict[str, str]:
    return {
        "township": township_of(d.get("delegated_township_code") or d.get("township_code")),
        "department": (d.get("unit_code") or "") if d.get("unit_type") == "department" else "",
        "industry": industry_of(d.get("industry_code")),
    }


def reduce_case(state: AggregateState, event: EventRecord) -> None:
    """Merge the case events that change a count: filing, decisions and referral outcomes."""
    d, v, kind = event.data, event.aggregate_version, event.event_type
    if d.get("campaign_code"):
        state.put("campaign", d["campaign_code"], v)
    if kind == "case.filed":
        require(d, "filed_on", "township_code")
        state.put("filed", {"on": parse_day(d["filed_on"]).isoformat(), "channel": _channel(d), **_case_dims(d)}, v)
    elif kind == "case.simplified_decided":
        require(d, "decided_on", "township_code")
        state.put(
            "simplified",
            {
                "on": parse_day(d["decided_on"]).isoformat(),
                "channel": _channel(d),
                "fine_fen": int(d.get("fine_fen") or 0),
                **_case_dims(d),
            },
            v,
        )
    elif kind == "case.decided":
        require(d, "decided_on", "township_code")
        items = d.get("items") or []
        state.put(
            "decision",
            {
                "on": parse_day(d["decided_on"]).isoformat(),
                "channel": _channel(d),
                "procedure": d.get("procedure") or "general",
                "penalty": d.get("outcome") == "penalty",
                "fine_fen": int(d.get("fine_total_fen") or 0),
                "confiscation_fen": int(d.get("confiscation_value_fen") or 0),
                "stop_orders": 1 if d.get("stop_production") else 0,
                "licence_actions": int(d.get("licence_actions") or 0),
                "licence_revocations": sum(1 for i in items if i.get("kind") == "licence_revocation"),
                "closure_referrals": int(d.get("closure_referrals") or 0),
                "detention_referrals": int(d.get("detention_referrals") or 0),
                "detention_persons": int(d.get("detention_persons") or 0),
                **_case_dims(d),
            },
            v,
        )
    elif kind == "case.item_outcome_recorded":
        require(d, "item_id", "outcome", "decided_on")
        state.put(
            f"item:{d['item_id']}",
            {
                "on": parse_day(d["decided_on"]).isoformat(),
                "kind": d.get("kind") or "",
                "outcome": d["outcome"],
                "persons": int(d.get("persons") or 0),
                "township": township_of(d.get("township_code")),
            },
            v,
        )


def case_contribution(state: AggregateState) -> Contribution:
    """Cases filed, decisions, fines and measures of one penalty case."""
    out = Collector()
    f = state.fields
    tag = campaigns_of([f.get("campaign")])
    filed = f.get("filed")
    if filed:
        out.add(iso_day(filed["on"]), dims_of(filed, tag), f"case.filed.general.{filed['channel']}")
    decision, simplified = f.get("decision"), f.get("simplified")
    if simplified is None and decision is not None and decision["procedure"] == "simplified":
        simplified = decision
    if simplified is not None:
        day, dims, ch = iso_day(simplified["on"]), dims_of(simplified, tag), simplified["channel"]
        out.add(day, dims, f"case.filed.simplified.{ch}")
        out.add(day, dims, f"case.penalty_decisions.simplified.{ch}")
        out.add(day, dims, f"case.fines_fen.simplified.{ch}", simplified["fine_fen"])
    if decision is not None and decision["procedure"] != "simplified":
        day, dims, ch = iso_day(decision["on"]), dims_of(decision, tag), decision["channel"]
        if decision["penalty"]:
            out.add(day, dims, f"case.penalty_decisions.general.{ch}")
        out.add(day, dims, f"case.fines_fen.general.{ch}", decision["fine_fen"])
        for name in (
            "confiscation_fen",
            "stop_orders",
            "licence_actions",
            "licence_revocations",
            "closure_referrals",
            "detention_referrals",
            "detention_persons",
        ):
            out.add(day, dims, f"case.{name}", decision[name])
    base = decision or filed or simplified
    for name, item in f.items():
        if not name.startswith("item:"):
            continue
        context = base or {}
        dims = Dims(
            item["township"] or context.get("township", ""),
            context.get("department", ""),
            context.get("industry", ""),
            tag,
        )
        if item["outcome"] in CLOSURE_OUTCOMES:
            out.add(iso_day(item["on"]), dims, "case.closures")
        elif item["outcome"] == DETAINED_OUTCOME:
            out.add(iso_day(item["on"]), dims, "case.detained_persons", item["persons"] or 1)
    return out.facts


def reduce_plan(state: AggregateState, event: EventRecord) -> None:
    """An annual enforcement plan is replaced as a whole."""
    d = event.data
    require(d, "year", "unit_type", "unit_code")
    state.put(
        "plan",
        {
            "year": int(d["year"]),
            "unit_type": d["unit_type"],
            "unit_code": d["unit_code"],
            "months": [
                {
                    "month": int(m["month"]),
                    "inspections": int(m.get("inspections") or 0),
                    "enterprise_checks": int(m.get("enterprise_checks") or 0),
                    "cases": int(m.get("cases") or 0),
                }
                for m in d.get("months") or []
            ],
        },
        event.aggregate_version,
    )


def plan_contribution(state: AggregateState) -> Contribution:
    """Planned counts on the first day of each month, for the plan-completion figures."""
    out = Collector()
    plan = state.fields.get("plan")
    if not plan:
        return out.facts
    dims = unit_dims(plan["unit_type"], plan["unit_code"])
    for m in plan["months"]:
        if 1 <= m["month"] <= 12:
            day = date(plan["year"], m["month"], 1)
            for name in ("inspections", "enterprise_checks", "cases"):
                out.add(day, dims, f"plan.{name}", m[name])
    return out.facts


def inspection_facts(event: EventRecord) -> Contribution:
    """Inspections, persons deployed, enterprise-checks and findings, by inspection kind."""
    d = event.data
    require(d, "inspected_on", "kind")
    unit_type = d.get("unit_type") or ("department" if d.get("department_code") else None)
    dims = unit_dims(unit_type, d.get("department_code") or d.get("unit_code"), d.get("township_code"))
    if d.get("delegated") and d.get("delegated_township_code"):
        dims = Dims(township_of(d["delegated_township_code"]), dims.department)
    kind, checks, findings = d["kind"], d.get("enterprises_checked"), int(d.get("findings_count") or 0)
    return act_facts(
        parse_day(d["inspected_on"]),
        Dims(dims.township, dims.department, "", campaigns_of([d.get("campaign_code")])),
        {
            f"inspection.count.{kind}": 1,
            f"inspection.persons.{kind}": int(d.get("persons_deployed") or 0),
            f"inspection.enterprise_checks.{kind}": int(
                checks if checks is not None else len(d.get("enterprise_ids") or [])
            ),
            f"inspection.findings.{kind}": findings,
            f"inspection.major_findings.{kind}": int(d.get("major_findings_count") or 0),
            f"inspection.with_findings.{kind}": 1 if findings > 0 else 0,
        },
    )


def crackdown_facts(event: EventRecord) -> Contribution:
    """Actions against illegal operations (打非治违): patrols, persons, sites stopped, seizures."""
    d = event.data
    require(d, "acted_on")
    base = _acting_unit(d)
    seizures = d.get("seizures") or []
    value = d.get("seizure_value_fen") or sum(int(s.get("value_fen") or 0) for s in seizures)
    return act_facts(
        parse_day(d["acted_on"]),
        Dims(base.township, base.department, "", campaigns_of([d.get("campaign_code")])),
        {
            "crackdown.actions": 1,
            "crackdown.patrols": int(d.get("patrols") or 0),
            "crackdown.persons": int(d.get("persons_deployed") or 0),
            "crackdown.sites_stopped": int(d.get("sites_stopped") or 0),
            "crackdown.seizures": len(seizures),
            "crackdown.seizure_value_fen": int(value),
        },
    )


def interview_facts(event: EventRecord) -> Contribution:
    """Interviews (约谈): times and persons."""
    d = event.data
    require(d, "held_on")
    counts = {"interview.count": 1, "interview.persons": int(d.get("persons") or 0)}
    return act_facts(parse_day(d["held_on"]), _acting_unit(d), counts)


def exposure_facts(event: EventRecord) -> Contribution:
    """Public warning exposures (警示曝光) and the enterprises named."""
    d = event.data
    require(d, "published_on")
    counts = {"exposure.count": 1, "exposure.enterprises": len(d.get("enterprise_ids") or [])}
    return act_facts(parse_day(d["published_on"]), _acting_unit(d), counts)


def typical_case_facts(event: EventRecord) -> Contribution:
    """Published typical cases (典型执法案例)."""
    d = event.data
    require(d, "published_on")
    return act_facts(parse_day(d["published_on"]), _acting_unit(d), {"typical_case.count": 1})


def _acting_unit(d: Mapping[str, Any]) -> Dims:
    return unit_dims(d.get("unit_type"), d.get("unit_code"), d.get("township_code"))
