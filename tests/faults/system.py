"""The fault suite's view of the running system: a workload driver over the public APIs, and the checks that
follow every fault (read straight from the services' schemas in the shared PostgreSQL and from the broker)."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import random
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import asyncpg
import httpx
import pytest
from aiokafka import AIOKafkaConsumer, TopicPartition

from enforcement_service.config import EnforcementSettings
from enforcement_service.worker import build_worker as enforcement_worker
from hazard_service.config import HazardSettings
from hazard_service.worker import build_worker as hazard_worker
from reporting_service.config import ReportingSettings
from reporting_service.worker import build_worker as reporting_worker
from shared import clock
from shared.messaging.consumer import ConsumerSpec
from shared.messaging.kafka import BrokerTimeout, with_timeout

from .stack import PUBLISHERS, SERVICES, FaultStack

TOWNSHIP = "431281101000"  # 黔城镇
# How long a key may answer "still being processed" (the moment between a write's commit and the storing of its
# answer) before the answer counts as lost for good.
STUCK_AFTER_S = 10.0
WRITE_KINDS = ("enterprise", "enterprise_change", "hazard", "inspection")
_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


@dataclass(frozen=True)
class Group:
    """A consumer group as its worker declares it, with the schema that holds its inbox."""

    schema: str
    spec: ConsumerSpec

    @property
    def name(self) -> str:
        """The group id."""
        return self.spec.group


def consumer_groups() -> list[Group]:
    """Every consumer group the stack runs, read from the services' own worker definitions."""
    builders: list[tuple[str, Callable[[Any], Any], Any]] = [
        ("hazard", hazard_worker, HazardSettings),
        ("enforcement", enforcement_worker, EnforcementSettings),
        ("reporting", reporting_worker, ReportingSettings),
    ]
    return [
        Group(schema, spec)
        for schema, build, settings in builders
        for spec in build(settings.model_construct()).consumers
    ]


def credit_code() -> str:
    """A fresh unified social credit code with a correct check character."""
    base = f"91431281{random.randrange(10**9):09d}"
    total = sum(_CHARSET.index(c) * w for c, w in zip(base, _WEIGHTS, strict=True))
    return base + _CHARSET[(31 - total % 31) % 31]


# What a part that is down or restarting answers; anything else a condition raises is a failure of the suite.
UNREACHABLE = (
    OSError,
    TimeoutError,
    httpx.TransportError,
    asyncpg.InterfaceError,
    asyncpg.PostgresConnectionError,
    asyncpg.CannotConnectNowError,
    asyncpg.AdminShutdownError,
    BrokerTimeout,
)


class Pending(str):
    """Why a condition does not hold yet: a falsy value that `wait_until` reports at its deadline."""

    def __bool__(self) -> bool:
        return False


async def wait_until(what: str, condition: Callable[[], Awaitable[Any]], timeout_s: float, every_s: float = 0.5) -> Any:
    """Poll `condition` until it returns something truthy; fail naming `what` (and the last value) at the deadline."""
    deadline = time.monotonic() + timeout_s
    last: Any = None
    while True:
        try:
            last = await condition()
        except UNREACHABLE as exc:
            last = Pending(f"unreachable: {exc!r}")
        if last:
            return last
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not reached within {timeout_s:.0f} s (last: {last!r})")
        await asyncio.sleep(every_s)


class UnexpectedAnswer(AssertionError):
    """An API answered a well-formed write with a client error."""


@dataclass
class Workload:
    """Writes through the public APIs, each with an Idempotency-Key retried until acknowledged; remembers every
    acknowledged id (and each enterprise's acknowledged version)."""

    stack: FaultStack
    anchors: list[str]
    client: httpx.AsyncClient
    acknowledged: dict[str, set[str]] = field(default_factory=lambda: {k: set() for k in WRITE_KINDS})
    versions: dict[str, int] = field(default_factory=dict)
    retries: int = 0
    stuck_keys: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        """How many writes were acknowledged so far."""
        return sum(len(ids) for ids in self.acknowledged.values())

    async def run(self, stop: asyncio.Event, *, ops: int, pace_s: float = 0.1, kinds: tuple[str, ...] = ()) -> int:
        """Write until `stop` is set or `ops` writes were acknowledged, one every `pace_s`; returns the count."""
        steps = {
            "enterprise": self.register_enterprise,
            "enterprise_change": self.change_enterprise,
            "hazard": self.report_hazard,
            "inspection": self.record_inspection,
        }
        cycle = itertools.cycle(kinds or tuple(steps))
        done = 0
        while done < ops and not stop.is_set():
            await steps[next(cycle)]()
            done += 1
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), pace_s)
        return done

    async def register_enterprise(self) -> str | None:
        """Register an enterprise with supervisor (publishes enterprise.registered)."""
        body = {
            "name": f"洪江市故障演练{uuid.uuid4().hex[:8]}有限公司",
            "credit_code": credit_code(),
            "industry_code": "30",
            "township_code": TOWNSHIP,
            "employee_count": random.randint(1, 40),
        }
        created = await self._write("POST", "supervisor", "/api/v1/enterprises", body)
        if created is None:
            return None
        self.acknowledged["enterprise"].add(created["id"])
        self.versions[created["id"]] = created["version"]
        return str(created["id"])

    async def change_enterprise(self) -> None:
        """Change one of this workload's enterprises (publishes enterprise.updated, a later version)."""
        if not self.versions and await self.register_enterprise() is None:
            return
        enterprise_id = random.choice(sorted(self.versions))
        version = self.versions[enterprise_id]
        changed = await self._write(
            "PATCH",
            "supervisor",
            f"/api/v1/enterprises/{enterprise_id}",
            {"employee_count": random.randint(1, 40)},
            {"If-Match": f'W/"{version}"'},
        )
        if changed is None:
            return
        self.acknowledged["enterprise_change"].add(f"{enterprise_id}@{changed['version']}")
        self.versions[enterprise_id] = changed["version"]

    async def report_hazard(self) -> None:
        """Report a hazard of an anchor enterprise (hazard knows it from supervisor's events)."""
        body = {
            "enterprise_id": random.choice(self.anchors),
            "grade": "general",
            "source": "department_inspection",
            "description": "故障演练：配电箱未上锁",
            "reported_on": clock.today().isoformat(),
        }
        self._acknowledge("hazard", await self._write("POST", "hazard", "/api/v1/hazards", body))

    async def record_inspection(self) -> None:
        """Record an inspection with a finding (enforcement; the finding becomes a hazard through hazard's
        finding intake)."""
        enterprise_id = random.choice(self.anchors)
        body = {
            "kind": "routine",
            "unit_code": "yjj",
            "inspected_on": clock.today().isoformat(),
            "team_members": ["执法员甲", "执法员乙"],
            "enterprise_ids": [enterprise_id],
            "findings": [{"enterprise_id": enterprise_id, "description": "故障演练：安全出口堵塞"}],
        }
        self._acknowledge("inspection", await self._write("POST", "enforcement", "/api/v1/inspections", body))

    def _acknowledge(self, kind: str, answer: dict[str, Any] | None) -> None:
        if answer is not None:
            self.acknowledged[kind].add(answer["id"])

    async def _write(
        self, method: str, service: str, path: str, body: dict[str, Any], extra: dict[str, str] | None = None
    ) -> dict[str, Any] | None:
        """Send until a 2xx arrives: a lost answer, a 5xx or an outage is retried with the same key.

        None when the key stays "still being processed": the write committed but the middleware never stored
        its answer (the database went away in between), so no retry can ever learn the result. Counted in
        `stuck_keys`; see `check_after_fault`.
        """
        headers = {**self.stack.headers(), "Idempotency-Key": str(uuid.uuid4()), **(extra or {})}
        deadline = time.monotonic() + 120
        stuck_since: float | None = None
        while True:
            try:
                response = await self.client.request(
                    method, self.stack.api(service) + path, json=body, headers=headers, timeout=30
                )
                if response.is_success:
                    return dict(response.json())
                if response.status_code == 409 and "still being processed" in response.text:
                    stuck_since = stuck_since or time.monotonic()
                    if time.monotonic() - stuck_since > STUCK_AFTER_S:
                        self.stuck_keys.append(f"{method} {path}")
                        return None
                elif response.status_code < 500:
                    raise UnexpectedAnswer(f"{method} {path}: {response.status_code} {response.text}")
            except httpx.HTTPError:
                pass
            self.retries += 1
            if time.monotonic() > deadline:
                raise AssertionError(f"{method} {path} not acknowledged within 120 s")
            await asyncio.sleep(0.5)


@contextlib.asynccontextmanager
async def workload_running(workload: Workload, *, ops: int, pace_s: float = 0.1, kinds: tuple[str, ...] = ()) -> Any:
    """Run the workload in the background for the body of the `async with`; re-raise what failed in it."""
    stop = asyncio.Event()
    task = asyncio.create_task(workload.run(stop, ops=ops, pace_s=pace_s, kinds=kinds))
    try:
        yield task
    finally:
        stop.set()
    await task


class Database:
    """Direct SQL on the stack's database (any schema), one short connection per call, so a database restart
    is survived by the next call."""

    def __init__(self, dsn: str) -> None:
        self.dsn = dsn

    async def fetch(self, sql: str, *args: Any) -> list[asyncpg.Record]:
        """Rows of one query."""
        conn = await asyncpg.connect(self.dsn, timeout=10)
        try:
            return list(await conn.fetch(sql, *args, timeout=30))
        finally:
            await conn.close()

    async def value(self, sql: str, *args: Any) -> Any:
        """The first column of the first row."""
        rows = await self.fetch(sql, *args)
        return rows[0][0] if rows else None


@dataclass
class System:
    """The running stack with the suite's clients, workload and the poison it injected."""

    stack: FaultStack
    db: Database
    client: httpx.AsyncClient
    workload: Workload
    poison: set[tuple[str, uuid.UUID]] = field(default_factory=set)
    stuck_reported: int = 0


async def unpublished(db: Database) -> int:
    """Outbox rows that wait to be published, in every publishing service."""
    return int(
        await db.value(
            "SELECT "
            + " + ".join(f"(SELECT count(*) FROM {s}.outbox_event WHERE published_at IS NULL)" for s in PUBLISHERS)
        )
    )


async def expected_events(db: Database, group: Group) -> set[uuid.UUID]:
    """Every event the group must have applied: its event types on its topics, in every producer's outbox."""
    union = " UNION ALL ".join(
        f"SELECT event_id FROM {s}.outbox_event WHERE topic = ANY($1::text[]) AND event_type = ANY($2::text[])"
        for s in PUBLISHERS
    )
    rows = await db.fetch(union, list(group.spec.topics), sorted(group.spec.handlers))
    return {r[0] for r in rows}


async def inbox(db: Database, group: Group) -> set[uuid.UUID]:
    """The event ids the group recorded as handled."""
    rows = await db.fetch(f"SELECT event_id FROM {group.schema}.inbox_event WHERE consumer = $1", group.name)
    return {r[0] for r in rows}


async def dead_letters(db: Database) -> list[tuple[str, uuid.UUID | None]]:
    """(group, event id) of every dead letter in every service."""
    rows = await db.fetch(
        " UNION ALL ".join(
            f"SELECT consumer, event_id FROM {s}.dead_letter" for s in ("hazard", "enforcement", "reporting")
        )
    )
    return [(r[0], r[1]) for r in rows]


async def group_lag(bootstrap_servers: str, group: Group) -> int:
    """Messages on the group's topics beyond its committed offsets (read without joining the group)."""
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap_servers, group_id=group.name, enable_auto_commit=False)
    try:
        await with_timeout(consumer.start(), 10, "consumer start")
        await with_timeout(consumer.topics(), 10, "topic metadata")
        partitions = [
            TopicPartition(t, p) for t in group.spec.topics for p in sorted(consumer.partitions_for_topic(t) or ())
        ]
        ends = await with_timeout(consumer.end_offsets(partitions), 10, "end offsets")
        lag = 0
        for tp in partitions:
            committed = await with_timeout(consumer.committed(tp), 10, "committed offset")
            lag += max(ends.get(tp, 0) - (committed or 0), 0)
        return lag
    finally:
        with contextlib.suppress(Exception):
            await asyncio.wait_for(consumer.stop(), 10)


async def quiescent(stack: FaultStack, db: Database, groups: list[Group]) -> dict[str, int] | Pending:
    """The figures of a drained system (outbox empty, every expected event in every inbox, lag 0), or why not."""
    waiting = await unpublished(db)
    if waiting:
        return Pending(f"{waiting} outbox rows unpublished")
    for group in groups:
        missing = len(await expected_events(db, group) - await inbox(db, group))
        if missing:
            return Pending(f"{group.name} has not handled {missing} events")
    lags = {g.name: await group_lag(stack.bootstrap_servers, g) for g in groups}
    if any(lags.values()):
        return Pending(f"consumer lag {lags}")
    return {"outbox_unpublished": waiting, "consumer_lag": 0}


# Reporting's counters (by indicator pattern, over every month) and the same figure recomputed from the table
# of the service that owns the facts.
_REPORTED = "SELECT COALESCE(SUM(value), 0) FROM reporting.stat_rollup_month WHERE grp = 'all' AND indicator LIKE $1"
RECOMPUTED = {
    "hazards_found": ("hazard.found.%", "SELECT count(*) FROM hazard.hazard WHERE status <> 'withdrawn'"),
    "inspections": ("inspection.count.%", "SELECT count(*) FROM enforcement.inspection"),
    "enterprises_registered": ("enterprise.registered", "SELECT count(*) FROM supervisor.enterprise"),
}

# Enterprises whose read model in a consuming service differs from the registry (missing, or another version,
# employee count or status): a lost, doubled or out-of-order enterprise event shows here.
_VIEW_DRIFT = """
SELECT count(*) FROM supervisor.enterprise e LEFT JOIN {schema}.enterprise_view v ON v.enterprise_id = e.id
WHERE v.enterprise_id IS NULL OR v.aggregate_version <> e.version OR v.employee_count <> e.employee_count
   OR v.status <> e.status
"""


async def present(stack: FaultStack, client: httpx.AsyncClient, workload: Workload) -> dict[str, int]:
    """GET every acknowledged write; count those present (an enterprise at least at its acknowledged version)."""
    headers = stack.headers()
    paths = {"enterprise": "supervisor", "hazard": "hazard", "inspection": "enforcement"}
    found = dict.fromkeys(paths, 0) | {"enterprise_change": 0}
    for kind, service in paths.items():
        for ident in workload.acknowledged[kind]:
            response = await client.get(f"{stack.api(service)}/api/v1/{kind}s/{ident}", headers=headers, timeout=10)
            found[kind] += response.status_code == 200
            if kind == "enterprise" and response.status_code == 200:
                found["enterprise_change"] += sum(
                    1
                    for change in workload.acknowledged["enterprise_change"]
                    if change.startswith(f"{ident}@") and int(change.split("@")[1]) <= response.json()["version"]
                )
    return found


async def ready_everywhere(stack: FaultStack, client: httpx.AsyncClient) -> bool:
    """Every API's /readyz and every worker's /healthz answer 200."""
    urls = [f"{stack.api(s)}/readyz" for s in SERVICES] + [f"{stack.worker_probe(s)}/healthz" for s in SERVICES]
    answers = await asyncio.gather(*(client.get(u, timeout=5) for u in urls), return_exceptions=True)
    return all(isinstance(a, httpx.Response) and a.status_code == 200 for a in answers)


async def check_after_fault(system: System, fault: str, **extra: int) -> dict[str, int]:
    """Wait for quiescence and readiness without a hand, then check and print the counts of the fault."""
    stack, db, client, workload, poison = system.stack, system.db, system.client, system.workload, system.poison
    groups = consumer_groups()
    drained = await wait_until(f"{fault}: system drained", lambda: quiescent(stack, db, groups), timeout_s=150)
    await wait_until(f"{fault}: ready everywhere", lambda: ready_everywhere(stack, client), timeout_s=90)
    counts: dict[str, int] = {**drained, **extra}

    found = await present(stack, client, workload)
    for kind, ids in workload.acknowledged.items():
        counts[f"acknowledged_{kind}"] = len(ids)
        counts[f"present_{kind}"] = found[kind]
    counts["write_retries"] = workload.retries
    counts["stuck_idempotency_keys"] = len(workload.stuck_keys)

    for group in groups:
        expected, handled = await expected_events(db, group), await inbox(db, group)
        counts[f"events[{group.name}]"] = len(expected)
        assert expected <= handled, f"{fault}: {group.name} never handled {len(expected - handled)} events"

    letters = await dead_letters(db)
    counts["dead_letters"] = len(letters)
    for name, (indicator, recomputed_sql) in RECOMPUTED.items():
        counts[f"reporting_{name}"] = int(await db.value(_REPORTED, indicator))
        counts[f"recomputed_{name}"] = int(await db.value(recomputed_sql))
    for schema in ("hazard", "enforcement"):
        counts[f"{schema}_enterprise_view_drift"] = int(await db.value(_VIEW_DRIFT.format(schema=schema)))
    counts["ready"] = len(SERVICES) * 2

    print(f"\n[fault] {fault}: " + ", ".join(f"{k}={v}" for k, v in counts.items()))
    for kind, ids in workload.acknowledged.items():
        assert found[kind] == len(ids), f"{fault}: {len(ids) - found[kind]} acknowledged {kind} writes are missing"
    assert sorted(letters, key=str) == sorted(poison, key=str), f"{fault}: dead letters {letters}, injected {poison}"
    for name in RECOMPUTED:
        assert counts[f"reporting_{name}"] == counts[f"recomputed_{name}"], f"{fault}: reporting's {name} drifted"
    for schema in ("hazard", "enforcement"):
        assert counts[f"{schema}_enterprise_view_drift"] == 0, f"{fault}: {schema}'s enterprise view drifted"
    if len(workload.stuck_keys) > system.stuck_reported:
        # Timing decides whether a fault lands between a write's commit and the storing of its answer, so this
        # is an xfail when it happens rather than a strict one.
        system.stuck_reported = len(workload.stuck_keys)
        pytest.xfail(
            f"{fault}: known defect in shared/http/idempotency.py: the answer of a committed write was not stored "
            f"(the database went away in between), so its Idempotency-Key answers 409 'still being processed' "
            f"for ever: {workload.stuck_keys}"
        )
    return counts
