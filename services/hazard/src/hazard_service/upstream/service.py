"""Delivery of the upstream outbox: per target, in order, with backoff and an alert when it keeps failing."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

import httpx

from hazard_service.config import HazardSettings, UpstreamTargetConfig
from hazard_service.upstream import repository
from hazard_service.upstream.adapters import UpstreamError, adapter_for
from hazard_service.upstream.metrics import (
    UPSTREAM_ALERTING,
    UPSTREAM_BACKLOG,
    UPSTREAM_CONSECUTIVE_FAILURES,
    UPSTREAM_FAILURES,
    UPSTREAM_SENT,
)
from hazard_service.upstream.models import UpstreamMapping, UpstreamMessage, UpstreamTargetState
from shared import clock
from shared.contracts.hazard import HazardUpstreamSyncChangedV1
from shared.db import UnitOfWork


def backoff(settings: HazardSettings, attempts: int) -> timedelta:
    """Wait before the next attempt: doubling from the base, capped."""
    seconds = min(settings.upstream_backoff_base_s * 2 ** max(attempts - 1, 0), settings.upstream_backoff_max_s)
    return timedelta(seconds=seconds)


def _record_sync(uow: UnitOfWork, message: UpstreamMessage, mapping: UpstreamMapping, attempts: int) -> None:
    uow.record(
        HazardUpstreamSyncChangedV1(
            hazard_id=str(mapping.hazard_id),
            target=mapping.target,
            sync_status=mapping.sync_status,
            external_id=mapping.external_id,
            township_code=message.township_code,
            enterprise_id=message.payload.get("hazard", {}).get("enterprise_id"),
            last_event_type=mapping.last_event_type,
            attempts=attempts,
            last_error=message.last_error,
        ),
        aggregate_id=f"{mapping.hazard_id}:{mapping.target}",
        aggregate_version=mapping.version,
        jurisdiction=message.township_code,
    )


async def _deliver_target(
    uow: UnitOfWork, settings: HazardSettings, target: UpstreamTargetConfig, client: httpx.AsyncClient
) -> int:
    session = uow.session
    adapter = adapter_for(target)
    now = clock.now()
    state = await repository.target_state(session, target.code)
    sent = 0
    for message in await repository.due_messages(session, target.code, now, settings.upstream_batch_size):
        mapping = await repository.mapping(session, target.code, message.hazard_id)
        if mapping is None:
            mapping = UpstreamMapping(target=target.code, hazard_id=message.hazard_id, sync_status="pending", version=1)
            session.add(mapping)
        try:
            external_id = await adapter.send(client, message.payload, mapping.external_id)
        except UpstreamError as exc:
            _on_failure(uow, settings, state, message, mapping, str(exc))
            break
        message.sent_at = clock.now()
        message.attempts += 1
        message.last_error = None
        changed = mapping.sync_status != "synced" or mapping.external_id != external_id
        mapping.external_id = external_id
        mapping.sync_status = "synced"
        mapping.last_event_type = message.event_type
        mapping.last_sent_at = message.sent_at
        if changed:
            mapping.version += 1
            _record_sync(uow, message, mapping, message.attempts)
        state.consecutive_failures = 0
        state.failing_since = None
        state.alerting = False
        state.last_success_at = message.sent_at
        state.updated_at = message.sent_at
        UPSTREAM_SENT.labels(target.code).inc()
        sent += 1
    UPSTREAM_CONSECUTIVE_FAILURES.labels(target.code).set(state.consecutive_failures)
    UPSTREAM_ALERTING.labels(target.code).set(1 if state.alerting else 0)
    return sent


def _on_failure(
    uow: UnitOfWork,
    settings: HazardSettings,
    state: UpstreamTargetState,
    message: UpstreamMessage,
    mapping: UpstreamMapping,
    error: str,
) -> None:
    now = clock.now()
    message.attempts += 1
    message.last_error = error[:2000]
    message.next_attempt_at = now + backoff(settings, message.attempts)
    state.consecutive_failures += 1
    state.failing_since = state.failing_since or now
    state.last_error = error[:2000]
    state.updated_at = now
    state.alerting = state.consecutive_failures >= settings.upstream_alert_after_failures
    UPSTREAM_FAILURES.labels(message.target).inc()
    if state.alerting and mapping.sync_status != "failing":
        mapping.sync_status = "failing"
        mapping.version += 1
        _record_sync(uow, message, mapping, message.attempts)


async def deliver(uow: UnitOfWork, settings: HazardSettings, client: httpx.AsyncClient | None = None) -> int:
    """Send what is due to every enabled target (inside the scheduler's transaction); return how many."""
    targets: Sequence[UpstreamTargetConfig] = [t for t in settings.upstream_targets if t.enabled]
    if not targets:
        return 0
    own_client = client is None
    http = client or httpx.AsyncClient()
    try:
        sent = 0
        for target in targets:
            sent += await _deliver_target(uow, settings, target, http)
        await uow.session.flush()
        for name, (count, _) in (await repository.backlog(uow.session)).items():
            UPSTREAM_BACKLOG.labels(name).set(count)
        return sent
    finally:
        if own_client:
            await http.aclose()
