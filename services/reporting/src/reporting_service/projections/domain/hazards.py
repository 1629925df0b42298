"""Hazards (一单四制): found, rectified, listed, overdue and funds."""

from __future__ import annotations

from datetime import date
from typing import Any

from reporting_service.projections.domain.facts import (
    Collector,
    Contribution,
    Dims,
    campaigns_of,
    industry_of,
    township_of,
)
from reporting_service.projections.domain.records import EventRecord, parse_day, require
from reporting_service.projections.domain.state import AggregateState

# Statuses from which a hazard counts as rectified (整改): general hazards once marked rectified,
# major hazards once the on-site review passed.
RECTIFIED_STATUSES = {
    "general": frozenset({"rectified", "verified", "closed"}),
    "major": frozenset({"reviewed", "closed"}),
}


def reduce_hazard(state: AggregateState, event: EventRecord) -> None:
    """Merge a hazard event (every one carries the hazard's dimensions and status after it)."""
    d, v = event.data, event.aggregate_version
    require(d, "township_code", "grade", "source", "status")
    state.put(
        "snapshot",
        {
            "township": township_of(d.get("township_code")),
            "department": d.get("department_code") or "",
            "industry": industry_of(d.get("industry_code")),
            "campaigns": list(campaigns_of(d.get("campaign_codes") or [])),
            "grade": d["grade"],
            "source": d["source"],
            "status": d["status"],
        },
        v,
    )
    if d.get("reported_on"):
        state.put_min("reported_on", parse_day(d["reported_on"]).isoformat())
    kind = event.event_type
    if kind == "hazard.rectified":
        state.put("rectified_on", parse_day(d["rectified_on"]).isoformat(), v)
    elif kind == "hazard.reviewed":
        state.put("rectified_on", parse_day(d["reviewed_on"]).isoformat(), v)
    elif kind == "hazard.closed":
        state.put("closed_on", parse_day(d["closed_on"]).isoformat(), v)
    elif kind == "hazard.listed":
        state.put("listing", {"on": parse_day(d["listed_on"]).isoformat(), "level": d.get("level") or ""}, v)
    elif kind == "hazard.assessed":
        state.put("assessed_on", parse_day(d["assessed_on"]).isoformat(), v)
    elif kind == "hazard.overdue":
        deadline = parse_day(d["deadline"]).isoformat()
        state.put(f"missed:{d.get('deadline_kind') or 'rectification'}:{deadline}", deadline, v)
    funds = d.get("funds_spent_fen") if d.get("funds_spent_fen") is not None else d.get("funds_fen")
    if funds is not None:
        state.put("funds_fen", int(funds), v)


def hazard_contribution(state: AggregateState) -> Contribution:
    """Found (by grade and source), rectified, listed, overdue and funds of one hazard."""
    out = Collector()
    snap = state.fields.get("snapshot")
    reported_on = state.fields.get("reported_on")
    if snap is None or reported_on is None or snap["status"] == "withdrawn":
        return out.facts
    dims = Dims(snap["township"], snap["department"], snap["industry"], tuple(snap["campaigns"]))
    grade, source, found_day = snap["grade"], snap["source"], date.fromisoformat(reported_on)
    out.add(found_day, dims, f"hazard.found.{grade}.{source}")
    if snap["status"] in RECTIFIED_STATUSES.get(grade, RECTIFIED_STATUSES["general"]):
        # Cohort: of the hazards found in a period, how many are rectified now (rate <= 100%).
        out.add(found_day, dims, f"hazard.rectified.{grade}.{source}")
        done = state.fields.get("rectified_on") or state.fields.get("closed_on") or reported_on
        out.add(date.fromisoformat(done), dims, f"hazard.rectified_flow.{grade}")
    listing = state.fields.get("listing")
    if listing is not None:
        out.add(found_day, dims, f"hazard.listed.{listing['level']}")
        out.add(date.fromisoformat(listing["on"]), dims, f"hazard.listed_flow.{listing['level']}")
    overdue_on = first_missed_deadline(state.fields)
    if overdue_on is not None:
        out.add(overdue_on, dims, f"hazard.overdue.{grade}")
    out.add(found_day, dims, f"hazard.funds_fen.{grade}", int(state.fields.get("funds_fen") or 0))
    return out.facts


def first_missed_deadline(fields: dict[str, Any]) -> date | None:
    """The earliest deadline the hazard really missed: overdue is dated by the deadline, not by its detection.

    A deadline met after all (rectification, or a major hazard's assessment, or its review, dated on or
    before it) does not count, although the scheduler saw it open while history was being entered.
    """
    missed = []
    for name, deadline in fields.items():
        if not name.startswith("missed:"):
            continue
        kind = name.split(":")[1]
        done = fields.get("rectified_on") if kind == "review" else fields.get("assessed_on", fields.get("rectified_on"))
        if done is None or done > deadline:
            missed.append(deadline)
    return date.fromisoformat(min(missed)) if missed else None
