"""The reporting consumer: every event of the three topics is logged and projected.

Dedupe happens twice in the same transaction, on purpose. The platform runner's `inbox_event`
row (consumer, event_id) skips a redelivered message before any handler runs; `event_log`
(event_id primary key, `ON CONFLICT DO NOTHING RETURNING`) is the source of rebuilds and the
final word: only events that were newly logged are projected, so the counters equal a replay
of the log even if the inbox were purged.

The per-event handler only checks that the event can be projected, so a malformed event fails
alone (the runner retries it in isolation and dead-letters it). Logging and projecting happen for
the whole batch at once in the runner's `after_batch` hook, inside the batch's transaction.
"""

from __future__ import annotations

import json
import time
from collections.abc import Awaitable, Callable

from sqlalchemy.ext.asyncio import AsyncSession

from reporting_service.metrics import EVENT_AGE_SECONDS, LAST_APPLIED_EVENT, STALE_EVENTS
from reporting_service.projections import repository
from reporting_service.projections.domain.dispatch import check_projectable
from reporting_service.projections.domain.records import EventRecord
from reporting_service.projections.service import Projector, freshness_of, project
from shared.contracts.envelope import EventEnvelope, EventPayload
from shared.contracts.registry import REGISTRY
from shared.contracts.topics import ALL_TOPICS
from shared.db import UnitOfWork
from shared.db.engine import driver_connection

Handler = Callable[[UnitOfWork, EventEnvelope, EventPayload], Awaitable[None]]
_CACHE = "reporting.records"


def _record(envelope: EventEnvelope) -> tuple[EventRecord, str]:
    text = envelope.model_dump_json()
    return EventRecord.from_envelope_dict(json.loads(text)), text


def make_handler(projector: Projector) -> Handler:
    """The per-event handler: validate now, project with the batch."""

    async def check_event(uow: UnitOfWork, envelope: EventEnvelope, payload: EventPayload) -> None:
        record, text = _record(envelope)
        check_projectable(record, projector.stateful, projector.one_shot)
        uow.session.info.setdefault(_CACHE, {})[record.event_id] = (record, text)

    return check_event


def make_after_batch(projector: Projector) -> Callable[[AsyncSession, list[EventEnvelope]], Awaitable[None]]:
    """The batch hook: log the applied events, project the newly logged ones, record freshness."""

    async def after_batch(session: AsyncSession, applied: list[EventEnvelope]) -> None:
        cache = session.info.get(_CACHE, {})
        pairs = [cache.get(str(e.event_id)) or _record(e) for e in applied]
        conn = await driver_connection(session)
        new_ids = await repository.insert_event_log(conn, pairs)
        records = [r for r, _ in pairs if r.event_id in new_ids]
        outcome = await project(conn, projector, records)
        per_topic = freshness_of(records)
        await repository.touch_freshness(conn, per_topic)
        now = time.time()
        for topic, (newest, _) in per_topic.items():
            LAST_APPLIED_EVENT.labels(topic).set(now)
            EVENT_AGE_SECONDS.labels(topic).set(max(now - newest.timestamp(), 0.0))
        if outcome.stale:
            STALE_EVENTS.inc(outcome.stale)

    return after_batch


def consumed_event_types() -> list[str]:
    """Every registered event type of the three producing topics (all are logged for future rebuilds)."""
    return sorted({t for (t, _), cls in REGISTRY.classes.items() if cls.topic in ALL_TOPICS})
