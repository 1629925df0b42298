"""The steps every write to a hazard shares: load it in the caller's scope, check the action against the
state machine and If-Match, then save the change with its timeline entry and event, queue it upstream and
commit."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from hazard_service.config import HazardSettings
from hazard_service.hazards import domain
from hazard_service.hazards import repository as repo
from hazard_service.hazards.domain import Action, Grade, HazardState, Status
from hazard_service.hazards.exceptions import HazardNotFound, UnknownReference
from hazard_service.hazards.models import Hazard
from hazard_service.reference import campaign_codes
from hazard_service.upstream import repository as upstream
from shared import clock
from shared.auth.principal import Principal
from shared.auth.scope import Scope
from shared.contracts.envelope import EventPayload
from shared.db import UnitOfWork
from shared.errors import Forbidden, field_error
from shared.http.concurrency import check_version


@dataclass(frozen=True)
class Change:
    """What a use case did to a hazard: the timeline's action, the event's class and fields, why, and details."""

    action: str
    event: type[EventPayload]
    fields: dict[str, Any] = field(default_factory=dict)
    reason: str | None = None
    details: dict[str, Any] | None = None


def iso(value: date | None) -> str | None:
    """A date as ISO text, None kept."""
    return value.isoformat() if value else None


def facts(hazard: Hazard, previous_status: str | None) -> dict[str, Any]:
    """The fields every hazard event carries."""
    return {
        "hazard_id": str(hazard.id),
        "enterprise_id": str(hazard.enterprise_id),
        "township_code": hazard.township_code,
        "industry_code": hazard.industry_code,
        "department_code": hazard.department_code,
        "grade": hazard.grade,
        "source": hazard.source,
        "campaign_codes": list(hazard.campaign_codes or []),
        "status": hazard.status,
        "previous_status": previous_status,
        "listed": bool(hazard.listed),
        "listing_level": hazard.listing_level,
        "reported_on": hazard.reported_on.isoformat(),
    }


def snapshot(hazard: Hazard) -> dict[str, Any]:
    """The hazard's fields as JSON, sent upstream with every change."""
    values: dict[str, Any] = {}
    for column in Hazard.__table__.columns:
        value = getattr(hazard, column.key)
        if isinstance(value, uuid.UUID):
            value = str(value)
        elif isinstance(value, date | datetime):
            value = value.isoformat()
        values[column.key] = value
    return values


def check_campaigns(codes: Sequence[str]) -> list[str]:
    """The campaign codes, sorted and deduplicated; an unknown one is a 422."""
    known = campaign_codes()
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise UnknownReference(
            "unknown campaign", errors=[field_error("campaign_codes", f"not in campaigns.json: {', '.join(unknown)}")]
        )
    return sorted(set(codes))


async def load(uow: UnitOfWork, actor: Principal, hazard_id: uuid.UUID, *, for_update: bool = True) -> Hazard:
    """The hazard, if the actor may see it (otherwise a 404), locked for a change unless told otherwise."""
    hazard = await repo.get(uow.session, hazard_id, Scope(actor), for_update=for_update)
    if hazard is None:
        raise HazardNotFound()
    return hazard


async def load_for(
    uow: UnitOfWork,
    actor: Principal,
    hazard_id: uuid.UUID,
    if_match: str | None,
    *,
    roles: Collection[str],
    doing: str,
) -> Hazard:
    """A locked hazard for a change outside the state machine: the actor holds one of `roles` (else a 403 saying
    it may not be `doing` this) and If-Match, when sent, names its version."""
    if not actor.has_role(*roles):
        raise Forbidden(f"your role may not {doing}")
    hazard = await load(uow, actor, hazard_id)
    check_version(hazard.version, if_match)
    return hazard


async def begin(
    uow: UnitOfWork, actor: Principal, hazard_id: uuid.UUID, if_match: str | None, action: Action
) -> tuple[Hazard, Status]:
    """Lock the hazard, check visibility, the state machine and If-Match; return it and the target status."""
    hazard = await load(uow, actor, hazard_id)
    state = HazardState(Grade(hazard.grade), Status(hazard.status), deferral_pending=hazard.deferral_pending)
    target = domain.decide(state, action, actor.roles)
    check_version(hazard.version, if_match)
    return hazard, target


async def log(
    uow: UnitOfWork,
    actor: Principal,
    hazard: Hazard,
    action: str,
    *,
    from_status: str | None,
    reason: str | None = None,
    details: dict[str, Any] | None = None,
) -> None:
    """Append a step to the hazard's timeline at its current version and status."""
    entry = repo.timeline_entry(
        actor,
        hazard.id,
        hazard.version,
        action,
        from_status=from_status,
        to_status=hazard.status,
        reason=reason,
        details=details,
    )
    await repo.add_timeline_entry(uow.session, entry)


async def finish(
    uow: UnitOfWork,
    actor: Principal,
    settings: HazardSettings,
    hazard: Hazard,
    change: Change,
    *,
    to: Status | None = None,
) -> None:
    """Save a change to a loaded hazard (moving it to status `to`, if given; its version goes up by one),
    then write it (see `write`)."""
    previous = hazard.status
    if to is not None:
        hazard.status = to.value
    hazard.updated_at = clock.now()
    await uow.session.flush()
    await write(uow, actor, settings, hazard, change, previous_status=previous)


async def write(
    uow: UnitOfWork,
    actor: Principal,
    settings: HazardSettings,
    hazard: Hazard,
    change: Change,
    *,
    previous_status: str | None,
) -> None:
    """Write a saved change's timeline entry and event, queue it upstream when the hazard is reported there
    (a ledgered major hazard), and commit."""
    await log(
        uow, actor, hazard, change.action, from_status=previous_status, reason=change.reason, details=change.details
    )
    payload = change.event(**facts(hazard, previous_status), **change.fields)
    envelope = uow.record_for(hazard, payload)
    if hazard.grade == Grade.MAJOR and hazard.ledgered_on is not None:
        await upstream.enqueue(
            uow.session,
            targets=[t.code for t in settings.upstream_targets if t.enabled],
            message_id=envelope.event_id,
            hazard_id=hazard.id,
            township_code=hazard.township_code,
            event_type=envelope.event_type,
            payload={
                "message_id": str(envelope.event_id),
                "event_type": envelope.event_type,
                "occurred_at": envelope.occurred_at.isoformat(),
                "hazard_version": hazard.version,
                "event": payload.model_dump(mode="json"),
                "hazard": snapshot(hazard),
            },
        )
    await uow.commit()
