"""The general hazard's loop (rectify, verify, close, withdraw): the steps of its lifecycle actions (see
`lifecycle`), and the changes open to hazards of either grade: escalation, public notices and photos."""

from __future__ import annotations

import hashlib
import uuid

from hazard_service.config import HazardSettings
from hazard_service.hazards import deadlines, domain
from hazard_service.hazards.changes import Change, finish, iso, load, load_for, log
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
from hazard_service.hazards.storage import EXTENSIONS, EvidenceStore, content_matches
from hazard_service.hazards.thumbnails import THUMBNAIL_TYPE, thumbnail
from shared.auth.principal import Principal
from shared.contracts import hazard as events
from shared.db import UnitOfWork
from shared.errors import IllegalTransition, ValidationFailed, field_error


async def start_rectification(
    uow: UnitOfWork, settings: HazardSettings, hazard: Hazard, data: StartRectification
) -> Change:
    """Start rectifying: a general hazard with a deadline, a major one after its plan."""
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
    details = {"deadline": deadline.isoformat()}
    return Change(Action.START_RECTIFICATION, events.HazardRectificationStartedV1, fields, data.note, details)


async def mark_rectified(uow: UnitOfWork, settings: HazardSettings, hazard: Hazard, data: MarkRectified) -> Change:
    """The enterprise reports a general hazard rectified."""
    hazard.rectified_on = data.rectified_on
    hazard.funds_spent_fen = data.funds_spent_fen
    on_time = not domain.is_overdue(hazard.rectification_deadline, data.rectified_on)
    hazard.overdue = False
    await deadlines.settle(uow, hazard, "rectification", hazard.rectification_deadline, data.rectified_on)
    fields = {
        "rectified_on": data.rectified_on.isoformat(),
        "funds_spent_fen": data.funds_spent_fen,
        "on_time": on_time,
    }
    return Change(Action.MARK_RECTIFIED, events.HazardRectifiedV1, fields, data.note)


async def verify(uow: UnitOfWork, settings: HazardSettings, hazard: Hazard, data: Verify) -> Change:
    """An official confirms a general hazard's rectification."""
    return Change(Action.VERIFY, events.HazardVerifiedV1, {"verified_on": data.verified_on.isoformat()}, data.note)


def _rejection(hazard: Hazard, data: RejectRectification, action: Action, stage: str) -> Change:
    """A failed verification or review: back to rectifying with a new deadline."""
    hazard.rectification_deadline = data.deadline
    hazard.review_due_on = None
    hazard.overdue = False
    fields = {"stage": stage, "reason": data.reason, "deadline": data.deadline.isoformat()}
    details = {"deadline": data.deadline.isoformat()}
    return Change(action, events.HazardRectificationRejectedV1, fields, data.reason, details)


async def reject_verification(
    uow: UnitOfWork, settings: HazardSettings, hazard: Hazard, data: RejectRectification
) -> Change:
    """A general hazard's verification failed."""
    return _rejection(hazard, data, Action.REJECT_VERIFICATION, "verification")


async def reject_review(uow: UnitOfWork, settings: HazardSettings, hazard: Hazard, data: RejectRectification) -> Change:
    """A major hazard's on-site review failed."""
    return _rejection(hazard, data, Action.REJECT_REVIEW, "review")


async def close(uow: UnitOfWork, settings: HazardSettings, hazard: Hazard, data: Close) -> Change:
    """Close a verified general or reviewed major hazard (销号)."""
    hazard.closed_on = data.closed_on
    hazard.overdue = False
    fields = {
        "closed_on": data.closed_on.isoformat(),
        "funds_spent_fen": hazard.funds_spent_fen,
        "deadline": iso(hazard.rectification_deadline),
        "was_overdue": hazard.was_overdue,
    }
    return Change(Action.CLOSE, events.HazardClosedV1, fields, data.note)


async def withdraw(uow: UnitOfWork, settings: HazardSettings, hazard: Hazard, data: Withdraw) -> Change:
    """Withdraw a mistaken report with a reason; it stays in the record."""
    hazard.withdrawn_reason = data.reason
    hazard.overdue = False
    return Change(Action.WITHDRAW, events.HazardWithdrawnV1, {"reason": data.reason}, data.reason)


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
    storage: EvidenceStore,
    hazard_id: uuid.UUID,
    phase: PhotoPhase,
    content_type: str,
    data: bytes,
    original_name: str | None,
) -> HazardPhoto:
    """Store a before/after photo and its thumbnail (type and size checked, content-addressed by SHA-256)."""
    if len(data) > settings.photo_max_bytes:
        raise PhotoTooLarge(f"a photo may have at most {settings.photo_max_bytes} bytes")
    if content_type not in settings.photo_content_types or not content_matches(content_type, data):
        raise UnsupportedPhotoType(f"accepted photo types: {', '.join(settings.photo_content_types)}")
    if not data:
        raise ValidationFailed("empty file", errors=[field_error("file", "empty")])
    preview = await thumbnail(data, settings.photo_thumbnail_px)
    async with uow:
        hazard = await load(uow, actor, hazard_id, for_update=False)
        if hazard.status in (Status.CLOSED, Status.WITHDRAWN):
            raise IllegalTransition(f"a {hazard.status} hazard takes no more photos", status=hazard.status)
        digest = hashlib.sha256(data).hexdigest()
        key = f"{hazard.id}/{digest}.{EXTENSIONS[content_type]}"
        await storage.put(uow.session, key, data, content_type)
        thumbnail_key: str | None = None
        if preview is not None:
            thumbnail_key = f"{hazard.id}/{digest}.thumb.jpg"
            await storage.put(uow.session, thumbnail_key, preview, THUMBNAIL_TYPE)
        photo = HazardPhoto(
            id=uuid.uuid4(),
            hazard_id=hazard.id,
            phase=phase.value,
            content_type=content_type,
            size_bytes=len(data),
            sha256=digest,
            storage_key=key,
            thumbnail_key=thumbnail_key,
            original_name=(original_name or None) and original_name[:255],
            uploaded_by=actor.subject,
        )
        uow.session.add(photo)
        details = {"photo_id": str(photo.id), "phase": phase.value, "sha256": digest}
        await log(uow, actor, hazard, "add_photo", from_status=hazard.status, details=details)
        await uow.commit()
        return photo
