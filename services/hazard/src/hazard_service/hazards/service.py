"""Use cases of hazards: each owns its transaction through the unit of work."""

from __future__ import annotations

import functools
import hashlib
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import inspect

from hazard_service.config import HazardSettings
from hazard_service.enterprises import repository as enterprises
from hazard_service.hazards import domain
from hazard_service.hazards import repository as repo
from hazard_service.hazards.domain import Action, Grade, HazardState, Status
from hazard_service.hazards.exceptions import HazardNotFound, PhotoTooLarge, UnknownReference, UnsupportedPhotoType
from hazard_service.hazards.models import (
    Hazard,
    HazardDeferral,
    HazardListing,
    HazardNotice,
    HazardPhoto,
)
from hazard_service.hazards.schemas import (
    ApplyAcceptance,
    Assess,
    Close,
    DeferralCreate,
    DeferralDecision,
    Escalate,
    HazardCreate,
    HazardFilters,
    HazardSort,
    Judge,
    Ledger,
    ListingCreate,
    ListingReceipt,
    MarkRectified,
    NoticeCreate,
    PhotoPhase,
    Plan,
    RejectRectification,
    Review,
    StartRectification,
    Verify,
    Withdraw,
)
from hazard_service.hazards.storage import EXTENSIONS, PhotoStorage, content_matches
from hazard_service.reference import campaign_codes
from hazard_service.standards import repository as standards
from hazard_service.upstream import repository as upstream
from shared.auth.principal import Principal, Role
from shared.contracts import hazard as events
from shared.contracts.envelope import EventPayload
from shared.db import DriverUnitOfWork, UnitOfWork
from shared.errors import Conflict, Forbidden, IllegalTransition, ValidationFailed, field_error
from shared.http.concurrency import check_version
from shared.http.pagination import PageParams, decode_cursor, encode_cursor


def local_today(settings: HazardSettings) -> date:
    """Today in the regulator's calendar (deadlines are local dates)."""
    return datetime.now(ZoneInfo(settings.timezone)).date()


def _actor(uow: UnitOfWork | DriverUnitOfWork) -> Principal:
    if uow.actor is None:
        raise RuntimeError("hazard use cases need an actor")
    return uow.actor


def _field_getter(hazard: Hazard | Mapping[str, Any]) -> Callable[[str], Any]:
    """Read a column of a loaded hazard or of the values of a new one alike."""
    return hazard.__getitem__ if isinstance(hazard, Mapping) else functools.partial(getattr, hazard)


def _facts(hazard: Hazard | Mapping[str, Any], previous_status: str | None) -> dict[str, Any]:
    field = _field_getter(hazard)
    return {
        "hazard_id": str(field("id")),
        "enterprise_id": str(field("enterprise_id")),
        "township_code": field("township_code"),
        "industry_code": field("industry_code"),
        "department_code": field("department_code"),
        "grade": field("grade"),
        "source": field("source"),
        "campaign_codes": list(field("campaign_codes") or []),
        "status": field("status"),
        "previous_status": previous_status,
        "listed": bool(field("listed")),
        "listing_level": field("listing_level"),
        "reported_on": field("reported_on").isoformat(),
    }


def snapshot(hazard: Hazard) -> dict[str, Any]:
    """The hazard's fields as JSON, sent upstream with every change."""
    values: dict[str, Any] = {}
    for column in Hazard.__table__.columns:
        value = getattr(hazard, column.key)
        if isinstance(value, uuid.UUID | date | datetime):
            value = value.isoformat() if not isinstance(value, uuid.UUID) else str(value)
        values[column.key] = value
    return values


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


async def _load(uow: UnitOfWork, hazard_id: uuid.UUID, *, for_update: bool) -> Hazard:
    hazard = await repo.get(uow.session, hazard_id, for_update=for_update)
    if hazard is None or not repo.can_see(_actor(uow), hazard):
        raise HazardNotFound()
    return hazard


async def _begin(uow: UnitOfWork, hazard_id: uuid.UUID, if_match: str | None, action: Action) -> tuple[Hazard, Status]:
    """Lock the hazard, check visibility, the state machine and If-Match; return it and the target status."""
    hazard = await _load(uow, hazard_id, for_update=True)
    state = HazardState(Grade(hazard.grade), Status(hazard.status), deferral_pending=hazard.deferral_pending)
    target = domain.decide(state, action, _actor(uow).roles)
    check_version(hazard.version, if_match)
    return hazard, target


async def _finish(
    uow: UnitOfWork,
    settings: HazardSettings,
    hazard: Hazard,
    *,
    action: str,
    previous_status: str | None,
    payload_cls: type[EventPayload],
    fields: dict[str, Any] | None = None,
    reason: str | None = None,
    details: dict[str, Any] | None = None,
) -> None:
    """Write the timeline entry and the event of a change, queue it upstream, and commit."""
    hazard.updated_at = datetime.now(UTC)
    # The version the row gets at the commit's single flush (version_id_col counts 1, 2, ...).
    version = 1 if inspect(hazard).pending else hazard.version + 1
    await repo.add_timeline_entry(
        uow.session,
        repo.timeline_entry(
            _actor(uow),
            hazard.id,
            version,
            action,
            from_status=previous_status,
            to_status=hazard.status,
            reason=reason,
            details=details,
        ),
    )
    payload = payload_cls(**_facts(hazard, previous_status), **(fields or {}))
    envelope = uow.record(
        payload, aggregate_id=str(hazard.id), aggregate_version=version, jurisdiction=hazard.township_code
    )
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
                "hazard_version": version,
                "event": payload.model_dump(mode="json"),
                "hazard": {**snapshot(hazard), "version": version},
            },
        )
    await uow.commit()


def _check_campaigns(codes: Sequence[str]) -> list[str]:
    known = campaign_codes()
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise UnknownReference(
            "unknown campaign", errors=[field_error("campaign_codes", f"not in campaigns.json: {', '.join(unknown)}")]
        )
    return sorted(set(codes))


# --- creation ------------------------------------------------------------------------------------


async def report_hazard(*, uow: DriverUnitOfWork, data: HazardCreate) -> dict[str, Any]:
    """Enter a hazard found in a known enterprise and publish hazard.reported; return the stored row.

    The busiest write of the service, so it runs on the driver connection (see `DriverUnitOfWork`) with the
    row as a plain dict: an ORM object cost more CPU than the insert.
    """
    async with uow:
        actor = _actor(uow)
        enterprise = await enterprises.reporting_facts(uow.connection, data.enterprise_id)
        is_enterprise_user = actor.has_role(Role.ENTERPRISE) and not actor.sees_everything
        if (
            enterprise is None
            or (is_enterprise_user and actor.enterprise_id != str(data.enterprise_id))
            or (not is_enterprise_user and not actor.covers(enterprise["township_code"]))
        ):
            raise ValidationFailed(
                "unknown enterprise",
                errors=[field_error("enterprise_id", "no such enterprise in your jurisdiction")],
            )
        if is_enterprise_user and data.source.value != "self_report":
            raise ValidationFailed(
                "an enterprise reports its own hazards", errors=[field_error("source", "must be self_report")]
            )
        if data.deadline is not None and data.deadline < data.reported_on:
            raise ValidationFailed("deadline before report", errors=[field_error("deadline", "before reported_on")])
        # Every column is bound (the insert reads no server default back), so the row is also the answer.
        hazard = repo.new_hazard_row(
            enterprise_id=enterprise["enterprise_id"],
            enterprise_name=enterprise["name"],
            township_code=enterprise["township_code"],
            industry_code=enterprise["industry_code"],
            department_code=data.department_code,
            grade=data.grade.value,
            source=data.source.value,
            campaign_codes=_check_campaigns(data.campaign_codes),
            category=data.category,
            location=data.location,
            description=data.description,
            reporter_name=data.reporter_name or actor.name,
            reporting_unit=data.reporting_unit or actor.department,
            reported_by=actor.subject,
            reported_on=data.reported_on,
            funds_fen=data.funds_fen,
            rectification_deadline=data.deadline,
            original_deadline=data.deadline,
        )
        first_entry = repo.timeline_entry(
            actor, hazard["id"], 1, "report", from_status=None, to_status=hazard["status"]
        )
        # A new hazard is neither major-and-ledgered nor upstream yet, so unlike `_finish` nothing is queued up.
        await repo.insert_reported(uow.connection, hazard, first_entry)
        uow.record(
            events.HazardReportedV1(**_facts(hazard, None), **_reported_fields(hazard)),
            aggregate_id=str(hazard["id"]),
            aggregate_version=1,
            jurisdiction=hazard["township_code"],
        )
        await uow.commit()
        return hazard


def _reported_fields(hazard: Hazard | Mapping[str, Any]) -> dict[str, Any]:
    field = _field_getter(hazard)
    return {
        "description": field("description"),
        "category": field("category"),
        "location": field("location"),
        "reporter_name": field("reporter_name"),
        "reporting_unit": field("reporting_unit"),
        "source_reference": field("source_reference"),
        "funds_fen": field("funds_fen"),
        "deadline": _iso(field("rectification_deadline")),
    }


@dataclass(frozen=True)
class FindingIntake:
    """A finding of another service (supervisor visit or enforcement inspection) to register as a hazard."""

    reference: str
    enterprise_id: uuid.UUID
    enterprise_name: str | None
    township_code: str
    industry_code: str | None
    department_code: str | None
    grade: str
    source: str
    description: str
    found_on: date
    location: str | None
    reporter_name: str | None
    reporting_unit: str | None
    campaign_codes: list[str]
    deadline: date | None


async def register_finding(*, uow: UnitOfWork, settings: HazardSettings, finding: FindingIntake) -> Hazard | None:
    """Register a finding as a hazard once (unique source reference); None when it already exists.

    Runs inside the consumer's transaction, so its inbox row and the hazard commit together.
    """
    if await repo.get_by_source_reference(uow.session, finding.reference) is not None:
        return None
    enterprise = await enterprises.get(uow.session, finding.enterprise_id)
    known_campaigns = campaign_codes()
    hazard = Hazard(
        id=uuid.uuid4(),
        enterprise_id=finding.enterprise_id,
        enterprise_name=enterprise.name if enterprise else finding.enterprise_name,
        township_code=enterprise.township_code if enterprise else finding.township_code,
        industry_code=(enterprise.industry_code if enterprise else None) or finding.industry_code,
        department_code=finding.department_code,
        grade=finding.grade if finding.grade in (Grade.GENERAL, Grade.MAJOR) else Grade.GENERAL.value,
        source=finding.source,
        source_reference=finding.reference,
        campaign_codes=sorted({c for c in finding.campaign_codes if c in known_campaigns}),
        description=finding.description,
        location=finding.location,
        reporter_name=finding.reporter_name,
        reporting_unit=finding.reporting_unit,
        reported_by=_actor(uow).subject,
        reported_on=finding.found_on,
        status=Status.REPORTED.value,
        rectification_deadline=finding.deadline,
        original_deadline=finding.deadline,
    )
    uow.session.add(hazard)
    await _finish(
        uow,
        settings,
        hazard,
        action="report",
        previous_status=None,
        payload_cls=events.HazardReportedV1,
        fields=_reported_fields(hazard),
        details={"source_reference": finding.reference},
    )
    return hazard


# --- general lifecycle ---------------------------------------------------------------------------


async def start_rectification(
    *, uow: UnitOfWork, settings: HazardSettings, hazard_id: uuid.UUID, if_match: str | None, data: StartRectification
) -> Hazard:
    """Start rectifying: a general hazard with a deadline, a major one after its plan."""
    async with uow:
        hazard, target = await _begin(uow, hazard_id, if_match, Action.START_RECTIFICATION)
        deadline = data.deadline or hazard.rectification_deadline
        if deadline is None:
            raise ValidationFailed("a deadline is required", errors=[field_error("deadline", "required")])
        if deadline < hazard.reported_on:
            raise ValidationFailed("deadline before report", errors=[field_error("deadline", "before reported_on")])
        previous = hazard.status
        hazard.status = target.value
        hazard.rectification_deadline = deadline
        hazard.original_deadline = hazard.original_deadline or deadline
        hazard.responsible_person = data.responsible_person or hazard.responsible_person
        hazard.overdue = False
        await _finish(
            uow,
            settings,
            hazard,
            action=Action.START_RECTIFICATION,
            previous_status=previous,
            payload_cls=events.HazardRectificationStartedV1,
            fields={"deadline": deadline.isoformat(), "responsible_person": hazard.responsible_person},
            reason=data.note,
            details={"deadline": deadline.isoformat()},
        )
        return hazard


async def mark_rectified(
    *, uow: UnitOfWork, settings: HazardSettings, hazard_id: uuid.UUID, if_match: str | None, data: MarkRectified
) -> Hazard:
    """The enterprise reports a general hazard rectified."""
    async with uow:
        hazard, target = await _begin(uow, hazard_id, if_match, Action.MARK_RECTIFIED)
        previous = hazard.status
        hazard.status = target.value
        hazard.rectified_on = data.rectified_on
        hazard.funds_spent_fen = data.funds_spent_fen
        on_time = not domain.is_overdue(hazard.rectification_deadline, data.rectified_on)
        hazard.overdue = False
        await _finish(
            uow,
            settings,
            hazard,
            action=Action.MARK_RECTIFIED,
            previous_status=previous,
            payload_cls=events.HazardRectifiedV1,
            fields={
                "rectified_on": data.rectified_on.isoformat(),
                "funds_spent_fen": data.funds_spent_fen,
                "on_time": on_time,
            },
            reason=data.note,
        )
        return hazard


async def verify(
    *, uow: UnitOfWork, settings: HazardSettings, hazard_id: uuid.UUID, if_match: str | None, data: Verify
) -> Hazard:
    """An official confirms a general hazard's rectification."""
    async with uow:
        hazard, target = await _begin(uow, hazard_id, if_match, Action.VERIFY)
        previous = hazard.status
        hazard.status = target.value
        await _finish(
            uow,
            settings,
            hazard,
            action=Action.VERIFY,
            previous_status=previous,
            payload_cls=events.HazardVerifiedV1,
            fields={"verified_on": data.verified_on.isoformat()},
            reason=data.note,
        )
        return hazard


async def reject_rectification(
    *,
    uow: UnitOfWork,
    settings: HazardSettings,
    hazard_id: uuid.UUID,
    if_match: str | None,
    data: RejectRectification,
    stage: str,
) -> Hazard:
    """A verification (general) or review (major) failed: back to rectifying with a new deadline."""
    action = Action.REJECT_VERIFICATION if stage == "verification" else Action.REJECT_REVIEW
    async with uow:
        hazard, target = await _begin(uow, hazard_id, if_match, action)
        previous = hazard.status
        hazard.status = target.value
        hazard.rectification_deadline = data.deadline
        hazard.review_due_on = None
        hazard.overdue = False
        await _finish(
            uow,
            settings,
            hazard,
            action=action,
            previous_status=previous,
            payload_cls=events.HazardRectificationRejectedV1,
            fields={"stage": stage, "reason": data.reason, "deadline": data.deadline.isoformat()},
            reason=data.reason,
            details={"deadline": data.deadline.isoformat()},
        )
        return hazard


async def close(
    *, uow: UnitOfWork, settings: HazardSettings, hazard_id: uuid.UUID, if_match: str | None, data: Close
) -> Hazard:
    """Close a verified general or reviewed major hazard (销号)."""
    async with uow:
        hazard, target = await _begin(uow, hazard_id, if_match, Action.CLOSE)
        previous = hazard.status
        hazard.status = target.value
        hazard.closed_on = data.closed_on
        hazard.overdue = False
        await _finish(
            uow,
            settings,
            hazard,
            action=Action.CLOSE,
            previous_status=previous,
            payload_cls=events.HazardClosedV1,
            fields={
                "closed_on": data.closed_on.isoformat(),
                "funds_spent_fen": hazard.funds_spent_fen,
                "deadline": _iso(hazard.rectification_deadline),
                "was_overdue": hazard.was_overdue,
            },
            reason=data.note,
        )
        return hazard


async def withdraw(
    *, uow: UnitOfWork, settings: HazardSettings, hazard_id: uuid.UUID, if_match: str | None, data: Withdraw
) -> Hazard:
    """Withdraw a mistaken report with a reason; it stays in the record."""
    async with uow:
        hazard, target = await _begin(uow, hazard_id, if_match, Action.WITHDRAW)
        previous = hazard.status
        hazard.status = target.value
        hazard.withdrawn_reason = data.reason
        hazard.overdue = False
        await _finish(
            uow,
            settings,
            hazard,
            action=Action.WITHDRAW,
            previous_status=previous,
            payload_cls=events.HazardWithdrawnV1,
            fields={"reason": data.reason},
            reason=data.reason,
        )
        return hazard


# --- major lifecycle -----------------------------------------------------------------------------


async def judge(
    *, uow: UnitOfWork, settings: HazardSettings, hazard_id: uuid.UUID, if_match: str | None, data: Judge
) -> Hazard:
    """Judge a major hazard against a clause of an imported standard."""
    async with uow:
        hazard, target = await _begin(uow, hazard_id, if_match, Action.JUDGE)
        clause = await standards.find_clause(uow.session, data.standard_code, data.clause_code, data.standard_version)
        if clause is None:
            raise UnknownReference(
                "unknown clause",
                errors=[field_error("clause_code", f"no clause {data.clause_code} in standard {data.standard_code}")],
            )
        previous = hazard.status
        hazard.status = target.value
        hazard.standard_code = clause.standard_code
        hazard.standard_version = clause.standard_version
        hazard.clause_code = clause.code
        await _finish(
            uow,
            settings,
            hazard,
            action=Action.JUDGE,
            previous_status=previous,
            payload_cls=events.HazardJudgedV1,
            fields={
                "standard_code": clause.standard_code,
                "standard_version": clause.standard_version,
                "clause_code": clause.code,
                "clause_article": clause.article,
                "note": data.note,
            },
            reason=data.note,
            details={"clause_title": clause.title, "article": clause.article},
        )
        return hazard


async def ledger(
    *, uow: UnitOfWork, settings: HazardSettings, hazard_id: uuid.UUID, if_match: str | None, data: Ledger
) -> Hazard:
    """Enter a judged major hazard in the ledger and queue it for the upward report."""
    async with uow:
        hazard, target = await _begin(uow, hazard_id, if_match, Action.LEDGER)
        previous = hazard.status
        hazard.status = target.value
        hazard.ledgered_on = data.ledgered_on
        hazard.ledger_number = data.ledger_number or await repo.next_ledger_number(uow.session, data.ledgered_on.year)
        await _finish(
            uow,
            settings,
            hazard,
            action=Action.LEDGER,
            previous_status=previous,
            payload_cls=events.HazardLedgeredV1,
            fields={"ledger_number": hazard.ledger_number, "ledgered_on": data.ledgered_on.isoformat()},
        )
        return hazard


async def list_for_supervision(
    *, uow: UnitOfWork, settings: HazardSettings, hazard_id: uuid.UUID, if_match: str | None, data: ListingCreate
) -> Hazard:
    """List a ledgered major hazard for supervision (挂牌督办) with its hand-over note."""
    async with uow:
        hazard, target = await _begin(uow, hazard_id, if_match, Action.LIST)
        levels = {level.code for level in settings.listing_levels}
        if data.level not in levels:
            raise UnknownReference(
                "unknown listing level", errors=[field_error("level", f"one of: {', '.join(sorted(levels))}")]
            )
        if data.deadline < data.listed_on:
            raise ValidationFailed("deadline before listing", errors=[field_error("deadline", "before listed_on")])
        listing = HazardListing(id=uuid.uuid4(), hazard_id=hazard.id, **data.model_dump())
        uow.session.add(listing)
        previous = hazard.status
        hazard.status = target.value
        hazard.listed = True
        hazard.listing_level = data.level
        await _finish(
            uow,
            settings,
            hazard,
            action=Action.LIST,
            previous_status=previous,
            payload_cls=events.HazardListedV1,
            fields={
                "listing_id": str(listing.id),
                "level": data.level,
                "document_number": data.document_number,
                "listed_on": data.listed_on.isoformat(),
                "responsible_unit": data.responsible_unit,
                "handing_unit": data.handing_unit,
                "supervising_unit": data.supervising_unit,
                "deadline": data.deadline.isoformat(),
            },
            reason=data.note,
            details={"document_number": data.document_number, "level": data.level},
        )
        return hazard


async def sign_listing_receipt(
    *, uow: UnitOfWork, settings: HazardSettings, hazard_id: uuid.UUID, if_match: str | None, data: ListingReceipt
) -> HazardListing:
    """The responsible unit signs for the hand-over note of a listing (once)."""
    async with uow:
        actor = _actor(uow)
        if not actor.has_role(Role.ENTERPRISE, *domain.OFFICIALS):
            raise Forbidden("your role may not sign a listing receipt")
        hazard = await _load(uow, hazard_id, for_update=True)
        check_version(hazard.version, if_match)
        listing = await repo.listing(uow.session, hazard.id)
        if listing is None:
            raise IllegalTransition("the hazard is not listed for supervision", status=hazard.status)
        if listing.receipt_signed_on is not None:
            raise IllegalTransition("the receipt is already signed", status=hazard.status)
        listing.receipt_signed_by = data.signed_by
        listing.receipt_signed_on = data.signed_on
        await _finish(
            uow,
            settings,
            hazard,
            action="sign_listing_receipt",
            previous_status=hazard.status,
            payload_cls=events.HazardListingReceiptSignedV1,
            fields={
                "listing_id": str(listing.id),
                "signed_by": data.signed_by,
                "signed_on": data.signed_on.isoformat(),
            },
        )
        return listing


async def accept_plan(
    *, uow: UnitOfWork, settings: HazardSettings, hazard_id: uuid.UUID, if_match: str | None, data: Plan
) -> Hazard:
    """Accept a rectification plan meeting the 五到位 (all five are required by the schema)."""
    async with uow:
        hazard, target = await _begin(uow, hazard_id, if_match, Action.ACCEPT_PLAN)
        if data.deadline < hazard.reported_on:
            raise ValidationFailed("deadline before report", errors=[field_error("deadline", "before reported_on")])
        previous = hazard.status
        hazard.status = target.value
        hazard.measures = data.measures
        hazard.funds_fen = data.funds_fen
        hazard.rectification_deadline = data.deadline
        hazard.original_deadline = data.deadline
        hazard.responsible_person = data.responsible_person
        hazard.emergency_plan = data.emergency_plan
        await _finish(
            uow,
            settings,
            hazard,
            action=Action.ACCEPT_PLAN,
            previous_status=previous,
            payload_cls=events.HazardPlanAcceptedV1,
            fields={**data.model_dump(mode="json")},
        )
        return hazard


async def request_deferral(
    *, uow: UnitOfWork, settings: HazardSettings, hazard_id: uuid.UUID, if_match: str | None, data: DeferralCreate
) -> HazardDeferral:
    """Ask to move a rectifying major hazard's deadline."""
    async with uow:
        hazard, _ = await _begin(uow, hazard_id, if_match, Action.REQUEST_DEFERRAL)
        assert hazard.rectification_deadline is not None
        domain.check_deferral(
            hazard.rectification_deadline,
            hazard.original_deadline or hazard.rectification_deadline,
            data.requested_deadline,
            local_today(settings),
        )
        deferral = HazardDeferral(
            id=uuid.uuid4(),
            hazard_id=hazard.id,
            current_deadline=hazard.rectification_deadline,
            requested_deadline=data.requested_deadline,
            reason=data.reason,
            status="pending",
            requested_by=_actor(uow).subject,
        )
        uow.session.add(deferral)
        hazard.deferral_pending = True
        await _finish(
            uow,
            settings,
            hazard,
            action=Action.REQUEST_DEFERRAL,
            previous_status=hazard.status,
            payload_cls=events.HazardDeferralRequestedV1,
            fields={
                "deferral_id": str(deferral.id),
                "current_deadline": hazard.rectification_deadline.isoformat(),
                "requested_deadline": data.requested_deadline.isoformat(),
                "reason": data.reason,
            },
            reason=data.reason,
        )
        return deferral


async def decide_deferral(
    *,
    uow: UnitOfWork,
    settings: HazardSettings,
    hazard_id: uuid.UUID,
    deferral_id: uuid.UUID,
    if_match: str | None,
    data: DeferralDecision,
    approve: bool,
) -> HazardDeferral:
    """Approve (the deadline moves) or refuse (with a reason) the pending deferral."""
    action = Action.APPROVE_DEFERRAL if approve else Action.REJECT_DEFERRAL
    async with uow:
        hazard, _ = await _begin(uow, hazard_id, if_match, action)
        deferral = await repo.pending_deferral(uow.session, hazard.id)
        if deferral is None or deferral.id != deferral_id:
            raise Conflict("this deferral request is not the pending one")
        if not approve and not data.reason:
            raise ValidationFailed("a refusal needs a reason", errors=[field_error("reason", "required")])
        actor = _actor(uow)
        deferral.status = "approved" if approve else "rejected"
        deferral.decided_by = actor.subject
        deferral.decision_reason = data.reason
        deferral.decided_at = datetime.now(UTC)
        hazard.deferral_pending = False
        fields: dict[str, Any] = {"deferral_id": str(deferral.id)}
        payload_cls: type[EventPayload]
        if approve:
            previous_deadline = hazard.rectification_deadline
            hazard.rectification_deadline = deferral.requested_deadline
            hazard.overdue = False
            payload_cls = events.HazardDeferralApprovedV1
            fields |= {
                "previous_deadline": _iso(previous_deadline),
                "new_deadline": deferral.requested_deadline.isoformat(),
            }
        else:
            payload_cls = events.HazardDeferralRejectedV1
            fields |= {"reason": data.reason}
        await _finish(
            uow,
            settings,
            hazard,
            action=action,
            previous_status=hazard.status,
            payload_cls=payload_cls,
            fields=fields,
            reason=data.reason,
            details={"deferral_id": str(deferral.id)},
        )
        return deferral


async def assess(
    *, uow: UnitOfWork, settings: HazardSettings, hazard_id: uuid.UUID, if_match: str | None, data: Assess
) -> Hazard:
    """Record the self or third-party assessment of a rectified major hazard."""
    async with uow:
        hazard, target = await _begin(uow, hazard_id, if_match, Action.ASSESS)
        if hazard.deferral_pending:
            raise IllegalTransition("a deferral request is still pending", status=hazard.status)
        previous = hazard.status
        hazard.status = target.value
        hazard.rectified_on = data.assessed_on
        if data.funds_spent_fen is not None:
            hazard.funds_spent_fen = data.funds_spent_fen
        hazard.overdue = False
        await _finish(
            uow,
            settings,
            hazard,
            action=Action.ASSESS,
            previous_status=previous,
            payload_cls=events.HazardAssessedV1,
            fields={**data.model_dump(mode="json")},
            reason=data.conclusion,
            details={"assessor": data.assessor, "kind": data.assessment_kind.value},
        )
        return hazard


async def apply_acceptance(
    *, uow: UnitOfWork, settings: HazardSettings, hazard_id: uuid.UUID, if_match: str | None, data: ApplyAcceptance
) -> Hazard:
    """The enterprise applies for acceptance; the on-site review falls due after the configured days."""
    async with uow:
        hazard, target = await _begin(uow, hazard_id, if_match, Action.APPLY_ACCEPTANCE)
        previous = hazard.status
        hazard.status = target.value
        hazard.applied_on = data.applied_on
        hazard.review_due_on = domain.review_due_on(data.applied_on, settings.review_due_days)
        await _finish(
            uow,
            settings,
            hazard,
            action=Action.APPLY_ACCEPTANCE,
            previous_status=previous,
            payload_cls=events.HazardAcceptanceAppliedV1,
            fields={"applied_on": data.applied_on.isoformat(), "review_due_on": hazard.review_due_on.isoformat()},
        )
        return hazard


async def pass_review(
    *, uow: UnitOfWork, settings: HazardSettings, hazard_id: uuid.UUID, if_match: str | None, data: Review
) -> Hazard:
    """The on-site review passed; the hazard can be closed (销号)."""
    async with uow:
        hazard, target = await _begin(uow, hazard_id, if_match, Action.PASS_REVIEW)
        previous = hazard.status
        hazard.status = target.value
        on_time = not domain.is_overdue(hazard.review_due_on, data.reviewed_on)
        hazard.overdue = False
        await _finish(
            uow,
            settings,
            hazard,
            action=Action.PASS_REVIEW,
            previous_status=previous,
            payload_cls=events.HazardReviewedV1,
            fields={
                "reviewed_on": data.reviewed_on.isoformat(),
                "reviewers": data.reviewers,
                "opinion": data.opinion,
                "review_due_on": _iso(hazard.review_due_on),
                "on_time": on_time,
            },
            reason=data.opinion,
            details={"reviewers": data.reviewers},
        )
        return hazard


async def escalate(
    *, uow: UnitOfWork, settings: HazardSettings, hazard_id: uuid.UUID, if_match: str | None, data: Escalate
) -> Hazard:
    """Escalate an overdue hazard (warning, interview, penalty, stop order)."""
    async with uow:
        actor = _actor(uow)
        if not actor.has_role(*domain.DECIDERS):
            raise Forbidden("your role may not escalate a hazard")
        hazard = await _load(uow, hazard_id, for_update=True)
        check_version(hazard.version, if_match)
        if not hazard.overdue:
            raise IllegalTransition("only an overdue hazard can be escalated", status=hazard.status)
        hazard.escalation_step = data.step.value
        await _finish(
            uow,
            settings,
            hazard,
            action="escalate",
            previous_status=hazard.status,
            payload_cls=events.HazardEscalatedV1,
            fields={"step": data.step.value, "note": data.note},
            reason=data.note,
            details={"step": data.step.value},
        )
        return hazard


async def publish_notice(
    *, uow: UnitOfWork, settings: HazardSettings, hazard_id: uuid.UUID, data: NoticeCreate
) -> HazardNotice:
    """Record a public notice (通报) about a hazard."""
    async with uow:
        actor = _actor(uow)
        if not actor.has_role(*domain.DECIDERS):
            raise Forbidden("your role may not publish notices")
        hazard = await _load(uow, hazard_id, for_update=True)
        notice = HazardNotice(id=uuid.uuid4(), hazard_id=hazard.id, published_by=actor.subject, **data.model_dump())
        uow.session.add(notice)
        await _finish(
            uow,
            settings,
            hazard,
            action="publish_notice",
            previous_status=hazard.status,
            payload_cls=events.HazardNoticePublishedV1,
            fields={
                "notice_id": str(notice.id),
                "kind": data.kind.value,
                "title": data.title,
                "document_number": data.document_number,
                "published_on": data.published_on.isoformat(),
            },
            details={"title": data.title},
        )
        return notice


async def add_photo(
    *,
    uow: UnitOfWork,
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
        actor = _actor(uow)
        hazard = await _load(uow, hazard_id, for_update=False)
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


# --- deadlines -----------------------------------------------------------------------------------


async def mark_overdue(*, uow: UnitOfWork, settings: HazardSettings, today: date, batch: int = 500) -> int:
    """Mark hazards whose rectification or review deadline passed; one event per hazard and deadline.

    Runs inside the scheduler's transaction; the overdue marks' unique key keeps it exactly-once
    even if two schedulers ever overlapped.
    """
    marked = 0
    for hazard_id, kind, deadline in await repo.claim_missed_deadlines(uow.session, today, batch):
        hazard = await repo.get(uow.session, hazard_id, for_update=True)
        if hazard is None:
            continue
        hazard.overdue = True
        hazard.was_overdue = True
        await _finish(
            uow,
            settings,
            hazard,
            action="mark_overdue",
            previous_status=hazard.status,
            payload_cls=events.HazardOverdueV1,
            fields={"deadline_kind": kind, "deadline": deadline.isoformat(), "detected_on": today.isoformat()},
            details={"deadline_kind": kind, "deadline": deadline.isoformat()},
        )
        marked += 1
    return marked


# --- reads ---------------------------------------------------------------------------------------


async def get_hazard(*, uow: UnitOfWork, hazard_id: uuid.UUID) -> Hazard:
    """A hazard the caller may see."""
    async with uow:
        return await _load(uow, hazard_id, for_update=False)


async def list_hazards(
    *, uow: UnitOfWork, filters: HazardFilters, sort: HazardSort, page: PageParams
) -> tuple[Sequence[Any], str | None, int | None]:
    """A page of hazards the caller may see, the next cursor and (on request) the total."""
    async with uow:
        after = decode_cursor(page.cursor) if page.cursor else None
        if after is not None and len(after) != 2:
            raise ValidationFailed("invalid cursor", errors=[field_error("cursor", "not a cursor of this list")])
        try:
            rows, last = await repo.page(uow.session, _actor(uow), filters, sort, page.limit, after)
        except ValueError:
            raise ValidationFailed(
                "invalid cursor", errors=[field_error("cursor", "not a cursor of this sort order")]
            ) from None
        total = await repo.count(uow.session, _actor(uow), filters) if page.include_total else None
        return rows, encode_cursor(last) if last else None, total


async def hazard_records(*, uow: UnitOfWork, hazard_id: uuid.UUID, kind: str) -> Sequence[Any]:
    """The timeline, photos, deferrals, notices or upstream mappings of a visible hazard."""
    async with uow:
        hazard = await _load(uow, hazard_id, for_update=False)
        if kind == "timeline":
            return await repo.timeline(uow.session, hazard.id)
        if kind == "photos":
            return await repo.photos(uow.session, hazard.id)
        if kind == "deferrals":
            return await repo.deferrals(uow.session, hazard.id)
        if kind == "notices":
            return await repo.notices(uow.session, hazard.id)
        if kind == "upstream":
            return await upstream.mappings(uow.session, hazard.id)
        raise ValueError(kind)


async def get_listing(*, uow: UnitOfWork, hazard_id: uuid.UUID) -> HazardListing:
    """The listing of a visible hazard (404 when it is not listed)."""
    async with uow:
        hazard = await _load(uow, hazard_id, for_update=False)
        listing = await repo.listing(uow.session, hazard.id)
        if listing is None:
            raise HazardNotFound()
        return listing


async def photo_content(
    *, uow: UnitOfWork, storage: PhotoStorage, hazard_id: uuid.UUID, photo_id: uuid.UUID
) -> tuple[HazardPhoto, bytes]:
    """A photo's metadata and bytes."""
    async with uow:
        hazard = await _load(uow, hazard_id, for_update=False)
        photo = await repo.photo(uow.session, photo_id)
        if photo is None or photo.hazard_id != hazard.id:
            raise HazardNotFound()
        return photo, await storage.get(photo.storage_key)


async def export_rows(
    *, uow: UnitOfWork, filters: HazardFilters, limit: int
) -> tuple[Sequence[Hazard], dict[uuid.UUID, HazardListing]]:
    """Hazards and their listings for the ledger export."""
    async with uow:
        rows = await repo.all_matching(uow.session, _actor(uow), filters, limit)
        return rows, await repo.listings(uow.session, [h.id for h in rows])
