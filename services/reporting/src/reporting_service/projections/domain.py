"""Pure projection rules: how each aggregate's events merge into its state, and what the state
contributes to the counters.

Order independence is the invariant every rule keeps. A field of an aggregate's state is written
by the event with the highest version that provides it (last writer wins per field, compared by
`aggregate_version`), or by a commutative rule (minimum of a date). The state after any delivery
order of the same set of events is therefore the state after in-order delivery, and a stale event
changes nothing it should not. The counters hold the sum of every aggregate's contribution; an
event changes them by `contribution(new state) - contribution(old state)`, so a hazard rectified,
rejected and rectified again counts once.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

from shared.contracts import enforcement, hazard, supervisor
from shared.contracts.registry import REGISTRY

# Importing the producers' contract modules registers their payload classes: the consumer logs every
# registered event type of their topics, and the hazard rules cover every `hazard.*` type.
CONTRACT_MODULES = (enforcement, hazard, supervisor)

# Local dates of the bureau (Asia/Shanghai has no daylight saving time).
LOCAL_TZ = timezone(timedelta(hours=8))

STOCK_INDICATORS = frozenset(
    {
        "supervisor.active",
        "coverage.enterprises",
        "coverage.enterprises_3plus",
        "enterprise.registered",
        "enterprise.qualifying_3plus",
    }
)
"""Indicators counted as +1 when something starts and -1 when it ends; read as a running total."""

# Statuses from which a hazard counts as rectified (整改): general hazards once marked rectified,
# major hazards once the on-site review passed.
RECTIFIED_STATUSES = {
    "general": frozenset({"rectified", "verified", "closed"}),
    "major": frozenset({"reviewed", "closed"}),
}
DETAINED_OUTCOME = "detained"
CLOSURE_OUTCOMES = frozenset({"closure_approved", "closed_down"})


@dataclass(frozen=True)
class CoverageRule:
    """The employee threshold of the resident-supervisor coverage target, with its effective date."""

    effective_from: date
    min_employees: int


# 怀化市安委会: "3人以上企业需落实企业派驻制度" (2023).
COVERAGE_RULES: tuple[CoverageRule, ...] = (CoverageRule(date(2023, 1, 1), 3),)


def coverage_threshold(on: date, override: int | None = None) -> int:
    """The employee count from which an enterprise must have a resident supervisor on `on`."""
    if override is not None:
        return override
    rules = [r for r in COVERAGE_RULES if r.effective_from <= on] or [COVERAGE_RULES[0]]
    return max(rules, key=lambda r: r.effective_from).min_employees


class PoisonEvent(ValueError):
    """The event cannot be projected (missing or malformed data); it goes to the dead letters."""


@dataclass(frozen=True)
class EventRecord:
    """The parts of an envelope the projection reads (from the broker or from the event log)."""

    event_id: str
    event_type: str
    event_version: int
    aggregate_type: str
    aggregate_id: str
    aggregate_version: int
    occurred_at: datetime
    data: Mapping[str, Any]
    topic: str

    @classmethod
    def from_envelope_dict(cls, envelope: Mapping[str, Any]) -> EventRecord:
        """Build from the JSON form of an envelope, upcasting old payload versions."""
        event_type = envelope["event_type"]
        version = int(envelope["event_version"])
        data = upcast(event_type, version, dict(envelope["data"]))
        occurred = envelope["occurred_at"]
        if isinstance(occurred, str):
            occurred = datetime.fromisoformat(occurred)
        cls_ = REGISTRY.classes.get((event_type, version))
        return cls(
            event_id=str(envelope["event_id"]),
            event_type=event_type,
            event_version=version,
            aggregate_type=envelope["aggregate_type"],
            aggregate_id=str(envelope["aggregate_id"]),
            aggregate_version=int(envelope["aggregate_version"]),
            occurred_at=occurred if occurred.tzinfo else occurred.replace(tzinfo=UTC),
            data=data,
            topic=cls_.topic if cls_ is not None else "",
        )

    @property
    def local_day(self) -> date:
        """The bureau's calendar day on which the event occurred."""
        return self.occurred_at.astimezone(LOCAL_TZ).date()


def upcast(event_type: str, version: int, data: dict[str, Any]) -> dict[str, Any]:
    """Bring old payload data to the newest registered version (as the registry would)."""
    if (event_type, version + 1) not in REGISTRY.classes:
        return data
    latest = REGISTRY.latest_version(event_type)
    while latest is not None and version < latest:
        data = REGISTRY.upcasters[(event_type, version)](data)
        version += 1
    return data


# --- facts ---------------------------------------------------------------------------------------

# (day, township, department, industry, campaigns, indicator)
FactKey = tuple[date, str, str, str, tuple[str, ...], str]
Contribution = dict[FactKey, int]


@dataclass(frozen=True)
class Dims:
    """Where a fact is counted: township, department, industry and the campaigns it belongs to."""

    township: str = ""
    department: str = ""
    industry: str = ""
    campaigns: tuple[str, ...] = ()


def township_of(code: str | None) -> str:
    """The 12-digit township code of a township or village code ('' when unknown)."""
    if not code:
        return ""
    code = code.strip()
    if len(code) == 12 and code.isdigit():
        return code[:9] + "000"
    return code


def industry_of(code: str | None) -> str:
    """The GB/T 4754 division (2 digits) of an industry code, or the section letter."""
    if not code:
        return ""
    code = code.strip().upper()
    if code[:1].isalpha():
        return code[:1]
    return code[:2]


def campaigns_of(codes: Iterable[str | None]) -> tuple[str, ...]:
    """Sorted distinct campaign codes (so the same set always gives the same key)."""
    return tuple(sorted({c for c in codes if c}))


def parse_day(value: Any) -> date:
    """A YYYY-MM-DD date (or the date part of an ISO timestamp)."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, datetime):
        return value.astimezone(LOCAL_TZ).date()
    text = str(value)
    try:
        if len(text) > 10:
            return datetime.fromisoformat(text).astimezone(LOCAL_TZ).date()
        return date.fromisoformat(text)
    except ValueError as exc:
        raise PoisonEvent(f"not a date: {text!r}") from exc


class _Collector:
    """Builds one aggregate's contribution."""

    def __init__(self) -> None:
        self.facts: Contribution = defaultdict(int)

    def add(self, day: date, dims: Dims, indicator: str, value: int = 1) -> None:
        if value:
            self.facts[(day, dims.township, dims.department, dims.industry, dims.campaigns, indicator)] += value


def difference(new: Contribution, old: Contribution) -> Contribution:
    """new - old, without zero entries."""
    delta: Contribution = {}
    for key in new.keys() | old.keys():
        value = new.get(key, 0) - old.get(key, 0)
        if value:
            delta[key] = value
    return delta


# --- state with per-field versions -----------------------------------------------------------------

Version = Any  # an int (aggregate_version) or a list compared lexicographically


@dataclass
class AggregateState:
    """The projection state of one aggregate: fields, the version that wrote each, the max version."""

    kind: str
    key: str
    version: int = 0
    fields: dict[str, Any] = field(default_factory=dict)
    versions: dict[str, Version] = field(default_factory=dict)

    def put(self, name: str, value: Any, version: Version) -> None:
        """Last writer wins: keep the value of the highest version that provided the field."""
        current = self.versions.get(name)
        if current is None or _later(version, current):
            self.fields[name] = value
            self.versions[name] = version

    def put_min(self, name: str, value: Any) -> None:
        """Keep the smallest value ever provided (commutative, so order does not matter)."""
        if value is None:
            return
        current = self.fields.get(name)
        if current is None or value < current:
            self.fields[name] = value

    def to_json(self) -> str:
        """The stored form (sorted keys, so equal states have equal text)."""
        return json.dumps({"f": self.fields, "v": self.versions}, sort_keys=True, ensure_ascii=False)

    @classmethod
    def from_json(cls, kind: str, key: str, version: int, text: str | Mapping[str, Any]) -> AggregateState:
        """Load a stored state."""
        raw = json.loads(text) if isinstance(text, str) else dict(text)
        return cls(kind=kind, key=key, version=version, fields=dict(raw["f"]), versions=dict(raw["v"]))


def _later(a: Version, b: Version) -> bool:
    if isinstance(a, list) and isinstance(b, list):
        return [str(x) for x in a] > [str(x) for x in b]
    return int(a) > int(b)


# --- hazards ---------------------------------------------------------------------------------------


def _require(data: Mapping[str, Any], *names: str) -> None:
    for name in names:
        if data.get(name) in (None, ""):
            raise PoisonEvent(f"missing {', '.join(n for n in names if data.get(n) in (None, ''))}")


def reduce_hazard(state: AggregateState, event: EventRecord) -> None:
    """Merge a hazard event (every one carries the hazard's dimensions and status after it)."""
    d, v = event.data, event.aggregate_version
    _require(d, "township_code", "grade", "source", "status")
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
    elif kind == "hazard.overdue":
        state.put_min("overdue_on", parse_day(d["detected_on"]).isoformat())
    funds = d.get("funds_spent_fen") if d.get("funds_spent_fen") is not None else d.get("funds_fen")
    if funds is not None:
        state.put("funds_fen", int(funds), v)


def hazard_contribution(state: AggregateState) -> Contribution:
    """Found (by grade and source), rectified, listed, overdue and funds of one hazard."""
    out = _Collector()
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
    if state.fields.get("overdue_on"):
        out.add(date.fromisoformat(state.fields["overdue_on"]), dims, f"hazard.overdue.{grade}")
    out.add(found_day, dims, f"hazard.funds_fen.{grade}", int(state.fields.get("funds_fen") or 0))
    return out.facts


# --- penalty cases ---------------------------------------------------------------------------------


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
    if kind == "case.filed":
        _require(d, "filed_on", "township_code")
        state.put("filed", {"on": parse_day(d["filed_on"]).isoformat(), "channel": _channel(d), **_case_dims(d)}, v)
    elif kind == "case.simplified_decided":
        _require(d, "decided_on", "township_code")
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
        _require(d, "decided_on", "township_code")
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
        _require(d, "item_id", "outcome", "decided_on")
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
    out = _Collector()
    f = state.fields
    filed = f.get("filed")
    if filed:
        out.add(_d(filed["on"]), _dims(filed), f"case.filed.general.{filed['channel']}")
    decision, simplified = f.get("decision"), f.get("simplified")
    if simplified is None and decision is not None and decision["procedure"] == "simplified":
        simplified = decision
    if simplified is not None:
        day, dims, ch = _d(simplified["on"]), _dims(simplified), simplified["channel"]
        out.add(day, dims, f"case.filed.simplified.{ch}")
        out.add(day, dims, f"case.penalty_decisions.simplified.{ch}")
        out.add(day, dims, f"case.fines_fen.simplified.{ch}", simplified["fine_fen"])
    if decision is not None and decision["procedure"] != "simplified":
        day, dims, ch = _d(decision["on"]), _dims(decision), decision["channel"]
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
            item["township"] or context.get("township", ""), context.get("department", ""), context.get("industry", "")
        )
        if item["outcome"] in CLOSURE_OUTCOMES:
            out.add(_d(item["on"]), dims, "case.closures")
        elif item["outcome"] == DETAINED_OUTCOME:
            out.add(_d(item["on"]), dims, "case.detained_persons", item["persons"] or 1)
    return out.facts


def _d(text: str) -> date:
    return date.fromisoformat(text)


def _dims(part: Mapping[str, Any]) -> Dims:
    return Dims(part.get("township", ""), part.get("department", ""), part.get("industry", ""))


# --- enforcement plans ---------------------------------------------------------------------------


def reduce_plan(state: AggregateState, event: EventRecord) -> None:
    """An annual enforcement plan is replaced as a whole."""
    d = event.data
    _require(d, "year", "unit_type", "unit_code")
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
    out = _Collector()
    plan = state.fields.get("plan")
    if not plan:
        return out.facts
    dims = _unit_dims(plan["unit_type"], plan["unit_code"])
    for m in plan["months"]:
        if 1 <= m["month"] <= 12:
            day = date(plan["year"], m["month"], 1)
            for name in ("inspections", "enterprise_checks", "cases"):
                out.add(day, dims, f"plan.{name}", m[name])
    return out.facts


def _unit_dims(unit_type: str | None, unit_code: str | None, township: str | None = None) -> Dims:
    if unit_type == "township":
        return Dims(township=township_of(township or unit_code))
    return Dims(township=township_of(township), department=unit_code or "")


# --- supervisors, assignments, enterprises -------------------------------------------------------


def reduce_supervisor(state: AggregateState, event: EventRecord) -> None:
    """A supervisor's full state; the first registration day starts the count."""
    d = event.data
    _require(d, "supervisor_id")
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


def supervisor_contribution(state: AggregateState) -> Contribution:
    """+1 from the first registration; -1 from the day the supervisor became inactive."""
    out = _Collector()
    snap, first = state.fields.get("snapshot"), state.fields.get("first_on")
    if snap is None or first is None:
        return out.facts
    dims = Dims(snap["township"], snap["department"])
    out.add(_d(first), dims, "supervisor.active")
    if not snap["active"]:
        out.add(max(_d(first), _d(snap["changed_on"])), dims, "supervisor.active", -1)
    return out.facts


def reduce_coverage(state: AggregateState, event: EventRecord) -> None:
    """Assignments of one enterprise (aggregate id = enterprise id), for the coverage counts."""
    d = event.data
    _require(d, "assignment_id", "enterprise_id", "start_date")
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


def coverage_contribution(state: AggregateState, threshold_override: int | None = None) -> Contribution:
    """+1 where the union of the enterprise's assignment intervals starts, -1 where it ends."""
    out = _Collector()
    ent = state.fields.get("enterprise")
    intervals = sorted(
        (_d(a["start"]), _d(a["end"]) if a["end"] else None)
        for name, a in state.fields.items()
        if name.startswith("assignment:")
    )
    if ent is None or not intervals:
        return out.facts
    dims = Dims(ent["township"], ent["department"], ent["industry"])
    for start, end in _union(intervals):
        qualifies = ent["employees"] >= coverage_threshold(start, threshold_override)
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


def enterprise_contribution(state: AggregateState, threshold_override: int | None = None) -> Contribution:
    """Registered enterprises and those operating with 3+ employees, as of their latest registry state."""
    out = _Collector()
    f = state.fields
    if f.get("first_on") is None or f.get("township") is None:
        return out.facts
    first = _d(f["first_on"])
    dims = Dims(f["township"], f.get("department", ""), f.get("industry", ""))
    out.add(first, dims, "enterprise.registered")
    if f.get("status") == "operating" and int(f.get("employees") or 0) >= coverage_threshold(first, threshold_override):
        out.add(first, dims, "enterprise.qualifying_3plus")
    return out.facts


# --- one-shot facts (aggregates recorded by exactly one event) ---------------------------------------


def inspection_facts(event: EventRecord) -> Contribution:
    """Inspections, persons deployed, enterprise-checks and findings, by inspection kind."""
    d = event.data
    _require(d, "inspected_on", "kind")
    out = _Collector()
    unit_type = d.get("unit_type") or ("department" if d.get("department_code") else None)
    dims = _unit_dims(unit_type, d.get("department_code") or d.get("unit_code"), d.get("township_code"))
    if d.get("delegated") and d.get("delegated_township_code"):
        dims = Dims(township_of(d["delegated_township_code"]), dims.department)
    dims = Dims(dims.township, dims.department, "", campaigns_of([d.get("campaign_code")]))
    day, kind = parse_day(d["inspected_on"]), d["kind"]
    checks = d.get("enterprises_checked")
    out.add(day, dims, f"inspection.count.{kind}")
    out.add(day, dims, f"inspection.persons.{kind}", int(d.get("persons_deployed") or 0))
    out.add(
        day,
        dims,
        f"inspection.enterprise_checks.{kind}",
        int(checks if checks is not None else len(d.get("enterprise_ids") or [])),
    )
    out.add(day, dims, f"inspection.findings.{kind}", int(d.get("findings_count") or 0))
    out.add(day, dims, f"inspection.major_findings.{kind}", int(d.get("major_findings_count") or 0))
    out.add(day, dims, f"inspection.with_findings.{kind}", 1 if int(d.get("findings_count") or 0) > 0 else 0)
    return out.facts


def crackdown_facts(event: EventRecord) -> Contribution:
    """Actions against illegal operations (打非治违): patrols, persons, sites stopped, seizures."""
    d = event.data
    _require(d, "acted_on")
    out = _Collector()
    base = _unit_dims(d.get("unit_type"), d.get("unit_code"), d.get("township_code"))
    dims = Dims(base.township, base.department, "", campaigns_of([d.get("campaign_code")]))
    day = parse_day(d["acted_on"])
    seizures = d.get("seizures") or []
    value = d.get("seizure_value_fen") or sum(int(s.get("value_fen") or 0) for s in seizures)
    out.add(day, dims, "crackdown.actions")
    out.add(day, dims, "crackdown.patrols", int(d.get("patrols") or 0))
    out.add(day, dims, "crackdown.persons", int(d.get("persons_deployed") or 0))
    out.add(day, dims, "crackdown.sites_stopped", int(d.get("sites_stopped") or 0))
    out.add(day, dims, "crackdown.seizures", len(seizures))
    out.add(day, dims, "crackdown.seizure_value_fen", int(value))
    return out.facts


def interview_facts(event: EventRecord) -> Contribution:
    """Interviews (约谈): times and persons."""
    d = event.data
    _require(d, "held_on")
    out = _Collector()
    dims = _unit_dims(d.get("unit_type"), d.get("unit_code"), d.get("township_code"))
    out.add(parse_day(d["held_on"]), dims, "interview.count")
    out.add(parse_day(d["held_on"]), dims, "interview.persons", int(d.get("persons") or 0))
    return out.facts


def exposure_facts(event: EventRecord) -> Contribution:
    """Public warning exposures (警示曝光) and the enterprises named."""
    d = event.data
    _require(d, "published_on")
    out = _Collector()
    dims = _unit_dims(d.get("unit_type"), d.get("unit_code"), d.get("township_code"))
    out.add(parse_day(d["published_on"]), dims, "exposure.count")
    out.add(parse_day(d["published_on"]), dims, "exposure.enterprises", len(d.get("enterprise_ids") or []))
    return out.facts


def typical_case_facts(event: EventRecord) -> Contribution:
    """Published typical cases (典型执法案例)."""
    d = event.data
    _require(d, "published_on")
    out = _Collector()
    out.add(
        parse_day(d["published_on"]),
        _unit_dims(d.get("unit_type"), d.get("unit_code"), d.get("township_code")),
        "typical_case.count",
    )
    return out.facts


def visit_facts(event: EventRecord) -> Contribution:
    """Resident supervisors' visits and their findings."""
    d = event.data
    _require(d, "visited_on")
    out = _Collector()
    dims = Dims(township_of(d.get("township_code")), "", industry_of(d.get("industry_code")))
    out.add(parse_day(d["visited_on"]), dims, "visit.count")
    out.add(parse_day(d["visited_on"]), dims, "visit.findings", len(d.get("findings") or []))
    return out.facts


# --- dispatch ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class StatefulRule:
    """How events of some types update one kind of aggregate state."""

    kind: str
    key: Callable[[EventRecord], str]
    reduce: Callable[[AggregateState, EventRecord], None]
    contribution: Callable[[AggregateState], Contribution]


def _own_id(event: EventRecord) -> str:
    return event.aggregate_id


def _enterprise_id(event: EventRecord) -> str:
    return str(event.data.get("enterprise_id") or event.aggregate_id)


def make_rules(
    threshold_override: int | None = None,
) -> tuple[dict[str, StatefulRule], dict[str, Callable[[EventRecord], Contribution]]]:
    """The stateful rule of each event type, and the one-shot fact function of the others."""
    hazard = StatefulRule("hazard", _own_id, reduce_hazard, hazard_contribution)
    case = StatefulRule("penalty_case", _own_id, reduce_case, case_contribution)
    plan = StatefulRule("enforcement_plan", _own_id, reduce_plan, plan_contribution)
    supervisor = StatefulRule("supervisor", _own_id, reduce_supervisor, supervisor_contribution)
    coverage = StatefulRule(
        "coverage", _enterprise_id, reduce_coverage, lambda s: coverage_contribution(s, threshold_override)
    )
    enterprise = StatefulRule(
        "enterprise", _enterprise_id, reduce_enterprise, lambda s: enterprise_contribution(s, threshold_override)
    )
    stateful: dict[str, StatefulRule] = {}
    for event_type in REGISTRY.classes:
        name = event_type[0]
        if name.startswith("hazard.") and name != "hazard.upstream_sync_changed":
            stateful[name] = hazard
    for name in ("case.filed", "case.decided", "case.simplified_decided", "case.item_outcome_recorded"):
        stateful[name] = case
    stateful["enforcement_plan.set"] = plan
    stateful["supervisor.registered"] = stateful["supervisor.updated"] = supervisor
    stateful["assignment.started"] = stateful["assignment.ended"] = coverage
    for name in ("enterprise.registered", "enterprise.updated", "enterprise.status_changed"):
        stateful[name] = enterprise
    one_shot: dict[str, Callable[[EventRecord], Contribution]] = {
        "inspection.recorded": inspection_facts,
        "crackdown.action_recorded": crackdown_facts,
        "interview.recorded": interview_facts,
        "exposure.published": exposure_facts,
        "typical_case.published": typical_case_facts,
        "visit.logged": visit_facts,
    }
    return stateful, one_shot


def check_projectable(
    event: EventRecord,
    stateful: Mapping[str, StatefulRule],
    one_shot: Mapping[str, Callable[[EventRecord], Contribution]],
) -> None:
    """Raise PoisonEvent now if the event could not be projected (so it is dead-lettered alone)."""
    try:
        if event.event_type in one_shot:
            one_shot[event.event_type](event)
        elif event.event_type in stateful:
            rule = stateful[event.event_type]
            probe = AggregateState(rule.kind, rule.key(event))
            rule.reduce(probe, event)
            rule.contribution(probe)
    except PoisonEvent:
        raise
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise PoisonEvent(f"{event.event_type}: {exc!r}") from exc


# --- rows ----------------------------------------------------------------------------------------

RollupKey = tuple[str, str, date, str]  # (group, key, period, indicator)
DetailKey = tuple[date, str, str, str, str, str]  # (day, township, department, industry, campaign, indicator)


@dataclass
class CounterRows:
    """Counter increments of a batch, merged per row before they are written."""

    day: dict[RollupKey, int] = field(default_factory=lambda: defaultdict(int))
    month: dict[RollupKey, int] = field(default_factory=lambda: defaultdict(int))
    detail: dict[DetailKey, int] = field(default_factory=lambda: defaultdict(int))

    def add(self, facts: Mapping[FactKey, int]) -> None:
        """Spread fact deltas over the rollup groups and the detail rows."""
        for (day, township, department, industry, campaigns, indicator), value in facts.items():
            if not value:
                continue
            month = day.replace(day=1)
            groups = [("all", ""), ("township", township), ("department", department), ("industry", industry)]
            groups.extend(("campaign", c) for c in campaigns)
            for group, key in groups:
                self.day[(group, key, day, indicator)] += value
                self.month[(group, key, month, indicator)] += value
            for campaign in ("", *campaigns):
                self.detail[(day, township, department, industry, campaign, indicator)] += value

    def nonzero(
        self, *, ordered: bool = True
    ) -> tuple[list[tuple[RollupKey, int]], list[tuple[RollupKey, int]], list[tuple[DetailKey, int]]]:
        """Rows with a non-zero change, sorted unless `ordered` is false: concurrent writers must lock rows in
        one order, a rebuild copying into its own tables need not pay for sorting millions of rows."""
        day = [(k, v) for k, v in self.day.items() if v]
        month = [(k, v) for k, v in self.month.items() if v]
        detail = [(k, v) for k, v in self.detail.items() if v]
        if ordered:
            day.sort()
            month.sort()
            detail.sort()
        return day, month, detail
