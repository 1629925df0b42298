"""The general hazard's loop (rectify, verify, close, withdraw) and the steps open to hazards of either
grade: escalation, public notices and photos."""

from __future__ import annotations

import hashlib
import uuid

from hazard_service.config import HazardSettings
from hazard_service.hazards import domain
from hazard_service.hazards import repository as repo
from hazard_service.hazards.changes import Change, begin, finish, iso, load, load_for
from hazard_service.hazards.domain import Action, Status
from hazard_service.hazards.exceptions import PhotoTooLarge, UnsupportedPhotoType
from hazard_service.hazards.models import Hazard, HazardNotice, HazardPhoto
from hazard_service.hazards.schemas import (
    Close,
    Escalate,
    MarkRectified,
    NoticeCreate,
    PhotoPhase,
    RejectRectification,
    StartRectification,
    Verify,
    Withdraw,
)
from hazard_service.hazards.storage import EXTENSIONS, PhotoStorage, content_matches
from shared.auth.principal import Principal
from shared.contracts import hazard as events
from shared.db import UnitOfWork
from shared.errors import IllegalTransition, ValidationFailed, field_error


async def start_rectification(
    *,
    uow: UnitOfWork,
    actor: Principal,
    settings: HazardSettings,
    hazard_id: uuid.UUID,
    if_match: str | None,
    data: StartRectification,
) -> Hazard:
    """Start rectifying: a general hazard with a deadline, a major one after its plan."""
    async with uow:
        hazard, target = await begin(uow, actor, hazard_id, if_match, Action.START_RECTIFICATION)
        deadline = data.deadline or hazard.rectification_deadline
        if deadline is None:
            raise ValidationFailed("a deadline is required", errors=[field_error("deadline", "required")])
        if deadline < hazard.reported_on:
            raise ValidationFailed("deadline before report", errors=[field_error("deadline", "before reported_on")])
        hazard.rectification_deadline = deadline
        hazard.original_deadline = hazard.original_deadline or deadline
        hazard.responsible_person = data.responsible_person or hazard.responsible_person
        hazard.overdue = False
        fields = {"deadline": deadline.isoformat(), "responsible_person": hazard.responsible_person}
        change = Change(
            Action.START_RECTIFICATION,
            events.HazardRectificationStartedV1,
            fields,
            reason=data.note,
            details={"deadline": deadline.isoformat()},
        )
        await finish(uow, actor, settings, hazard, change, to=target)
        return hazard


async def mark_rectified(
    *,
    uow: UnitOfWork,
    actor: Principal,
    settings: HazardSettings,
    hazard_id: uuid.UUID,
    if_match: str | None,
    data: MarkRectified,
) -> Hazard:
    """The enterprise reports a general hazard rectified."""
    async with uow:
        hazard, target = await begin(uow, actor, hazard_id, if_match, Action.MARK_RECTIFIED)
        hazard.rectified_on = data.rectified_on
        hazard.funds_spent_fen = data.funds_spent_fen
        on_time = not domain.is_overdue(hazard.rectification_deadline, data.rectified_on)
        hazard.overdue = False
        fields = {
            "rectified_on": data.rectified_on.isoformat(),
            "funds_spent_fen": data.funds_spent_fen,
            "on_time": on_time,
        }
        change = Change(Action.MARK_RECTIFIED, events.HazardRectifiedV1, fields, reason=data.note)
        await finish(uow, actor, settings, hazard, change, to=target)
        return hazard


async def verify(
    *,
    uow: UnitOfWork,
    actor: Principal,
    settings: HazardSettings,
    hazard_id: uuid.UUID,
    if_match: str | None,
    data: Verify,
) -> Hazard:
    """An official confirms a general hazard's rectification."""
    async with uow:
        hazard, target = await begin(uow, actor, hazard_id, if_match, Action.VERIFY)
        fields = {"verified_on": data.verified_on.isoformat()}
        await finish(
            uow, actor, settings, hazard, Change(Action.VERIFY, events.HazardVerifiedV1, fields, data.note), to=target
        )
        return hazard


async def reject_rectification(
    *,
    uow: UnitOfWork,
    actor: Principal,
    settings: HazardSettings,
    hazard_id: uuid.UUID,
    if_match: str | None,
    data: RejectRectification,
    stage: str,
) -> Hazard:
    """A verification (general) or review (major) failed: back to rectifying with a new deadline."""
    action = Action.REJECT_VERIFICATION if stage == "verification" else Action.REJECT_REVIEW
    async with uow:
        hazard, target = await begin(uow, actor, hazard_id, if_match, action)
        hazard.rectification_deadline = data.deadline
        hazard.review_due_on = None
        hazard.overdue = False
        fields = {"stage": stage, "reason": data.reason, "deadline": data.deadline.isoformat()}
        details = {"deadline": data.deadline.isoformat()}
        change = Change(action, events.HazardRectificationRejectedV1, fields, data.reason, details)
        await finish(uow, actor, settings, hazard, change, to=target)
        return hazard


async def close(
    *,
    uow: UnitOfWork,
    actor: Principal,
    settings: HazardSettings,
    hazard_id: uuid.UUID,
    if_match: str | None,
    data: Close,
) -> Hazard:
    """Close a verified general or reviewed major hazard (销号)."""
    async with uow:
        hazard, target = await begin(uow, actor, hazard_id, if_match, Action.CLOSE)
        hazard.closed_on = data.closed_on
        hazard.overdue = False
        fields = {
            "closed_on": data.closed_on.isoformat(),
            "funds_spent_fen": hazard.funds_spent_fen,
            "deadline": iso(hazard.rectification_deadline),
            "was_overdue": hazard.was_overdue,
        }
        await finish(
            uow, actor, settings, hazard, Change(Action.CLOSE, events.HazardClosedV1, fields, data.note), to=target
        )
        return hazard


async def withdraw(
    *,
    uow: UnitOfWork,
    actor: Principal,
    settings: HazardSettings,
    hazard_id: uuid.UUID,
    if_match: str | None,
    data: Withdraw,
) -> Hazard:
    """Withdraw a mistaken report with a reason; it stays in the record."""
    async with uow:
        hazard, target = await begin(uow, actor, hazard_id, if_match, Action.WITHDRAW)
        hazard.withdrawn_reason = data.reason
        hazard.overdue = False
        change = Change(Action.WITHDRAW, events.HazardWithdrawnV1, {"reason": data.reason}, data.reason)
        await finish(uow, actor, settings, hazard, change, to=target)
        return hazard


async def escalate(
    *,
    uow: UnitOfWork,
    actor: Principal,
    settings: HazardSettings,
    hazard_id: uuid.UUID,
    if_match: str | None,
    data: Escalate,
) -> Hazard:
    """Escalate an overdue hazard (warning, interview, penalty, stop order)."""
    async with uow:
        hazard = await load_for(uow, actor, hazard_id, if_match, roles=domain.DECIDERS, doing="escalate a hazard")
        if not hazard.overdue:
            raise IllegalTransition("only an overdue hazard can be escalated", status=hazard.status)
        hazard.escalation_step = data.step.value
        fields = {"step": data.step.value, "note": data.note}
        change = Change("escalate", events.HazardEscalatedV1, fields, data.note, {"step": data.step.value})
        await finish(uow, actor, settings, hazard, change)
        return hazard


async def publish_notice(
    *, uow: UnitOfWork, actor: Principal, settings: HazardSettings, hazard_id: uuid.UUID, data: NoticeCreate
) -> HazardNotice:
    """Record a public notice (通报) about a hazard."""
    async with uow:
        hazard = await load_for(uow, actor, hazard_id, None, roles=domain.DECIDERS, doing="publish notices")
        notice = HazardNotice(id=uuid.uuid4(), hazard_id=hazard.id, published_by=actor.subject, **data.model_dump())
        uow.session.add(notice)
        fields = {
            "notice_id": str(notice.id),
            "kind": data.kind.value,
            "title": data.title,
            "document_number": data.document_number,
            "published_on": data.published_on.isoformat(),
        }
        change = Change("publish_notice", events.HazardNoticePublishedV1, fields, details={"title": data.title})
        await finish(uow, actor, settings, hazard, change)
        return notice


async def add_photo(
    *,
    uow: UnitOfWork,
    actor: Principal,
    settings: HazardSettings,
    storage: PhotoStorage,
    hazard_id: uuid.UUID,
    phase: PhotoPhase,
    content_type: str,
    data: bytes,
    original_name: str | None,
) -> HazardPhoto:
    """Store a before/after photo (type and size checked, content-addressed by SHA-256)."""
    if len(data) > settings.photo_max_bytes:
        raise PhotoTooLarge(f"a photo may have at most {settings.photo_max_bytes} bytes")
    if content_type not in settings.photo_content_types or not content_matches(content_type, data):
        raise UnsupportedPhotoType(f"accepted photo types: {', '.join(settings.photo_content_types)}")
    if not data:
        raise ValidationFailed("empty file", errors=[field_error("file", "empty")])
    async with uow:
        hazard = await load(uow, actor, hazard_id, for_update=False)
        if hazard.status in (Status.CLOSED, Status.WITHDRAWN):
            raise IllegalTransition(f"a {hazard.status} hazard takes no more photos", status=hazard.status)
        digest = hashlib.sha256(data).hexdigest()
        key = f"{hazard.id}/{digest}.{EXTENSIONS[content_type]}"
        await storage.put(key, data)
        photo = HazardPhoto(
            id=uuid.uuid4(),
            hazard_id=hazard.id,
            phase=phase.value,
            content_type=content_type,
            size_bytes=len(data),
            sha256=digest,
            storage_key=key,
            original_name=(original_name or None) and original_name[:255],
            uploaded_by=actor.subject,
        )
        uow.session.add(photo)
        await repo.add_timeline_entry(
            uow.session,
            repo.timeline_entry(
                actor,
                hazard.id,
                hazard.version,
                "add_photo",
                from_status=hazard.status,
                to_status=hazard.status,
                details={"photo_id": str(photo.id), "phase": phase.value, "sha256": digest},
            ),
        )
        await uow.commit()
        return photo
