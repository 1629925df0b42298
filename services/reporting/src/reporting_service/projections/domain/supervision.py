"""The resident-supervisor programme: supervisors, coverage of enterprises by assignments, the enterprise
registry and visits."""

from __future__ import annotations

from datetime import UTC, date

from reporting_service.projections.domain.facts import (
    Collector,
    Contribution,
    Dims,
    act_facts,
    industry_of,
    iso_day,
    township_of,
)
from reporting_service.projections.domain.records import EventRecord, parse_day, require
from reporting_service.projections.domain.state import AggregateState
from shared.reference_data.supervision import SUPERVISION_RULES, SupervisionRules
from shared.rules import DatedRules


def reduce_supervisor(state: AggregateState, event: EventRecord) -> None:
    """A supervisor's full state; the appointment day (or, for events without one, the first registration's day)
    starts the count."""
    d = event.data
    require(d, "supervisor_id")
    state.put(
        "snapshot",
        {
            "active": bool(d.get("active")),
            "township": township_of(d.get("township_code")),
            "department": (d.get("org_code") or "") if d.get("org_kind") == "department" else "",
            "changed_on": event.local_day.isoformat(),
        },
        event.aggregate_version,
    )
    state.put_min("first_on", event.local_day.isoformat())
    if d.get("appointed_on"):
        state.put("effective_on", parse_day(d["appointed_on"]).isoformat(), event.aggregate_version)


def _effective_on(state: AggregateState) -> str | None:
    """The day an aggregate counts from: its effective date when its events carry one (history imported later
    keeps its own day), else the day it was first seen."""
    effective: str | None = state.fields.get("effective_on") or state.fields.get("first_on")
    return effective


def supervisor_contribution(state: AggregateState) -> Contribution:
    """+1 from the appointment day; -1 from the day the supervisor became inactive."""
    out = Collector()
    snap, first = state.fields.get("snapshot"), _effective_on(state)
    if snap is None or first is None:
        return out.facts
    dims = Dims(snap["township"], snap["department"])
    out.add(iso_day(first), dims, "supervisor.active")
    if not snap["active"]:
        out.add(max(iso_day(first), iso_day(snap["changed_on"])), dims, "supervisor.active", -1)
    return out.facts


def reduce_coverage(state: AggregateState, event: EventRecord) -> None:
    """Assignments of one enterprise (aggregate id = enterprise id), for the coverage counts."""
    d = event.data
    require(d, "assignment_id", "enterprise_id", "start_date")
    state.put(
        f"assignment:{d['assignment_id']}",
        {
            "start": parse_day(d["start_date"]).isoformat(),
            "end": parse_day(d["end_date"]).isoformat() if d.get("end_date") else None,
        },
        event.aggregate_version,
    )
    # Different assignments have unrelated versions: the newest event by time (then id) wins.
    state.put(
        "enterprise",
        {
            "township": township_of(d.get("township_code")),
            "industry": industry_of(d.get("industry_code")),
            "department": d.get("supervising_department") or "",
            "employees": int(d.get("employee_count") or 0),
        },
        [event.occurred_at.astimezone(UTC).isoformat(), event.event_id],
    )


def coverage_contribution(
    state: AggregateState, rules: DatedRules[SupervisionRules] = SUPERVISION_RULES
) -> Contribution:
    """+1 where the union of the enterprise's assignment intervals starts, -1 where it ends."""
    out = Collector()
    ent = state.fields.get("enterprise")
    intervals = sorted(
        (iso_day(a["start"]), iso_day(a["end"]) if a["end"] else None)
        for name, a in state.fields.items()
        if name.startswith("assignment:")
    )
    if ent is None or not intervals:
        return out.facts
    dims = Dims(ent["township"], ent["department"], ent["industry"])
    for start, end in _union(intervals):
        qualifies = ent["employees"] >= rules.on(start).coverage_min_employees
        for indicator in ("coverage.enterprises", *(["coverage.enterprises_3plus"] if qualifies else [])):
            out.add(start, dims, indicator)
            if end is not None:
                out.add(end, dims, indicator, -1)
    return out.facts


def _union(intervals: list[tuple[date, date | None]]) -> list[tuple[date, date | None]]:
    """Merge [start, end) intervals (end None = still open)."""
    merged: list[tuple[date, date | None]] = []
    for start, end in intervals:
        if end is not None and end <= start:
            continue
        if merged and (merged[-1][1] is None or start <= merged[-1][1]):
            last_start, last_end = merged[-1]
            new_end = None if last_end is None or end is None else max(last_end, end)
            merged[-1] = (last_start, new_end)
        else:
            merged.append((start, end))
    return merged


def reduce_enterprise(state: AggregateState, event: EventRecord) -> None:
    """Registry fields, each written by the newest event providing it."""
    d, v = event.data, event.aggregate_version
    for name, key, convert in (
        ("status", "status", str),
        ("employees", "employee_count", int),
        ("township", "township_code", township_of),
        ("industry", "industry_code", industry_of),
        ("department", "supervising_department", str),
    ):
        if d.get(key) is not None:
            state.put(name, convert(d[key]), v)
    state.put_min("first_on", event.local_day.isoformat())
    if d.get("registered_on"):
        state.put("effective_on", parse_day(d["registered_on"]).isoformat(), v)


def enterprise_contribution(
    state: AggregateState, rules: DatedRules[SupervisionRules] = SUPERVISION_RULES
) -> Contribution:
    """Registered enterprises and those operating with 3+ employees from their registration day, as of their latest
    registry state."""
    out = Collector()
    f = state.fields
    effective = _effective_on(state)
    if effective is None or f.get("township") is None:
        return out.facts
    first = iso_day(effective)
    dims = Dims(f["township"], f.get("department", ""), f.get("industry", ""))
    out.add(first, dims, "enterprise.registered")
    if f.get("status") == "operating" and int(f.get("employees") or 0) >= rules.on(first).coverage_min_employees:
        out.add(first, dims, "enterprise.qualifying_3plus")
    return out.facts


def visit_facts(event: EventRecord) -> Contribution:
    """Resident supervisors' visits and their findings."""
    d = event.data
    require(d, "visited_on")
    dims = Dims(township_of(d.get("township_code")), "", industry_of(d.get("industry_code")))
    counts = {"visit.count": 1, "visit.findings": len(d.get("findings") or [])}
    return act_facts(parse_day(d["visited_on"]), dims, counts)
