"""HTTP routes of hazards: creation, the lifecycle actions, records, lists and the ledger export."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any

from fastapi import APIRouter, Depends, File, Form, Header, Query, Request, Response, UploadFile, status
from fastapi.responses import Response as RawResponse

from hazard_service.config import HazardSettings
from hazard_service.hazards import domain, exports, service
from hazard_service.hazards.models import Hazard
from hazard_service.hazards.schemas import (
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
from hazard_service.hazards.storage import PhotoStorage
from hazard_service.upstream.schemas import MappingRead
from shared.auth.dependencies import current_principal, require_roles
from shared.auth.principal import Principal, Role
from shared.db import DriverUnitOfWork, UnitOfWork
from shared.http.command_route import CommandRoute
from shared.http.concurrency import etag
from shared.http.dependencies import get_driver_uow, get_uow
from shared.http.pagination import Page, PageParams, page_params

router = APIRouter(prefix="/api/v1/hazards", tags=["hazards"])
config_router = APIRouter(prefix="/api/v1/hazard-config", tags=["hazards"])

REPORTERS = (Role.CITY_ADMIN, Role.DEPARTMENT_OFFICER, Role.TOWNSHIP_OFFICER, Role.SUPERVISOR, Role.ENTERPRISE)
EXPORT_LIMIT = 50_000
IF_MATCH = Header(None, alias="If-Match", description='ETag of the version the change is based on, e.g. W/"3".')


def _settings(request: Request) -> HazardSettings:
    settings: HazardSettings = request.app.state.settings
    return settings


def _storage(request: Request) -> PhotoStorage:
    storage: PhotoStorage = request.app.state.photo_storage
    return storage


def _read(hazard: Hazard | dict[str, Any], principal: Principal, response: Response) -> HazardRead:
    read = HazardRead.model_validate(hazard)
    machine = domain.machine_for(read.grade)
    read.allowed_actions = [a.value for a in machine.allowed_actions(domain.Status(read.status), principal.roles)]
    response.headers["ETag"] = etag(read.version)
    return read


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


async def report_hazard(
    body: HazardCreate,
    response: Response,
    uow: DriverUnitOfWork = Depends(get_driver_uow),
    principal: Principal = Depends(require_roles(*REPORTERS)),
) -> HazardRead:
    """Report a hazard found in an enterprise; publishes hazard.reported. Accepts Idempotency-Key."""
    read = _read(await service.report_hazard(uow=uow, data=body), principal, response)
    response.headers["Location"] = f"/api/v1/hazards/{read.id}"
    return read


# The busiest write: answered by `CommandRoute`, without FastAPI's generic request handler.
router.add_api_route(
    "",
    report_hazard,
    methods=["POST"],
    status_code=status.HTTP_201_CREATED,
    response_model=HazardRead,
    summary="Report a hazard",
    route_class_override=CommandRoute,
)


@router.get("", response_model=Page[HazardSummary], summary="List hazards")
async def list_hazards(
    filters: HazardFilters = Depends(hazard_filters),
    sort: HazardSort = Query(HazardSort.REPORTED_ON_DESC),
    page: PageParams = Depends(page_params),
    uow: UnitOfWork = Depends(get_uow),
    _: Principal = Depends(current_principal),
) -> Page[HazardSummary]:
    """Hazards the caller may see, filtered and sorted, with keyset pagination."""
    rows, cursor, total = await service.list_hazards(uow=uow, filters=filters, sort=sort, page=page)
    return Page[HazardSummary](items=[HazardSummary.model_validate(r) for r in rows], next_cursor=cursor, total=total)


@router.get("/ledger.xlsx", summary="Export the ledger (台账) as XLSX", response_class=RawResponse)
async def ledger_xlsx(
    filters: HazardFilters = Depends(hazard_filters),
    uow: UnitOfWork = Depends(get_uow),
    _: Principal = Depends(current_principal),
) -> RawResponse:
    """The hazards matching the filters in the columns officials use (at most 50,000 rows)."""
    rows, listings = await service.export_rows(uow=uow, filters=filters, limit=EXPORT_LIMIT)
    return RawResponse(
        exports.ledger_xlsx(rows, listings),
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": 'attachment; filename="hazard-ledger.xlsx"'},
    )


@router.get("/ledger.csv", summary="Export the ledger (台账) as CSV", response_class=RawResponse)
async def ledger_csv(
    filters: HazardFilters = Depends(hazard_filters),
    uow: UnitOfWork = Depends(get_uow),
    _: Principal = Depends(current_principal),
) -> RawResponse:
    """The same columns as the XLSX export, UTF-8 with BOM so spreadsheet programs read the Chinese."""
    rows, listings = await service.export_rows(uow=uow, filters=filters, limit=EXPORT_LIMIT)
    return RawResponse(
        exports.ledger_csv(rows, listings),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="hazard-ledger.csv"'},
    )


@router.get("/{hazard_id}", response_model=HazardRead, summary="Get a hazard")
async def get_hazard(
    hazard_id: uuid.UUID,
    response: Response,
    uow: UnitOfWork = Depends(get_uow),
    principal: Principal = Depends(current_principal),
) -> HazardRead:
    """A hazard with its version (also as ETag) and the actions the caller may take now."""
    return _read(await service.get_hazard(uow=uow, hazard_id=hazard_id), principal, response)


@router.get("/{hazard_id}/timeline", response_model=list[TimelineEntryRead], summary="A hazard's full history")
async def timeline(
    hazard_id: uuid.UUID, uow: UnitOfWork = Depends(get_uow), _: Principal = Depends(current_principal)
) -> list[TimelineEntryRead]:
    """Who did what, when and why, oldest first."""
    rows = await service.hazard_records(uow=uow, hazard_id=hazard_id, kind="timeline")
    return [TimelineEntryRead.model_validate(r) for r in rows]


@router.get("/{hazard_id}/upstream", response_model=list[MappingRead], summary="Sync status at upstream systems")
async def upstream_status(
    hazard_id: uuid.UUID, uow: UnitOfWork = Depends(get_uow), _: Principal = Depends(current_principal)
) -> list[MappingRead]:
    """The hazard's id and sync status at each upstream target."""
    rows = await service.hazard_records(uow=uow, hazard_id=hazard_id, kind="upstream")
    return [MappingRead.model_validate(r) for r in rows]


Use = Callable[..., Awaitable[Any]]


async def _act(
    use_case: Use,
    hazard_id: uuid.UUID,
    body: Any,
    request: Request,
    response: Response,
    uow: UnitOfWork,
    principal: Principal,
    if_match: str | None,
    **extra: Any,
) -> HazardRead:
    hazard = await use_case(
        uow=uow, settings=_settings(request), hazard_id=hazard_id, if_match=if_match, data=body, **extra
    )
    return _read(hazard, principal, response)


def _action_route(path: str, summary: str, use_case: Use, body_type: Any, **extra: Any) -> None:
    async def endpoint(
        hazard_id: uuid.UUID,
        body: Any,
        request: Request,
        response: Response,
        if_match: str | None = IF_MATCH,
        uow: UnitOfWork = Depends(get_uow),
        principal: Principal = Depends(current_principal),
    ) -> HazardRead:
        return await _act(use_case, hazard_id, body, request, response, uow, principal, if_match, **extra)

    # FastAPI reads the body model from the annotation; the model differs per action.
    endpoint.__annotations__["body"] = body_type
    endpoint.__doc__ = f"{summary}; returns the hazard in its new state (409 with the reason if not allowed now)."
    endpoint.__name__ = path.strip("/").replace("-", "_")
    router.add_api_route(
        "/{hazard_id}" + path,
        endpoint,
        methods=["POST"],
        response_model=HazardRead,
        summary=summary,
        responses={409: {"description": "Illegal transition or stale If-Match (problem+json)"}},
    )


_action_route("/rectification", "Start rectification", service.start_rectification, StartRectification)
_action_route("/rectified", "Report a general hazard rectified", service.mark_rectified, MarkRectified)
_action_route("/verification", "Verify a general hazard's rectification", service.verify, Verify)
_action_route(
    "/verification-rejection",
    "Reject a general hazard's rectification (back to rectifying)",
    service.reject_rectification,
    RejectRectification,
    stage="verification",
)
_action_route("/judgment", "Judge a major hazard against a standard clause", service.judge, Judge)
_action_route("/ledger", "Enter a major hazard in the ledger (台账) and report it up", service.ledger, Ledger)
_action_route("/listing", "List a major hazard for supervision (挂牌督办)", service.list_for_supervision, ListingCreate)
_action_route("/plan", "Accept the rectification plan (五到位)", service.accept_plan, Plan)
_action_route("/assessment", "Record the rectification assessment", service.assess, Assess)
_action_route("/acceptance-application", "Apply for acceptance", service.apply_acceptance, ApplyAcceptance)
_action_route("/review", "Record a passed on-site review (复核)", service.pass_review, Review)
_action_route(
    "/review-rejection",
    "Reject at the on-site review (back to rectifying)",
    service.reject_rectification,
    RejectRectification,
    stage="review",
)
_action_route("/closure", "Close the hazard (销号)", service.close, Close)
_action_route("/withdrawal", "Withdraw a mistaken report (reason required)", service.withdraw, Withdraw)
_action_route("/escalation", "Escalate an overdue hazard", service.escalate, Escalate)


@router.get("/{hazard_id}/listing", response_model=ListingRead, summary="The hazard's listing for supervision")
async def get_listing(
    hazard_id: uuid.UUID, uow: UnitOfWork = Depends(get_uow), _: Principal = Depends(current_principal)
) -> ListingRead:
    """Level, document number, hand-over note and receipt."""
    return ListingRead.model_validate(await service.get_listing(uow=uow, hazard_id=hazard_id))


@router.post("/{hazard_id}/listing/receipt", response_model=ListingRead, summary="Sign the listing's receipt")
async def sign_receipt(
    hazard_id: uuid.UUID,
    body: ListingReceipt,
    request: Request,
    if_match: str | None = IF_MATCH,
    uow: UnitOfWork = Depends(get_uow),
    _: Principal = Depends(current_principal),
) -> ListingRead:
    """The responsible unit acknowledges the hand-over note."""
    listing = await service.sign_listing_receipt(
        uow=uow, settings=_settings(request), hazard_id=hazard_id, if_match=if_match, data=body
    )
    return ListingRead.model_validate(listing)


@router.post(
    "/{hazard_id}/deferrals", status_code=status.HTTP_201_CREATED, response_model=DeferralRead, summary="Ask a deferral"
)
async def request_deferral(
    hazard_id: uuid.UUID,
    body: DeferralCreate,
    request: Request,
    if_match: str | None = IF_MATCH,
    uow: UnitOfWork = Depends(get_uow),
    _: Principal = Depends(current_principal),
) -> DeferralRead:
    """Ask to move a rectifying major hazard's deadline."""
    deferral = await service.request_deferral(
        uow=uow, settings=_settings(request), hazard_id=hazard_id, if_match=if_match, data=body
    )
    return DeferralRead.model_validate(deferral)


@router.get("/{hazard_id}/deferrals", response_model=list[DeferralRead], summary="A hazard's deferral requests")
async def list_deferrals(
    hazard_id: uuid.UUID, uow: UnitOfWork = Depends(get_uow), _: Principal = Depends(current_principal)
) -> list[DeferralRead]:
    """Every deferral request and its decision."""
    rows = await service.hazard_records(uow=uow, hazard_id=hazard_id, kind="deferrals")
    return [DeferralRead.model_validate(r) for r in rows]


async def _decide(
    hazard_id: uuid.UUID,
    deferral_id: uuid.UUID,
    body: DeferralDecision,
    request: Request,
    if_match: str | None,
    uow: UnitOfWork,
    approve: bool,
) -> DeferralRead:
    deferral = await service.decide_deferral(
        uow=uow,
        settings=_settings(request),
        hazard_id=hazard_id,
        deferral_id=deferral_id,
        if_match=if_match,
        data=body,
        approve=approve,
    )
    return DeferralRead.model_validate(deferral)


@router.post("/{hazard_id}/deferrals/{deferral_id}/approval", response_model=DeferralRead, summary="Approve")
async def approve_deferral(
    hazard_id: uuid.UUID,
    deferral_id: uuid.UUID,
    body: DeferralDecision,
    request: Request,
    if_match: str | None = IF_MATCH,
    uow: UnitOfWork = Depends(get_uow),
    _: Principal = Depends(current_principal),
) -> DeferralRead:
    """Approve the pending deferral: the rectification deadline moves."""
    return await _decide(hazard_id, deferral_id, body, request, if_match, uow, approve=True)


@router.post("/{hazard_id}/deferrals/{deferral_id}/rejection", response_model=DeferralRead, summary="Refuse")
async def reject_deferral(
    hazard_id: uuid.UUID,
    deferral_id: uuid.UUID,
    body: DeferralDecision,
    request: Request,
    if_match: str | None = IF_MATCH,
    uow: UnitOfWork = Depends(get_uow),
    _: Principal = Depends(current_principal),
) -> DeferralRead:
    """Refuse the pending deferral (a reason is required)."""
    return await _decide(hazard_id, deferral_id, body, request, if_match, uow, approve=False)


@router.post(
    "/{hazard_id}/notices", status_code=status.HTTP_201_CREATED, response_model=NoticeRead, summary="Publish a notice"
)
async def publish_notice(
    hazard_id: uuid.UUID,
    body: NoticeCreate,
    request: Request,
    uow: UnitOfWork = Depends(get_uow),
    _: Principal = Depends(current_principal),
) -> NoticeRead:
    """Record a public notice (通报) about the hazard."""
    notice = await service.publish_notice(uow=uow, settings=_settings(request), hazard_id=hazard_id, data=body)
    return NoticeRead.model_validate(notice)


@router.get("/{hazard_id}/notices", response_model=list[NoticeRead], summary="A hazard's public notices")
async def list_notices(
    hazard_id: uuid.UUID, uow: UnitOfWork = Depends(get_uow), _: Principal = Depends(current_principal)
) -> list[NoticeRead]:
    """Notices published about the hazard."""
    rows = await service.hazard_records(uow=uow, hazard_id=hazard_id, kind="notices")
    return [NoticeRead.model_validate(r) for r in rows]


@router.post(
    "/{hazard_id}/photos",
    status_code=status.HTTP_201_CREATED,
    response_model=PhotoRead,
    summary="Upload a before/after photo",
    responses={413: {"description": "Photo too large"}, 415: {"description": "Not an accepted image type"}},
)
async def upload_photo(
    hazard_id: uuid.UUID,
    request: Request,
    phase: PhotoPhase = Form(...),
    file: UploadFile = File(...),
    uow: UnitOfWork = Depends(get_uow),
    _: Principal = Depends(require_roles(*REPORTERS)),
) -> PhotoRead:
    """JPEG, PNG or WebP up to the configured size; stored content-addressed with its SHA-256."""
    settings = _settings(request)
    data = await file.read(settings.photo_max_bytes + 1)
    photo = await service.add_photo(
        uow=uow,
        settings=settings,
        storage=_storage(request),
        hazard_id=hazard_id,
        phase=phase,
        content_type=(file.content_type or "").split(";")[0].strip().lower(),
        data=data,
        original_name=file.filename,
    )
    return PhotoRead.model_validate(photo)


@router.get("/{hazard_id}/photos", response_model=list[PhotoRead], summary="A hazard's photos")
async def list_photos(
    hazard_id: uuid.UUID, uow: UnitOfWork = Depends(get_uow), _: Principal = Depends(current_principal)
) -> list[PhotoRead]:
    """Photos before and after rectification."""
    rows = await service.hazard_records(uow=uow, hazard_id=hazard_id, kind="photos")
    return [PhotoRead.model_validate(r) for r in rows]


@router.get("/{hazard_id}/photos/{photo_id}/content", summary="A photo's bytes", response_class=RawResponse)
async def photo_content(
    hazard_id: uuid.UUID,
    photo_id: uuid.UUID,
    request: Request,
    uow: UnitOfWork = Depends(get_uow),
    _: Principal = Depends(current_principal),
) -> RawResponse:
    """The stored image, with its SHA-256 as ETag."""
    photo, data = await service.photo_content(
        uow=uow, storage=_storage(request), hazard_id=hazard_id, photo_id=photo_id
    )
    return RawResponse(data, media_type=photo.content_type, headers={"ETag": f'"{photo.sha256}"'})


@config_router.get("", response_model=HazardConfigRead, summary="一单四制 systems, listing levels, limits")
async def hazard_config(request: Request, _: Principal = Depends(current_principal)) -> HazardConfigRead:
    """Configuration clients need; the four systems of 一单四制 are configuration, not code."""
    settings = _settings(request)
    return HazardConfigRead(
        one_list_systems=[OneListSystemRead(**s.model_dump()) for s in settings.one_list_systems],
        listing_levels=[level.model_dump() for level in settings.listing_levels],
        photo_max_bytes=settings.photo_max_bytes,
        photo_content_types=list(settings.photo_content_types),
        review_due_days=domain.rule_value(domain.REVIEW_DUE_DAYS, date.today(), settings.review_due_days),
    )
