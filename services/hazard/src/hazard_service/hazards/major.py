"""The major hazard's loop: the steps of judgment, ledger, listing for supervision (挂牌督办), plan,
assessment, the application for acceptance and the on-site review (see `lifecycle`), and the listing
receipt and deferrals."""

from __future__ import annotations

import uuid
from typing import Any

from hazard_service import rules
from hazard_service.config import HazardSettings
from hazard_service.hazards import deadlines, domain
from hazard_service.hazards import repository as repo
from hazard_service.hazards.changes import Change, begin, finish, iso, load_for
from hazard_service.hazards.domain import Action
from hazard_service.hazards.exceptions import UnknownReference
from hazard_service.hazards.models import Hazard, HazardDeferral, HazardListing
from hazard_service.hazards.schemas import (
    ApplyAcceptance,
    Assess,
    DeferralCreate,
    DeferralDecision,
    Judge,
    Ledger,
    ListingCreate,
    ListingReceipt,
    Plan,
    Review,
)
from hazard_service.standards import repository as standards
from shared import clock
from shared.auth.principal import Principal
from shared.contracts import hazard as events
from shared.contracts.envelope import EventPayload
from shared.db import UnitOfWork
from shared.errors import Conflict, IllegalTransition, ValidationFailed, field_error


async def judge(uow: UnitOfWork, settings: HazardSettings, hazard: Hazard, data: Judge) -> Change:
    """Judge a major hazard against a clause of an imported standard."""
    clause = await standards.find_clause(uow.session, data.standard_code, data.clause_code, data.standard_version)
    if clause is None:
        raise UnknownReference(
            "unknown clause",
            errors=[field_error("clause_code", f"no clause {data.clause_code} in standard {data.standard_code}")],
        )
    hazard.standard_code = clause.standard_code
    hazard.standard_version = clause.standard_version
    hazard.clause_code = clause.code
    fields = {
        "standard_code": clause.standard_code,
        "standard_version": clause.standard_version,
        "clause_code": clause.code,
        "clause_article": clause.article,
        "note": data.note,
    }
    details = {"clause_title": clause.title, "article": clause.article}
    return Change(Action.JUDGE, events.HazardJudgedV1, fields, data.note, details)


async def ledger(uow: UnitOfWork, settings: HazardSettings, hazard: Hazard, data: Ledger) -> Change:
    """Enter a judged major hazard in the ledger and queue it for the upward report."""
    hazard.ledgered_on = data.ledgered_on
    hazard.ledger_number = data.ledger_number or await repo.next_ledger_number(uow.session, data.ledgered_on.year)
    fields = {"ledger_number": hazard.ledger_number, "ledgered_on": data.ledgered_on.isoformat()}
    return Change(Action.LEDGER, events.HazardLedgeredV1, fields)


async def list_for_supervision(
    uow: UnitOfWork, settings: HazardSettings, hazard: Hazard, data: ListingCreate
) -> Change:
    """List a ledgered major hazard for supervision (挂牌督办) with its hand-over note."""
    levels = {level.code for level in settings.listing_levels}
    if data.level not in levels:
        raise UnknownReference(
            "unknown listing level", errors=[field_error("level", f"one of: {', '.join(sorted(levels))}")]
        )
    if data.deadline < data.listed_on:
        raise ValidationFailed("deadline before listing", errors=[field_error("deadline", "before listed_on")])
    listing = HazardListing(id=uuid.uuid4(), hazard_id=hazard.id, **data.model_dump())
    uow.session.add(listing)
    hazard.listed = True
    hazard.listing_level = data.level
    fields = {
        "listing_id": str(listing.id),
        "level": data.level,
        "document_number": data.document_number,
        "listed_on": data.listed_on.isoformat(),
        "responsible_unit": data.responsible_unit,
        "handing_unit": data.handing_unit,
        "supervising_unit": data.supervising_unit,
        "deadline": data.deadline.isoformat(),
    }
    details = {"document_number": data.document_number, "level": data.level}
    return Change(Action.LIST, events.HazardListedV1, fields, data.note, details)


async def accept_plan(uow: UnitOfWork, settings: HazardSettings, hazard: Hazard, data: Plan) -> Change:
    """Accept a rectification plan meeting the 五到位 (all five are required by the schema)."""
    if data.deadline < hazard.reported_on:
        raise ValidationFailed("deadline before report", errors=[field_error("deadline", "before reported_on")])
    hazard.measures = data.measures
    hazard.funds_fen = data.funds_fen
    hazard.rectification_deadline = data.deadline
    hazard.original_deadline = data.deadline
    hazard.responsible_person = data.responsible_person
    hazard.emergency_plan = data.emergency_plan
    return Change(Action.ACCEPT_PLAN, events.HazardPlanAcceptedV1, data.model_dump(mode="json"))


async def assess(uow: UnitOfWork, settings: HazardSettings, hazard: Hazard, data: Assess) -> Change:
    """Record the self or third-party assessment of a rectified major hazard."""
    if hazard.deferral_pending:
        raise IllegalTransition("a deferral request is still pending", status=hazard.status)
    hazard.rectified_on = data.assessed_on
    if data.funds_spent_fen is not None:
        hazard.funds_spent_fen = data.funds_spent_fen
    hazard.overdue = False
    await deadlines.settle(uow, hazard, "rectification", hazard.rectification_deadline, data.assessed_on)
    details = {"assessor": data.assessor, "kind": data.assessment_kind.value}
    return Change(Action.ASSESS, events.HazardAssessedV1, data.model_dump(mode="json"), data.conclusion, details)


async def apply_acceptance(uow: UnitOfWork, settings: HazardSettings, hazard: Hazard, data: ApplyAcceptance) -> Change:
    """The enterprise applies for acceptance; the on-site review falls due after the rule's days."""
    hazard.applied_on = data.applied_on
    due = domain.review_due_on(data.applied_on, rules.review_due_days(settings.review_due_days))
    hazard.review_due_on = due
    fields = {"applied_on": data.applied_on.isoformat(), "review_due_on": due.isoformat()}
    return Change(Action.APPLY_ACCEPTANCE, events.HazardAcceptanceAppliedV1, fields)


async def pass_review(uow: UnitOfWork, settings: HazardSettings, hazard: Hazard, data: Review) -> Change:
    """The on-site review passed; the hazard can be closed (销号)."""
    on_time = not domain.is_overdue(hazard.review_due_on, data.reviewed_on)
    hazard.overdue = False
    await deadlines.settle(uow, hazard, "review", hazard.review_due_on, data.reviewed_on)
    fields = {
        "reviewed_on": data.reviewed_on.isoformat(),
        "reviewers": data.reviewers,
        "opinion": data.opinion,
        "review_due_on": iso(hazard.review_due_on),
        "on_time": on_time,
    }
    return Change(Action.PASS_REVIEW, events.HazardReviewedV1, fields, data.opinion, {"reviewers": data.reviewers})


async def sign_listing_receipt(
    *,
    uow: UnitOfWork,
    actor: Principal,
    settings: HazardSettings,
    hazard_id: uuid.UUID,
    if_match: str | None,
    data: ListingReceipt,
) -> HazardListing:
    """The responsible unit signs for the hand-over note of a listing (once)."""
    async with uow:
        hazard = await load_for(
            uow, actor, hazard_id, if_match, roles=domain.LISTING_SIGNERS, doing="sign a listing receipt"
        )
        listing = await repo.listing(uow.session, hazard.id)
        if listing is None:
            raise IllegalTransition("the hazard is not listed for supervision", status=hazard.status)
        if listing.receipt_signed_on is not None:
            raise IllegalTransition("the receipt is already signed", status=hazard.status)
        listing.receipt_signed_by = data.signed_by
        listing.receipt_signed_on = data.signed_on
        fields = {"listing_id": str(listing.id), "signed_by": data.signed_by, "signed_on": data.signed_on.isoformat()}
        await finish(
            uow, actor, settings, hazard, Change("sign_listing_receipt", events.HazardListingReceiptSignedV1, fields)
        )
        return listing


async def request_deferral(
    *,
    uow: UnitOfWork,
    actor: Principal,
    settings: HazardSettings,
    hazard_id: uuid.UUID,
    if_match: str | None,
    data: DeferralCreate,
) -> HazardDeferral:
    """Ask to move a rectifying major hazard's deadline."""
    async with uow:
        hazard, _ = await begin(uow, actor, hazard_id, if_match, Action.REQUEST_DEFERRAL)
        deadline = hazard.rectification_deadline
        if deadline is None:
            raise IllegalTransition("the hazard has no deadline to move", status=hazard.status)
        original = hazard.original_deadline or deadline
        domain.check_deferral(deadline, original, data.requested_deadline, clock.today())
        deferral = HazardDeferral(
            id=uuid.uuid4(),
            hazard_id=hazard.id,
            current_deadline=deadline,
            requested_deadline=data.requested_deadline,
            reason=data.reason,
            status="pending",
            requested_by=actor.subject,
        )
        uow.session.add(deferral)
        hazard.deferral_pending = True
        fields = {
            "deferral_id": str(deferral.id),
            "current_deadline": deadline.isoformat(),
            "requested_deadline": data.requested_deadline.isoformat(),
            "reason": data.reason,
        }
        change = Change(Action.REQUEST_DEFERRAL, events.HazardDeferralRequestedV1, fields, data.reason)
        await finish(uow, actor, settings, hazard, change)
        return deferral


async def decide_deferral(
    *,
    uow: UnitOfWork,
    actor: Principal,
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
        hazard, _ = await begin(uow, actor, hazard_id, if_match, action)
        deferral = await repo.pending_deferral(uow.session, hazard.id)
        if deferral is None or deferral.id != deferral_id:
            raise Conflict("this deferral request is not the pending one")
        if not approve and not data.reason:
            raise ValidationFailed("a refusal needs a reason", errors=[field_error("reason", "required")])
        deferral.status = "approved" if approve else "rejected"
        deferral.decided_by = actor.subject
        deferral.decision_reason = data.reason
        deferral.decided_at = clock.now()
        hazard.deferral_pending = False
        fields: dict[str, Any] = {"deferral_id": str(deferral.id)}
        event: type[EventPayload]
        if approve:
            previous_deadline = hazard.rectification_deadline
            hazard.rectification_deadline = deferral.requested_deadline
            hazard.overdue = False
            event = events.HazardDeferralApprovedV1
            fields |= {
                "previous_deadline": iso(previous_deadline),
                "new_deadline": deferral.requested_deadline.isoformat(),
            }
        else:
            event = events.HazardDeferralRejectedV1
            fields |= {"reason": data.reason}
        details = {"deferral_id": str(deferral.id)}
        await finish(uow, actor, settings, hazard, Change(action, event, fields, data.reason, details))
        return deferral
