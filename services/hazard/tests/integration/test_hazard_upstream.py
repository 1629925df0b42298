"""The upward direct report against the simulator: a rejected message is parked and the queue goes on,
operators retry or discard it, no row is locked while a target is called, an idle tick is cheap, requests are
signed, receipts (polled or called back) reach the hazard's timeline, the daily reconciliation, and /readyz
failing for a target that stopped answering.

Each test has its own target codes, so messages queued by other tests never reach its simulator."""

from __future__ import annotations

import contextlib
import json
import uuid
from collections.abc import AsyncIterator, Callable
from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import event, select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from hazard_service.config import HazardSettings, UpstreamTargetConfig
from hazard_service.db import DATABASE
from hazard_service.main import create_app
from hazard_service.upstream import signing
from hazard_service.upstream.models import UpstreamMessage
from hazard_service.upstream.service import Delivery
from hazard_service.upstream.simulator import create_simulator
from shared import clock
from shared.db import UnitOfWork
from shared.db.engine import create_sessionmaker
from shared.embedded import free_port
from shared.testing.helpers import api_client, token
from shared.testing.plugin import Stack
from shared.worker import PeriodicJob, run_job_once

from .conftest import admin, major_to_ledger, officer
from .test_hazard_worker_jobs import LISTING

SECRET = "s3cret-for-tests"


def _target(code: str, kind: str, **extra: Any) -> UpstreamTargetConfig:
    return UpstreamTargetConfig(code=code, kind=kind, url=f"https://{code}.upstream.test", **extra)


@contextlib.asynccontextmanager
async def reporting_to(
    settings: HazardSettings, *targets: UpstreamTargetConfig, secrets: dict[str, str] | None = None, **changes: Any
) -> AsyncIterator[tuple[httpx.AsyncClient, Delivery, Any]]:
    """An API whose hazards are queued for `targets`, the delivery of a worker sending them to one simulator
    (in-process), and the simulator's state."""
    mine = settings.model_copy(update={"upstream_targets": list(targets), **changes})
    simulator = create_simulator(secrets)
    delivery = Delivery(mine, {t.code: httpx.ASGITransport(app=simulator) for t in targets})
    async with api_client(create_app(mine)) as client:
        try:
            yield client, delivery, simulator.state.sim
        finally:
            await delivery.aclose()


async def tick(engine: AsyncEngine, run: Callable[[Any], Any]) -> None:
    """One scheduled run of a delivery job, as the worker runs it (its transaction and advisory lock)."""
    job = PeriodicJob("hazard-upstream", 1.0, run)
    assert await run_job_once(job, create_sessionmaker(engine), DATABASE, "hazard-service")


async def rows(engine: AsyncEngine, target: str) -> list[UpstreamMessage]:
    """The target's messages in queue order."""
    async with create_sessionmaker(engine)() as session:
        stmt = select(UpstreamMessage).where(UpstreamMessage.target == target).order_by(UpstreamMessage.id)
        return list((await session.execute(stmt)).scalars().all())


async def test_a_rejected_message_is_parked_and_the_messages_after_it_go_on(
    settings: HazardSettings, stack: Stack, engine: AsyncEngine, enterprise_id: uuid.UUID
) -> None:
    """A 4xx parks the message with the answer and the next one is sent in the same tick; 429 and 5xx are
    retried (429 after its Retry-After); operators list, retry and discard parked messages."""
    target = _target("nat_park", "national_direct_report", simulator=True)
    async with reporting_to(settings, target) as (client, delivery, sim):
        hazards = [await major_to_ledger(client, stack, enterprise_id) for _ in range(3)]
        sim.fail_count, sim.fail_status = 1, 400
        await tick(engine, delivery.deliver)
        first, second, third = await rows(engine, "nat_park")
        assert first.parked_at is not None
        assert first.sent_at is None
        assert first.answer_status == 400
        assert "simulated failure" in (first.answer_body or "")
        assert second.sent_at is not None
        assert third.sent_at is not None

        listed = await client.get("/api/v1/hazard-upstream/parked?target=nat_park", headers=admin(stack))
        assert listed.status_code == 200
        assert [m["message_id"] for m in listed.json()["items"]] == [str(first.message_id)]
        assert listed.json()["items"][0]["answer_status"] == 400
        assert (await client.get("/api/v1/hazard-upstream/parked", headers=officer(stack))).status_code == 403
        mapping = await client.get(f"/api/v1/hazards/{hazards[0]}/upstream", headers=admin(stack))
        assert [m["sync_status"] for m in mapping.json()["items"] if m["target"] == "nat_park"] == ["parked"]

        retried = await client.post(f"/api/v1/hazard-upstream/parked/{first.id}/retry", headers=admin(stack))
        assert retried.status_code == 200, retried.text
        assert retried.json()["parked_at"] is None
        await tick(engine, delivery.deliver)
        assert (await rows(engine, "nat_park"))[0].sent_at is not None
        assert str(first.message_id) in sim.received["national"]
        again = await client.post(f"/api/v1/hazard-upstream/parked/{first.id}/retry", headers=admin(stack))
        assert again.status_code == 404

        # A refusal we cannot fix is discarded: it stays listed in the outbox, never sent, no longer parked.
        await client.post(f"/api/v1/hazards/{hazards[1]}/listing", json=LISTING, headers=admin(stack))
        sim.fail_count, sim.fail_status = 1, 409
        await tick(engine, delivery.deliver)
        refused = (await rows(engine, "nat_park"))[-1]
        assert refused.parked_at is not None
        discarded = await client.post(f"/api/v1/hazard-upstream/parked/{refused.id}/discard", headers=admin(stack))
        assert discarded.status_code == 200
        assert discarded.json()["discarded_by"]
        assert (await client.get("/api/v1/hazard-upstream/parked?target=nat_park", headers=admin(stack))).json()[
            "items"
        ] == []
        await tick(engine, delivery.deliver)
        assert str(refused.message_id) not in sim.received["national"]

        # Too many requests: kept in the queue until its Retry-After has passed, not parked.
        await client.post(f"/api/v1/hazards/{hazards[2]}/listing", json=LISTING, headers=admin(stack))
        sim.fail_count, sim.fail_status, sim.fail_retry_after = 1, 429, 120
        before = clock.now()
        await tick(engine, delivery.deliver)
        throttled = (await rows(engine, "nat_park"))[-1]
        assert throttled.parked_at is None
        assert throttled.sent_at is None
        assert throttled.next_attempt_at >= before + timedelta(seconds=119)


async def test_no_row_is_locked_while_a_target_is_called(
    settings: HazardSettings, stack: Stack, engine: AsyncEngine, enterprise_id: uuid.UUID
) -> None:
    """While the target answers, the message, its mapping and the target's state can all be locked by others
    (a hazard change or an operator is never made to wait on the network)."""
    target = _target("nat_locks", "national_direct_report", simulator=True)
    locked: list[str] = []

    class Probe(httpx.AsyncBaseTransport):
        def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
            self.inner = inner

        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            async with engine.connect() as conn:
                for table in ("upstream_outbox", "upstream_mapping", "upstream_target_state"):
                    try:
                        await conn.execute(text(f"SELECT 1 FROM hazard.{table} FOR UPDATE NOWAIT"))
                    except Exception:
                        locked.append(table)
                    await conn.rollback()
            return await self.inner.handle_async_request(request)

    async with reporting_to(settings, target) as (client, delivery, sim):
        await major_to_ledger(client, stack, enterprise_id)
        delivery._transports["nat_locks"] = Probe(delivery._transports["nat_locks"])
        await tick(engine, delivery.deliver)  # the state row exists from here on
        await major_to_ledger(client, stack, enterprise_id)
        await tick(engine, delivery.deliver)
    assert len(sim.received["national"]) == 2
    assert locked == []


async def test_an_idle_tick_reads_one_index_entry_per_target_and_keeps_its_client(
    settings: HazardSettings, stack: Stack, engine: AsyncEngine, enterprise_id: uuid.UUID
) -> None:
    """Nothing due: one statement per target and no HTTP client made; once sending, one client is kept."""
    targets = [_target("nat_idle", "national_direct_report", simulator=True)]
    async with reporting_to(settings, *targets) as (client, delivery, _):
        await tick(engine, delivery.deliver)  # the backlog gauges are refreshed on the first tick
        statements: list[str] = []

        def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
            statements.append(statement)

        event.listen(engine.sync_engine, "before_cursor_execute", count)
        try:
            async with create_sessionmaker(engine)() as session, session.begin():
                await delivery.deliver(UnitOfWork(create_sessionmaker(engine), DATABASE, source="t", session=session))
        finally:
            event.remove(engine.sync_engine, "before_cursor_execute", count)
        assert len([s for s in statements if "upstream_outbox" in s]) == 1
        assert len(statements) <= 2  # BEGIN is not a statement here; the probe is
        assert delivery._clients == {}
        await major_to_ledger(client, stack, enterprise_id)
        await tick(engine, delivery.deliver)
        kept = delivery._clients["nat_idle"]
        await major_to_ledger(client, stack, enterprise_id)
        await tick(engine, delivery.deliver)
        assert delivery._clients["nat_idle"] is kept
        assert not kept.http.is_closed


async def test_signed_messages_of_each_target_match_the_published_schema(
    settings: HazardSettings, stack: Stack, engine: AsyncEngine, enterprise_id: uuid.UUID
) -> None:
    """Both targets get signed requests the simulator verifies, each body valid against its committed JSON
    Schema and carrying the credit code, divisions, industry, standard document and article; a request signed
    with the wrong secret is refused (401) and parked."""
    jsonschema = pytest.importorskip("jsonschema")
    good = {"hmac_key_id": "hongjiang", "hmac_secret": SECRET}
    targets = [
        _target("nat_signed", "national_direct_report", **good),
        _target("prv_signed", "provincial_one_list", **good),
        _target("nat_badkey", "national_direct_report", hmac_key_id="hongjiang", hmac_secret="wrong"),
    ]
    async with reporting_to(settings, *targets, secrets={"hongjiang": SECRET}) as (client, delivery, sim):
        hazard_id = await major_to_ledger(client, stack, enterprise_id)
        await tick(engine, delivery.deliver)
        schemas = {
            kind: (await client.get(f"/api/v1/hazard-upstream/schemas/{kind}", headers=admin(stack))).json()
            for kind in ("national_direct_report", "provincial_one_list")
        }
    national = next(m for m in sim.received["national"].values() if m["localId"] == hazard_id)
    provincial = next(m for m in sim.received["provincial"].values() if m["sourceId"] == hazard_id)
    jsonschema.validate(national, schemas["national_direct_report"])
    jsonschema.validate(provincial, schemas["provincial_one_list"])
    print("national_direct_report as sent:", json.dumps(national, ensure_ascii=False, indent=1))
    print("provincial_one_list as sent:", json.dumps(provincial, ensure_ascii=False, indent=1))
    record = national["hazard"]
    assert record == provincial["record"]
    assert record["enterprise"]["credit_code"] == "91431281MA4L000000"
    assert record["division"] == {"code": "431281", "township_code": "431281101000"}
    assert record["industry"]["code"] == "3311"
    assert record["standard"]["document_no"] == "中华人民共和国应急管理部令第10号"
    assert record["standard"]["article"] == "第三条第（一）项"
    assert record["grade"] == {"code": "major", "name": "重大事故隐患"}
    assert "reported_by" not in json.dumps(provincial)
    assert sim.invalid == []
    refused = (await rows(engine, "nat_badkey"))[0]
    assert refused.answer_status == 401
    assert refused.parked_at is not None


async def test_receipts_polled_and_called_back_reach_the_timeline_and_the_daily_reconciliation(
    settings: HazardSettings, stack: Stack, engine: AsyncEngine, enterprise_id: uuid.UUID
) -> None:
    """A receipt polled from the target (a rejection) and one called back (a correction) each add a step to the
    hazard's timeline; the day's reconciliation counts what was sent, acknowledged, rejected and corrected."""
    target = _target("nat_receipts", "national_direct_report", hmac_key_id="k", hmac_secret=SECRET)
    async with reporting_to(settings, target, secrets={"k": SECRET}) as (client, delivery, sim):
        first = await major_to_ledger(client, stack, enterprise_id)
        second = await major_to_ledger(client, stack, enterprise_id)
        third = await major_to_ledger(client, stack, enterprise_id)
        await tick(engine, delivery.deliver)
        sent = {str(r.hazard_id): str(r.message_id) for r in await rows(engine, "nat_receipts")}
        sim.receipt("national", sent[first], "rejected", "信用代码与登记不符")
        await tick(engine, delivery.reconcile)

        body = json.dumps({"receipts": [{"messageId": sent[second], "status": "corrected", "reason": "条款已更正"}]})
        path = "/api/v1/hazard-upstream/targets/nat_receipts/receipts"
        headers = signing.sign(key_id="k", secret=SECRET, method="POST", path=path, body=body.encode())
        integration = token(stack, ["integration"], jurisdictions=["431281000000"])
        called = await client.post(
            path, content=body, headers={**integration, **headers, "Content-Type": "application/json"}
        )
        assert called.status_code == 200, called.text
        assert called.json() == {"applied": 1}
        forged = {**headers, signing.SIGNATURE: "0" * 64}
        refused = await client.post(
            path, content=body, headers={**integration, **forged, "Content-Type": "application/json"}
        )
        assert refused.status_code == 401

        async def steps(hazard: str) -> list[dict[str, Any]]:
            response = await client.get(f"/api/v1/hazards/{hazard}/timeline", headers=admin(stack))
            return [s for s in response.json()["items"] if s["action"].startswith("upstream_")]

        rejected, corrected = await steps(first), await steps(second)
        assert [(s["action"], s["reason"]) for s in rejected] == [("upstream_rejected", "信用代码与登记不符")]
        assert [(s["action"], s["reason"]) for s in corrected] == [("upstream_corrected", "条款已更正")]
        assert await steps(third) == []

        report = await client.get("/api/v1/hazard-upstream/reconciliation", headers=admin(stack))
        assert report.status_code == 200, report.text
        print("daily reconciliation:", json.dumps(report.json(), ensure_ascii=False, indent=1))
        mine = next(t for t in report.json()["targets"] if t["target"] == "nat_receipts")
        assert mine["sent"] == 3
        assert (mine["acknowledged"], mine["rejected"], mine["corrected"]) == (1, 1, 1)
        assert mine["unacknowledged"] == 0
        assert mine["unacknowledged_message_ids"] == []


async def test_readiness_fails_for_a_target_that_has_not_answered_for_too_long(
    settings: HazardSettings, stack: Stack, engine: AsyncEngine
) -> None:
    """A configured target nobody answers at: /readyz is ready until `upstream_unreachable_after_s` has passed
    since the first failed contact, then 503 naming the target."""
    url = f"http://127.0.0.1:{free_port()}"
    target = UpstreamTargetConfig(code="nat_down", kind="national_direct_report", url=url, timeout_s=1)
    mine = settings.model_copy(update={"upstream_targets": [target], "upstream_unreachable_after_s": 60})
    delivery = Delivery(mine)
    try:
        await tick(engine, delivery.reconcile)
    finally:
        await delivery.aclose()
    async with api_client(create_app(mine)) as client:
        assert (await client.get("/readyz")).json()["checks"]["upstream:nat_down"] == "ok"
        with clock.frozen_at(clock.now() + timedelta(seconds=61)):
            response = await client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["upstream:nat_down"].startswith("no answer since")


def test_a_real_target_is_signed_or_uses_mutual_tls() -> None:
    """Static credentials are for the simulator only; a remote target needs a secret or a client certificate."""
    with pytest.raises(ValueError, match="simulator only"):
        UpstreamTargetConfig(code="x", kind="national_direct_report", url="https://mem.example", token="t")
    with pytest.raises(ValueError, match="hmac_secret or client_cert"):
        UpstreamTargetConfig(code="x", kind="national_direct_report", url="https://mem.example")
    with pytest.raises(ValueError, match="go together"):
        UpstreamTargetConfig(code="x", kind="national_direct_report", url="https://mem.example", client_cert="c.pem")
    UpstreamTargetConfig(code="x", kind="national_direct_report", url="https://mem.example", hmac_secret="s")
