"""HTTP routes of hazards: creation, the lifecycle actions, records, lists and the ledger export."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Query, Request, Response, UploadFile, status
from fastapi.responses import Response as RawResponse

from hazard_service import rules
from hazard_service.config import HazardSettings
from hazard_service.hazards import creation, domain, exports, general, lifecycle, major, reads
from hazard_service.hazards.domain import Action
from hazard_service.hazards.models import Hazard
from hazard_service.hazards.photo_links import PHOTO_TYPES, CurrentEvidence, photo_read
from hazard_service.hazards.schemas import (
    HAZARD_ROWS,
    ApplyAcceptance,
    Assess,
    Close,
    DeferralCreate,
    DeferralDecision,
    DeferralRead,
    Escalate,
    HazardConfigRead,
    HazardCreate,
    HazardFilters,
    HazardGrade,
    HazardRead,
    HazardSort,
    HazardSource,
    HazardStatus,
    HazardSummary,
    Judge,
    Ledger,
    ListingCreate,
    ListingRead,
    ListingReceipt,
    MarkRectified,
    NoticeCreate,
    NoticeRead,
    OneListSystemRead,
    PhotoPhase,
    PhotoRead,
    Plan,
    RejectRectification,
    Review,
    StartRectification,
    TimelineEntryRead,
    Verify,
    Withdraw,
)
from hazard_service.upstream.schemas import MappingRead
from shared import clock
from shared.auth.dependencies import require_roles
from shared.auth.principal import Principal, Role
from shared.db import UnitOfWork
from shared.http.concurrency import with_etag
from shared.http.dependencies import CurrentPrincipal, CurrentScope, IfMatch, ReadSession, UoW
from shared.http.openapi_contract import download
from shared.http.pagination import Page, PageParams, UpdatedSince, page_params

router = APIRouter(prefix="/api/v1/hazards", tags=["hazards"])
config_router = APIRouter(prefix="/api/v1/hazard-config", tags=["hazards"])

REPORTERS = (Role.CITY_ADMIN, Role.DEPARTMENT_OFFICER, Role.TOWNSHIP_OFFICER, Role.SUPERVISOR, Role.ENTERPRISE)
EXPORT_LIMIT = 50_000
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Every lifecycle action answers the hazard in its new state, or a 409 saying why not now.
ACTION: dict[str, Any] = {
    "response_model": HazardRead,
    "responses": {409: {"description": "Illegal transition or stale If-Match (problem+json)"}},
}


# Async on purpose: FastAPI runs a plain `def` dependency in its thread pool, a thread hop on every request.
async def _settings(request: Request) -> HazardSettings:
    settings: HazardSettings = request.app.state.settings
    return settings


Settings = Annotated[HazardSettings, Depends(_settings)]
Reporter = Annotated[Principal, Depends(require_roles(*REPORTERS))]
# Escalations and notices are decisions of the city administration and the departments.
Decider = Depends(require_roles(*domain.DECIDERS))


@dataclass(frozen=True)
class Acting:
    """What a write to one hazard runs with: the unit of work, the actor, the settings and the If-Match."""

    uow: UnitOfWork
    actor: Principal
    settings: HazardSettings
    if_match: str | None

    def args(self) -> dict[str, Any]:
        """The keyword arguments every hazard use case takes."""
        return {"uow": self.uow, "actor": self.actor, "settings": self.settings, "if_match": self.if_match}


async def acting(uow: UoW, actor: CurrentPrincipal, settings: Settings, if_match: IfMatch = None) -> Acting:
    """The context of a write to one hazard, from the request."""
    return Acting(uow, actor, settings, if_match)


Act = Annotated[Acting, Depends(acting)]


def _read(hazard: Hazard, principal: Principal, response: Response) -> HazardRead:
    read = HazardRead.model_validate(hazard)
    machine = domain.machine_for(read.grade)
    read.allowed_actions = [a.value for a in machine.allowed_actions(domain.Status(read.status), principal.roles)]
    return with_etag(read, response)


async def _act(action: Action, hazard_id: uuid.UUID, body: Any, act: Acting, response: Response) -> HazardRead:
    """Take a lifecycle action on the hazard and answer it in its new state with its ETag."""
    hazard = await lifecycle.take_action(**act.args(), hazard_id=hazard_id, action=action, data=body)
    return _read(hazard, act.actor, response)


async def hazard_filters(
    status_: list[HazardStatus] = Query([], alias="status", description="One or more statuses."),
    grade: HazardGrade | None = Query(None),
    township_code: str | None = Query(None, max_length=12),
    enterprise_id: uuid.UUID | None = Query(None),
    source: HazardSource | None = Query(None),
    campaign_code: str | None = Query(None, max_length=64),
    overdue: bool | None = Query(None),
    listed: bool | None = Query(None),
    listing_level: str | None = Query(None, max_length=64),
    reported_from: date | None = Query(None),
    reported_to: date | None = Query(None),
    deadline_from: date | None = Query(None),
    deadline_to: date | None = Query(None),
    closed_from: date | None = Query(None),
    closed_to: date | None = Query(None),
) -> HazardFilters:
    """Filters shared by the list and the ledger export."""
    return HazardFilters(
        status=status_,
        grade=grade,
        township_code=township_code,
        enterprise_id=enterprise_id,
        source=source,
        campaign_code=campaign_code,
        overdue=overdue,
        listed=listed,
        listing_level=listing_level,
        reported_from=reported_from,
        reported_to=reported_to,
        deadline_from=deadline_from,
        deadline_to=deadline_to,
        closed_from=closed_from,
        closed_to=closed_to,
    )


Filters = Annotated[HazardFilters, Depends(hazard_filters)]


@router.post("", status_code=status.HTTP_201_CREATED, response_model=HazardRead, summary="Report a hazard")
async def report_hazard(
    body: HazardCreate, response: Response, uow: UoW, actor: Reporter, settings: Settings
) -> HazardRead:
    """Report a hazard found in an enterprise; publishes hazard.reported. Accepts Idempotency-Key."""
    hazard = await creation.report_hazard(uow=uow, actor=actor, settings=settings, data=body)
    response.headers["Location"] = f"/api/v1/hazards/{hazard.id}"
    return _read(hazard, actor, response)


@router.get("", response_model=Page[HazardSummary], summary="List hazards")
async def list_hazards(
    filters: Filters,
    session: ReadSession,
    scope: CurrentScope,
    sort: HazardSort = Query(HazardSort.REPORTED_ON_DESC),
    page: PageParams = Depends(page_params),
    updated_since: UpdatedSince = None,
) -> RawResponse:
    """Hazards the caller may see, filtered and sorted, with keyset pagination (or the change feed)."""
    rows, cursor, total = await reads.list_hazards(
        session=session, scope=scope, filters=filters, sort=sort, page=page, updated_since=updated_since
    )
    return HAZARD_ROWS.page(rows, next_cursor=cursor, total=total)


@router.get(
    "/ledger.xlsx", summary="Export the ledger (台账) as XLSX", response_class=RawResponse, responses=download(XLSX)
)
async def ledger_xlsx(filters: Filters, session: ReadSession, scope: CurrentScope) -> RawResponse:
    """The hazards matching the filters in the columns officials use (at most 50,000 rows)."""
    rows, listings = await reads.export_rows(session=session, scope=scope, filters=filters, limit=EXPORT_LIMIT)
    today = clock.today()
    return RawResponse(
        exports.ledger_xlsx(rows, listings, title=exports.heading(filters, scope, today), today=today),
        media_type=XLSX,
        headers={"Content-Disposition": 'attachment; filename="hazard-ledger.xlsx"'},
    )


@router.get(
    "/ledger.csv", summary="Export the ledger (台账) as CSV", response_class=RawResponse, responses=download("text/csv")
)
async def ledger_csv(filters: Filters, session: ReadSession, scope: CurrentScope) -> RawResponse:
    """The same columns as the XLSX export, UTF-8 with BOM so spreadsheet programs read the Chinese."""
    rows, listings = await reads.export_rows(session=session, scope=scope, filters=filters, limit=EXPORT_LIMIT)
    return RawResponse(
        exports.ledger_csv(rows, listings),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="hazard-ledger.csv"'},
    )


@router.get("/{hazard_id}", response_model=HazardRead, summary="Get a hazard")
async def get_hazard(hazard_id: uuid.UUID, response: Response, session: ReadSession, scope: CurrentScope) -> HazardRead:
    """A hazard with its version (also as ETag) and the actions the caller may take now."""
    hazard = await reads.get_hazard(session=session, scope=scope, hazard_id=hazard_id)
    return _read(hazard, scope.principal, response)


@router.get("/{hazard_id}/timeline", response_model=Page[TimelineEntryRead], summary="A hazard's full history")
async def timeline(hazard_id: uuid.UUID, session: ReadSession, scope: CurrentScope) -> Page[TimelineEntryRead]:
    """Who did what, when and why, oldest first (the whole history in one page)."""
    rows = await reads.timeline(session=session, scope=scope, hazard_id=hazard_id)
    return Page[TimelineEntryRead].whole(TimelineEntryRead.model_validate(r) for r in rows)


@router.get("/{hazard_id}/upstream", response_model=Page[MappingRead], summary="Sync status at upstream systems")
async def upstream_status(hazard_id: uuid.UUID, session: ReadSession, scope: CurrentScope) -> Page[MappingRead]:
    """The hazard's id and sync status at each upstream target (all in one page)."""
    rows = await reads.upstream_mappings(session=session, scope=scope, hazard_id=hazard_id)
    return Page[MappingRead].whole(MappingRead.model_validate(r) for r in rows)


@router.post("/{hazard_id}/rectification", summary="Start rectification", **ACTION)
async def rectification(hazard_id: uuid.UUID, body: StartRectification, act: Act, response: Response) -> HazardRead:
    """Start rectification; returns the hazard in its new state (409 with the reason if not allowed now)."""
    return await _act(Action.START_RECTIFICATION, hazard_id, body, act, response)


@router.post("/{hazard_id}/rectified", summary="Report a general hazard rectified", **ACTION)
async def rectified(hazard_id: uuid.UUID, body: MarkRectified, act: Act, response: Response) -> HazardRead:
    """Report a general hazard rectified; returns the hazard in its new state (409 if not allowed now)."""
    return await _act(Action.MARK_RECTIFIED, hazard_id, body, act, response)


@router.post("/{hazard_id}/verification", summary="Verify a general hazard's rectification", **ACTION)
async def verification(hazard_id: uuid.UUID, body: Verify, act: Act, response: Response) -> HazardRead:
    """Verify a general hazard's rectification; returns the hazard in its new state (409 if not allowed now)."""
    return await _act(Action.VERIFY, hazard_id, body, act, response)


@router.post(
    "/{hazard_id}/verification-rejection",
    summary="Reject a general hazard's rectification (back to rectifying)",
    **ACTION,
)
async def verification_rejection(
    hazard_id: uuid.UUID, body: RejectRectification, act: Act, response: Response
) -> HazardRead:
    """Reject a general hazard's rectification; returns the hazard back in rectifying (409 if not allowed now)."""
    return await _act(Action.REJECT_VERIFICATION, hazard_id, body, act, response)


@router.post("/{hazard_id}/judgment", summary="Judge a major hazard against a standard clause", **ACTION)
async def judgment(hazard_id: uuid.UUID, body: Judge, act: Act, response: Response) -> HazardRead:
    """Judge a major hazard against a standard clause; returns the hazard in its new state (409 if not now)."""
    return await _act(Action.JUDGE, hazard_id, body, act, response)


@router.post("/{hazard_id}/ledger", summary="Enter a major hazard in the ledger (台账) and report it up", **ACTION)
async def ledger(hazard_id: uuid.UUID, body: Ledger, act: Act, response: Response) -> HazardRead:
    """Enter a major hazard in the ledger; returns the hazard in its new state (409 if not allowed now)."""
    return await _act(Action.LEDGER, hazard_id, body, act, response)


@router.post("/{hazard_id}/listing", summary="List a major hazard for supervision (挂牌督办)", **ACTION)
async def listing(hazard_id: uuid.UUID, body: ListingCreate, act: Act, response: Response) -> HazardRead:
    """List a major hazard for supervision; returns the hazard in its new state (409 if not allowed now)."""
    return await _act(Action.LIST, hazard_id, body, act, response)


@router.post("/{hazard_id}/plan", summary="Accept the rectification plan (五到位)", **ACTION)
async def plan(hazard_id: uuid.UUID, body: Plan, act: Act, response: Response) -> HazardRead:
    """Accept the rectification plan; returns the hazard in its new state (409 if not allowed now)."""
    return await _act(Action.ACCEPT_PLAN, hazard_id, body, act, response)


@router.post("/{hazard_id}/assessment", summary="Record the rectification assessment", **ACTION)
async def assessment(hazard_id: uuid.UUID, body: Assess, act: Act, response: Response) -> HazardRead:
    """Record the rectification assessment; returns the hazard in its new state (409 if not allowed now)."""
    return await _act(Action.ASSESS, hazard_id, body, act, response)


@router.post("/{hazard_id}/acceptance-application", summary="Apply for acceptance", **ACTION)
async def acceptance_application(
    hazard_id: uuid.UUID, body: ApplyAcceptance, act: Act, response: Response
) -> HazardRead:
    """Apply for acceptance; returns the hazard with its review due date (409 if not allowed now)."""
    return await _act(Action.APPLY_ACCEPTANCE, hazard_id, body, act, response)


@router.post("/{hazard_id}/review", summary="Record a passed on-site review (复核)", **ACTION)
async def review(hazard_id: uuid.UUID, body: Review, act: Act, response: Response) -> HazardRead:
    """Record a passed on-site review; returns the hazard in its new state (409 if not allowed now)."""
    return await _act(Action.PASS_REVIEW, hazard_id, body, act, response)


@router.post("/{hazard_id}/review-rejection", summary="Reject at the on-site review (back to rectifying)", **ACTION)
async def review_rejection(hazard_id: uuid.UUID, body: RejectRectification, act: Act, response: Response) -> HazardRead:
    """Reject at the on-site review; returns the hazard back in rectifying (409 if not allowed now)."""
    return await _act(Action.REJECT_REVIEW, hazard_id, body, act, response)


@router.post("/{hazard_id}/closure", summary="Close the hazard (销号)", **ACTION)
async def closure(hazard_id: uuid.UUID, body: Close, act: Act, response: Response) -> HazardRead:
    """Close the hazard; returns it in its new state (409 if not allowed now)."""
    return await _act(Action.CLOSE, hazard_id, body, act, response)


@router.post("/{hazard_id}/withdrawal", summary="Withdraw a mistaken report (reason required)", **ACTION)
async def withdrawal(hazard_id: uuid.UUID, body: Withdraw, act: Act, response: Response) -> HazardRead:
    """Withdraw a mistaken report; returns the hazard in its new state (409 if not allowed now)."""
    return await _act(Action.WITHDRAW, hazard_id, body, act, response)


@router.post("/{hazard_id}/escalation", summary="Escalate an overdue hazard", dependencies=[Decider], **ACTION)
async def escalation(hazard_id: uuid.UUID, body: Escalate, act: Act, response: Response) -> HazardRead:
    """Escalate an overdue hazard; returns it with its escalation step (409 if it is not overdue)."""
    return _read(await general.escalate(**act.args(), hazard_id=hazard_id, data=body), act.actor, response)


@router.get("/{hazard_id}/listing", response_model=ListingRead, summary="The hazard's listing for supervision")
async def get_listing(hazard_id: uuid.UUID, session: ReadSession, scope: CurrentScope) -> ListingRead:
    """Level, document number, hand-over note and receipt."""
    return ListingRead.model_validate(await reads.listing(session=session, scope=scope, hazard_id=hazard_id))


@router.post(
    "/{hazard_id}/listing/receipt",
    response_model=ListingRead,
    summary="Sign the listing's receipt",
    dependencies=[Depends(require_roles(*domain.LISTING_SIGNERS))],
)
async def sign_receipt(hazard_id: uuid.UUID, body: ListingReceipt, act: Act) -> ListingRead:
    """The responsible unit acknowledges the hand-over note."""
    return ListingRead.model_validate(await major.sign_listing_receipt(**act.args(), hazard_id=hazard_id, data=body))


@router.post(
    "/{hazard_id}/deferrals", status_code=status.HTTP_201_CREATED, response_model=DeferralRead, summary="Ask a deferral"
)
async def request_deferral(hazard_id: uuid.UUID, body: DeferralCreate, act: Act) -> DeferralRead:
    """Ask to move a rectifying major hazard's deadline."""
    return DeferralRead.model_validate(await major.request_deferral(**act.args(), hazard_id=hazard_id, data=body))


@router.get("/{hazard_id}/deferrals", response_model=Page[DeferralRead], summary="A hazard's deferral requests")
async def list_deferrals(hazard_id: uuid.UUID, session: ReadSession, scope: CurrentScope) -> Page[DeferralRead]:
    """Every deferral request and its decision (all in one page)."""
    rows = await reads.deferrals(session=session, scope=scope, hazard_id=hazard_id)
    return Page[DeferralRead].whole(DeferralRead.model_validate(r) for r in rows)


async def _decide(
    hazard_id: uuid.UUID, deferral_id: uuid.UUID, body: DeferralDecision, act: Acting, *, approve: bool
) -> DeferralRead:
    """Decide the pending deferral and answer it."""
    deferral = await major.decide_deferral(
        **act.args(), hazard_id=hazard_id, deferral_id=deferral_id, data=body, approve=approve
    )
    return DeferralRead.model_validate(deferral)


@router.post("/{hazard_id}/deferrals/{deferral_id}/approval", response_model=DeferralRead, summary="Approve")
async def approve_deferral(
    hazard_id: uuid.UUID, deferral_id: uuid.UUID, body: DeferralDecision, act: Act
) -> DeferralRead:
    """Approve the pending deferral: the rectification deadline moves."""
    return await _decide(hazard_id, deferral_id, body, act, approve=True)


@router.post("/{hazard_id}/deferrals/{deferral_id}/rejection", response_model=DeferralRead, summary="Refuse")
async def reject_deferral(
    hazard_id: uuid.UUID, deferral_id: uuid.UUID, body: DeferralDecision, act: Act
) -> DeferralRead:
    """Refuse the pending deferral (a reason is required)."""
    return await _decide(hazard_id, deferral_id, body, act, approve=False)


@router.post(
    "/{hazard_id}/notices",
    status_code=status.HTTP_201_CREATED,
    response_model=NoticeRead,
    summary="Publish a notice",
    dependencies=[Decider],
)
async def publish_notice(
    hazard_id: uuid.UUID, body: NoticeCreate, uow: UoW, actor: CurrentPrincipal, settings: Settings
) -> NoticeRead:
    """Record a public notice (通报) about the hazard."""
    notice = await general.publish_notice(uow=uow, actor=actor, settings=settings, hazard_id=hazard_id, data=body)
    return NoticeRead.model_validate(notice)


@router.get("/{hazard_id}/notices", response_model=Page[NoticeRead], summary="A hazard's public notices")
async def list_notices(hazard_id: uuid.UUID, session: ReadSession, scope: CurrentScope) -> Page[NoticeRead]:
    """Notices published about the hazard (all in one page)."""
    rows = await reads.notices(session=session, scope=scope, hazard_id=hazard_id)
    return Page[NoticeRead].whole(NoticeRead.model_validate(r) for r in rows)


@router.post(
    "/{hazard_id}/photos",
    status_code=status.HTTP_201_CREATED,
    response_model=PhotoRead,
    summary="Upload a before/after photo",
    responses={413: {"description": "Photo too large"}, 415: {"description": "Not an accepted image type"}},
)
async def upload_photo(
    hazard_id: uuid.UUID,
    uow: UoW,
    actor: Reporter,
    settings: Settings,
    evidence: CurrentEvidence,
    phase: PhotoPhase = Form(...),
    file: UploadFile = File(...),
) -> PhotoRead:
    """JPEG, PNG or WebP up to the configured size; stored content-addressed with its SHA-256, with a thumbnail."""
    photo = await general.add_photo(
        uow=uow,
        actor=actor,
        settings=settings,
        storage=evidence.store,
        hazard_id=hazard_id,
        phase=phase,
        content_type=(file.content_type or "").split(";")[0].strip().lower(),
        data=await file.read(settings.photo_max_bytes + 1),
        original_name=file.filename,
    )
    return photo_read(evidence, photo)


@router.get("/{hazard_id}/photos", response_model=Page[PhotoRead], summary="A hazard's photos")
async def list_photos(
    hazard_id: uuid.UUID, session: ReadSession, scope: CurrentScope, evidence: CurrentEvidence
) -> Page[PhotoRead]:
    """Photos before and after rectification, each with short-lived signed URLs of its bytes and thumbnail (all in
    one page)."""
    rows = await reads.photos(session=session, scope=scope, hazard_id=hazard_id)
    return Page[PhotoRead].whole(photo_read(evidence, r) for r in rows)


@router.get(
    "/{hazard_id}/photos/{photo_id}/content",
    summary="A photo's bytes",
    response_class=RawResponse,
    responses=download(*PHOTO_TYPES),
)
async def photo_content(
    hazard_id: uuid.UUID, photo_id: uuid.UUID, session: ReadSession, scope: CurrentScope, evidence: CurrentEvidence
) -> RawResponse:
    """The stored image, with its SHA-256 as ETag."""
    photo, data = await reads.photo_content(
        session=session, scope=scope, storage=evidence.store, hazard_id=hazard_id, photo_id=photo_id
    )
    return RawResponse(data, media_type=photo.content_type, headers={"ETag": f'"{photo.sha256}"'})


@config_router.get("", response_model=HazardConfigRead, summary="一单四制 systems, listing levels, limits")
async def hazard_config(settings: Settings, _: CurrentPrincipal) -> HazardConfigRead:
    """Configuration clients need; the four systems of 一单四制 are configuration, not code."""
    return HazardConfigRead(
        one_list_systems=[OneListSystemRead(**s.model_dump()) for s in settings.one_list_systems],
        listing_levels=[level.model_dump() for level in settings.listing_levels],
        photo_max_bytes=settings.photo_max_bytes,
        photo_content_types=list(settings.photo_content_types),
        review_due_days=rules.review_due_days(settings.review_due_days).on(clock.today()).days,
    )
