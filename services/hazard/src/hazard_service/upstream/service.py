"""Delivery of the upstream outbox and the targets' receipts.

Per target, in order: a message the target cannot take now (no answer, 408/429/5xx) blocks the ones after it
and is retried with backoff (or after its Retry-After); a message it refuses for good (any other 3xx/4xx), or
one that cannot be mapped, is parked with the answer and the rest go on. Operators retry or discard parked
messages. Every HTTP call of a tick runs before the tick writes anything: the job's transaction holds its
advisory lock but no row lock while it waits on a target.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from datetime import time as day_time
from typing import Any

import httpx
from pydantic import ValidationError

from hazard_service.config import HazardSettings, UpstreamTargetConfig
from hazard_service.hazards import repository as hazards
from hazard_service.upstream import repository
from hazard_service.upstream.adapters import (
    Delivered,
    Outcome,
    Receipt,
    Rejected,
    Retry,
    TargetClient,
    UpstreamUnreachable,
)
from hazard_service.upstream.messages import Enterprise, StandardFacts, Unmappable, hazard_record, message_for
from hazard_service.upstream.metrics import (
    UPSTREAM_ALERTING,
    UPSTREAM_BACKLOG,
    UPSTREAM_CONSECUTIVE_FAILURES,
    UPSTREAM_FAILURES,
    UPSTREAM_PARKED,
    UPSTREAM_SENT,
)
from hazard_service.upstream.models import UpstreamMapping, UpstreamMessage, UpstreamTargetState
from shared import clock
from shared.auth.principal import Principal
from shared.contracts.hazard import HazardUpstreamSyncChangedV1
from shared.db import UnitOfWork
from shared.errors import NotFound

BACKLOG_REFRESH_S = 30.0
TIMELINE_ACTIONS = {"rejected": "upstream_rejected", "corrected": "upstream_corrected"}


def backoff(settings: HazardSettings, attempts: int) -> timedelta:
    """Wait before the next attempt: doubling from the base, capped."""
    seconds = min(settings.upstream_backoff_base_s * 2 ** max(attempts - 1, 0), settings.upstream_backoff_max_s)
    return timedelta(seconds=seconds)


def _record_sync(uow: UnitOfWork, message: UpstreamMessage, mapping: UpstreamMapping) -> None:
    mapping.version += 1
    uow.record(
        HazardUpstreamSyncChangedV1(
            hazard_id=str(mapping.hazard_id),
            target=mapping.target,
            sync_status=mapping.sync_status,
            external_id=mapping.external_id,
            township_code=message.township_code,
            enterprise_id=message.payload.get("hazard", {}).get("enterprise_id"),
            last_event_type=mapping.last_event_type,
            attempts=message.attempts,
            last_error=message.last_error,
        ),
        aggregate_id=f"{mapping.hazard_id}:{mapping.target}",
        aggregate_version=mapping.version,
        jurisdiction=message.township_code,
    )


async def _mapping(uow: UnitOfWork, message: UpstreamMessage) -> UpstreamMapping:
    mapping = await repository.mapping(uow.session, message.target, message.hazard_id)
    if mapping is None:
        mapping = UpstreamMapping(target=message.target, hazard_id=message.hazard_id, sync_status="pending", version=1)
        uow.session.add(mapping)
    return mapping


def _contact(state: UpstreamTargetState, now: datetime) -> None:
    state.consecutive_failures = 0
    state.failing_since = None
    state.alerting = False
    state.last_contact_at = now
    state.updated_at = now


def _failure(settings: HazardSettings, state: UpstreamTargetState, error: str, now: datetime) -> None:
    state.consecutive_failures += 1
    state.failing_since = state.failing_since or now
    state.last_error = error[:2000]
    state.updated_at = now
    state.alerting = state.consecutive_failures >= settings.upstream_alert_after_failures
    UPSTREAM_FAILURES.labels(state.target).inc()


@dataclass(frozen=True)
class Unsendable:
    """The message could not be mapped to the target's schema: parked without being sent."""

    reason: str


class Delivery:
    """The upward report of one worker process: one HTTP client per target for the process's life."""

    def __init__(self, settings: HazardSettings, transports: dict[str, httpx.AsyncBaseTransport] | None = None) -> None:
        self.settings = settings
        self.targets: Sequence[UpstreamTargetConfig] = [t for t in settings.upstream_targets if t.enabled]
        self._transports = transports or {}
        self._clients: dict[str, TargetClient] = {}
        self._backlog_refreshed = 0.0

    def client(self, target: UpstreamTargetConfig) -> TargetClient:
        """The target's client, created on first use."""
        if target.code not in self._clients:
            self._clients[target.code] = TargetClient(target, self._transports.get(target.code))
        return self._clients[target.code]

    async def aclose(self) -> None:
        """Close every client."""
        for client in self._clients.values():
            await client.aclose()
        self._clients.clear()

    async def deliver(self, uow: UnitOfWork) -> int:
        """Send what is due to every enabled target; return how many messages were delivered."""
        session = uow.session
        due = await repository.due_targets(session, [t.code for t in self.targets], clock.now())
        sent = 0
        for target in (t for t in self.targets if t.code in due):
            outcomes = await self._send_due(uow, target)
            sent += await self._record(uow, target, outcomes)
        await session.flush()
        if due or time.monotonic() - self._backlog_refreshed > BACKLOG_REFRESH_S:
            await self._refresh_gauges(uow)
        return sent

    async def _refresh_gauges(self, uow: UnitOfWork) -> None:
        self._backlog_refreshed = time.monotonic()
        counts = await repository.backlog(uow.session)
        for target in self.targets:
            pending, _, parked = counts.get(target.code, (0, None, 0))
            UPSTREAM_BACKLOG.labels(target.code).set(pending)
            UPSTREAM_PARKED.labels(target.code).set(parked)

    async def _send_due(
        self, uow: UnitOfWork, target: UpstreamTargetConfig
    ) -> list[tuple[UpstreamMessage, Outcome | Unsendable]]:
        session = uow.session
        rows = await repository.pending(session, target.code, self.settings.upstream_batch_size)
        snapshots = [row.payload["hazard"] for row in rows]
        enterprises = await repository.enterprises(session, {uuid.UUID(s["enterprise_id"]) for s in snapshots})
        keys = {_clause_key(s) for s in snapshots if s.get("standard_code") and s.get("clause_code")}
        clauses = await repository.clauses(session, keys) if keys else {}
        known = await repository.external_ids(session, target.code, {row.hazard_id for row in rows})
        client = self.client(target)
        outcomes: list[tuple[UpstreamMessage, Outcome | Unsendable]] = []
        for row, snapshot in zip(rows, snapshots, strict=True):
            view = enterprises.get(uuid.UUID(snapshot["enterprise_id"]))
            found = clauses.get(_clause_key(snapshot))
            try:
                enterprise = Enterprise(credit_code=view.credit_code, name=view.name) if view else None
                standard = _standard_facts(*found) if found else None
                body = message_for(
                    target.kind, row.payload, hazard_record(snapshot, enterprise, standard), known.get(row.hazard_id)
                )
            except (Unmappable, ValidationError) as exc:
                outcomes.append((row, Unsendable(str(exc)[:2000])))
                continue
            outcome = await client.send(body)
            outcomes.append((row, outcome))
            if isinstance(outcome, Delivered):
                known[row.hazard_id] = outcome.external_id
            elif isinstance(outcome, Retry):
                break
        return outcomes

    async def _record(
        self,
        uow: UnitOfWork,
        target: UpstreamTargetConfig,
        outcomes: list[tuple[UpstreamMessage, Outcome | Unsendable]],
    ) -> int:
        now = clock.now()
        state = await repository.target_state(uow.session, target.code)
        sent = 0
        for row, outcome in outcomes:
            mapping = await _mapping(uow, row)
            if isinstance(outcome, Delivered):
                row.attempts += 1
                _delivered(uow, row, mapping, outcome, now)
                _contact(state, now)
                state.last_success_at = now
                UPSTREAM_SENT.labels(target.code).inc()
                sent += 1
            elif isinstance(outcome, Retry):
                row.attempts += 1
                row.last_error = outcome.error[:2000]
                wait = max(backoff(self.settings, row.attempts), timedelta(seconds=outcome.after_s or 0))
                row.next_attempt_at = now + wait
                _failure(self.settings, state, outcome.error, now)
                if state.alerting and mapping.sync_status != "failing":
                    mapping.sync_status = "failing"
                    _record_sync(uow, row, mapping)
            else:
                if isinstance(outcome, Rejected):
                    row.attempts += 1
                    row.answer_status, row.answer_body = outcome.status, outcome.body
                    row.last_error = f"HTTP {outcome.status}: rejected"
                    _contact(state, now)
                else:
                    row.last_error = outcome.reason
                row.parked_at = now
                mapping.sync_status = "parked"
                mapping.last_event_type = row.event_type
                _record_sync(uow, row, mapping)
        UPSTREAM_CONSECUTIVE_FAILURES.labels(target.code).set(state.consecutive_failures)
        UPSTREAM_ALERTING.labels(target.code).set(1 if state.alerting else 0)
        return sent

    async def reconcile(self, uow: UnitOfWork) -> int:
        """Ask every target for its receipts since the last ones and apply them; return how many were applied."""
        session = uow.session
        cursors = {s.target: s.receipts_cursor for s in await repository.target_states(session)}
        answers: dict[str, tuple[list[Receipt], str | None] | str] = {}
        for target in self.targets:
            try:
                answers[target.code] = await self.client(target).receipts(cursors.get(target.code))
            except UpstreamUnreachable as exc:
                answers[target.code] = str(exc)
        applied = 0
        now = clock.now()
        for code, answer in answers.items():
            state = await repository.target_state(session, code)
            if isinstance(answer, str):
                _failure(self.settings, state, f"receipts: {answer}", now)
                continue
            receipts, state.receipts_cursor = answer
            _contact(state, now)
            for receipt in receipts:
                applied += await apply_receipt(uow, code, receipt)
        await session.flush()
        return applied


def _clause_key(snapshot: dict[str, Any]) -> tuple[str, str | None, str]:
    return (snapshot.get("standard_code") or "", snapshot.get("standard_version"), snapshot.get("clause_code") or "")


def _standard_facts(standard: Any, clause: Any) -> StandardFacts:
    return StandardFacts(
        document_no=standard.issuer_document,
        name=standard.name,
        version=standard.version,
        article=clause.article,
        article_title=clause.title,
    )


def _delivered(
    uow: UnitOfWork, row: UpstreamMessage, mapping: UpstreamMapping, outcome: Delivered, now: datetime
) -> None:
    row.sent_at = now
    row.last_error = None
    changed = mapping.sync_status != "synced" or mapping.external_id != outcome.external_id
    mapping.external_id = outcome.external_id
    mapping.sync_status = "synced"
    mapping.last_event_type = row.event_type
    mapping.last_sent_at = now
    if changed:
        _record_sync(uow, row, mapping)


async def apply_receipt(uow: UnitOfWork, target: str, receipt: Receipt) -> int:
    """Keep what a target said of a message; a rejection or correction enters the hazard's timeline."""
    try:
        message_id = uuid.UUID(receipt.message_id)
    except ValueError:
        return 0
    row = await repository.message(uow.session, target, message_id)
    if row is None or row.receipt_status == receipt.status:
        return 0
    row.receipt_status, row.receipt_reason, row.receipt_at = receipt.status, receipt.reason, clock.now()
    action = TIMELINE_ACTIONS.get(receipt.status)
    hazard = await repository.hazard_state(uow.session, row.hazard_id)
    if action and hazard and uow.actor is not None:
        version, status = hazard
        details = {"target": target, "message_id": str(message_id), "event_type": row.event_type}
        if receipt.external_id:
            details["external_id"] = receipt.external_id
        entry = hazards.timeline_entry(
            uow.actor,
            row.hazard_id,
            version,
            action,
            from_status=status,
            to_status=status,
            reason=receipt.reason,
            details=details,
        )
        await hazards.add_timeline_entry(uow.session, entry)
        mapping = await _mapping(uow, row)
        mapping.sync_status = receipt.status
        _record_sync(uow, row, mapping)
    return 1


async def apply_receipts(*, uow: UnitOfWork, target: str, receipts: Sequence[Receipt]) -> int:
    """Apply a target's status callback; return how many receipts changed something."""
    async with uow:
        applied = 0
        for receipt in receipts:
            applied += await apply_receipt(uow, target, receipt)
        await uow.commit()
    return applied


async def _parked(uow: UnitOfWork, message_id: int) -> UpstreamMessage:
    row = await repository.parked(uow.session, message_id, lock=True)
    if row is None:
        raise NotFound("no parked message with this id")
    return row


async def retry_parked(*, uow: UnitOfWork, actor: Principal, message_id: int) -> UpstreamMessage:
    """Put a parked message back in its target's queue (after its cause was fixed); it is sent next."""
    async with uow:
        row = await _parked(uow, message_id)
        row.parked_at = None
        row.next_attempt_at = clock.now()
        row.last_error = f"retried by {actor.subject}; before: {row.last_error}"[:2000]
        await uow.commit()
    return row


async def discard_parked(*, uow: UnitOfWork, actor: Principal, message_id: int) -> UpstreamMessage:
    """Give up on a parked message for good (it stays listed, marked discarded, with who did it)."""
    async with uow:
        row = await _parked(uow, message_id)
        row.discarded_at = clock.now()
        row.discarded_by = actor.subject
        await uow.commit()
    return row


def unreachable(states: Sequence[UpstreamTargetState], settings: HazardSettings, now: datetime) -> dict[str, str]:
    """Enabled targets that have answered nothing usable for longer than `upstream_unreachable_after_s`."""
    limit = timedelta(seconds=settings.upstream_unreachable_after_s)
    by_code = {s.target: s for s in states}
    found = {}
    for target in settings.upstream_targets:
        state = by_code.get(target.code)
        if not target.enabled or state is None or state.failing_since is None:
            continue
        since = max(state.failing_since, state.last_contact_at or state.failing_since)
        if now - since > limit:
            found[target.code] = f"no answer since {since.isoformat()}: {state.last_error}"
    return found


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """The start and end of a day in the regulator's zone, as aware datetimes."""
    start = datetime.combine(day, day_time.min, tzinfo=clock.timezone())
    return start, start + timedelta(days=1)
