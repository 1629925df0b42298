"""HTTP routes of penalty cases: filing, each procedural step as an explicit action, lists."""

from __future__ import annotations

import uuid
from datetime import date

from fastapi import APIRouter, Depends, Header, Query, Response, status

from enforcement_service.access import READERS, WRITERS, local_today, rulebook, settings_of
from enforcement_service.cases import service
from enforcement_service.cases.domain import Outcome, Procedure, Stage
from enforcement_service.cases.models import PenaltyCase
from enforcement_service.cases.repository import CaseFilter
from enforcement_service.cases.rules import RuleBook
from enforcement_service.cases.schemas import (
    ArchiveRecord,
    CaseCounts,
    CaseCreate,
    CaseDetail,
    CasePage,
    CaseRead,
    ClockPage,
    ClockRead,
    ClosureRecord,
    CollectiveDiscussionRecord,
    CourtEnforcementRecord,
    DecisionRecord,
    EvidenceCreate,
    EvidenceRead,
    ExecutionRecord,
    HearingRecord,
    HearingRequestRecord,
    InvestigationStart,
    ItemOutcomeRecord,
    LegalReviewRecord,
    NoticeRecord,
    Owed,
    PaymentCreate,
    PaymentRead,
    PaymentResult,
    ServiceRecord,
    SimplifiedCreate,
    StageEntryRead,
    Step,
)
from enforcement_service.config import EnforcementSettings
from shared.auth.dependencies import require_roles
from shared.auth.principal import Principal
from shared.db import UnitOfWork
from shared.http.concurrency import etag
from shared.http.dependencies import get_uow
from shared.http.pagination import PageParams, page_params

router = APIRouter(prefix="/api/v1/cases", tags=["cases"])
Writer = Depends(require_roles(*WRITERS))
Reader = Depends(require_roles(*READERS))


def _read(row: PenaltyCase, response: Response) -> CaseRead:
    response.headers["ETag"] = etag(row.version)
    return CaseRead.model_validate(row)


def _clock(item: service.CaseClock) -> ClockRead:
    return ClockRead(
        case_id=item.case.id,
        case_number=item.case.case_number,
        clock=item.clock.clock,
        due_on=item.clock.due_on,
        days_left=item.clock.days_left,
        status=item.clock.status,
        stage=Stage(item.case.stage),
        township_code=item.case.township_code,
        unit_code=item.case.unit_code,
        delegated=item.case.delegated,
    )


@router.post("", status_code=status.HTTP_201_CREATED, response_model=CaseRead, summary="File a case (立案)")
async def file_case(
    body: CaseCreate,
    response: Response,
    uow: UnitOfWork = Depends(get_uow),
    settings: EnforcementSettings = Depends(settings_of),
    rules: RuleBook = Depends(rulebook),
    _: Principal = Writer,
) -> CaseRead:
    """File a case under the general procedure. A township officer files only within its delegation,
    in the bureau's name. Publishes case.filed."""
    return _read(await service.file_case(uow=uow, settings=settings, rulebook=rules, data=body), response)


@router.post(
    "/simplified", status_code=status.HTTP_201_CREATED, response_model=CaseRead, summary="Decide on the spot (简易程序)"
)
async def decide_simplified(
    body: SimplifiedCreate,
    response: Response,
    uow: UnitOfWork = Depends(get_uow),
    settings: EnforcementSettings = Depends(settings_of),
    rules: RuleBook = Depends(rulebook),
    _: Principal = Writer,
) -> CaseRead:
    """A warning, or a fine up to the configured limit (200 yuan for a person, 3,000 yuan for a unit);
    anything more is refused with the reason (422) and nothing is recorded."""
    return _read(await service.decide_simplified(uow=uow, settings=settings, rulebook=rules, data=body), response)


@router.get("", response_model=CasePage, summary="List cases")
async def list_cases(
    stage: Stage | None = None,
    procedure: Procedure | None = None,
    township_code: str | None = Query(None, pattern=r"^\d{12}$"),
    unit_code: str | None = Query(None, max_length=32),
    enterprise_id: uuid.UUID | None = None,
    delegated: bool | None = None,
    outcome: Outcome | None = None,
    filed_from: date | None = None,
    filed_to: date | None = None,
    page: PageParams = Depends(page_params),
    uow: UnitOfWork = Depends(get_uow),
    _: Principal = Reader,
) -> CasePage:
    """Cases in the caller's jurisdiction, most recently filed first (keyset pagination)."""
    filters = CaseFilter(
        stage=stage.value if stage else None,
        procedure=procedure.value if procedure else None,
        township_code=township_code,
        unit_code=unit_code,
        enterprise_id=enterprise_id,
        delegated=delegated,
        outcome=outcome.value if outcome else None,
        filed_from=filed_from,
        filed_to=filed_to,
    )
    rows, next_cursor, total = await service.list_cases(uow=uow, filters=filters, page=page)
    return CasePage(items=[CaseRead.model_validate(r) for r in rows], next_cursor=next_cursor, total=total)


@router.get("/clocks", response_model=ClockPage, summary="Cases nearing or past a legal limit")
async def list_clocks(
    clock_status: str | None = Query(None, alias="status", pattern="^(nearing|overdue)$"),
    on: date | None = Query(None, description="Evaluate the clocks on this day (default: today, local time)."),
    limit: int = Query(200, ge=1, le=1000),
    uow: UnitOfWork = Depends(get_uow),
    settings: EnforcementSettings = Depends(settings_of),
    rules: RuleBook = Depends(rulebook),
    _: Principal = Reader,
) -> ClockPage:
    """Limits to decide, to ask for a hearing, to serve and to pay that are near or past, most urgent first."""
    today = on or local_today(settings)
    clocks = await service.list_clocks(uow=uow, rulebook=rules, today=today, status=clock_status, limit=limit)
    return ClockPage(items=[_clock(c) for c in clocks])


@router.get("/counts", response_model=CaseCounts, summary="Cases of a year, delegated ones counted separately")
async def count_cases(
    year: int = Query(ge=2000, le=2100), uow: UnitOfWork = Depends(get_uow), _: Principal = Reader
) -> CaseCounts:
    """Cases filed or decided on the spot in a year: in each department's name, and per township under delegation."""
    counts = await service.count_cases(uow=uow, year=year)
    return CaseCounts(year=year, **counts.__dict__)


@router.get("/{case_id}", response_model=CaseDetail, summary="Get a case with its file")
async def get_case(
    case_id: uuid.UUID,
    response: Response,
    on: date | None = Query(None, description="Compute what is owed on this day (default: today)."),
    uow: UnitOfWork = Depends(get_uow),
    settings: EnforcementSettings = Depends(settings_of),
    rules: RuleBook = Depends(rulebook),
    _: Principal = Reader,
) -> CaseDetail:
    """A case with its history (approver, opinion, time of each step), evidence, payments, what is owed and clocks."""
    file = await service.get_case(uow=uow, rulebook=rules, case_id=case_id, today=on or local_today(settings))
    base = _read(file.case, response)
    as_of, fine_out, charge_out = file.owed
    return CaseDetail(
        **base.model_dump(),
        history=[StageEntryRead.model_validate(h) for h in file.history],
        evidence=[EvidenceRead.model_validate(e) for e in file.evidence],
        payments=[PaymentRead.model_validate(p) for p in file.payments],
        owed=Owed(as_of=as_of, fine_outstanding_fen=fine_out, late_charge_outstanding_fen=charge_out),
        clocks=[
            ClockRead(
                case_id=file.case.id,
                case_number=file.case.case_number,
                clock=c.clock,
                due_on=c.due_on,
                days_left=c.days_left,
                status=c.status,
                stage=Stage(file.case.stage),
                township_code=file.case.township_code,
                unit_code=file.case.unit_code,
                delegated=file.case.delegated,
            )
            for c in file.clocks
        ],
    )


@router.post("/{case_id}/investigation", response_model=CaseRead, summary="Start the investigation")
async def start_investigation(
    case_id: uuid.UUID,
    body: InvestigationStart,
    response: Response,
    if_match: str | None = Header(None),
    uow: UnitOfWork = Depends(get_uow),
    settings: EnforcementSettings = Depends(settings_of),
    rules: RuleBook = Depends(rulebook),
    _: Principal = Writer,
) -> CaseRead:
    """filed -> investigation, by at least two officers."""
    row = await service.start_investigation(
        uow=uow, settings=settings, rulebook=rules, case_id=case_id, data=body, if_match=if_match
    )
    return _read(row, response)


@router.post("/{case_id}/legal-review", response_model=CaseRead, summary="Record the legal review (法制审核)")
async def record_legal_review(
    case_id: uuid.UUID,
    body: LegalReviewRecord,
    response: Response,
    if_match: str | None = Header(None),
    uow: UnitOfWork = Depends(get_uow),
    settings: EnforcementSettings = Depends(settings_of),
    rules: RuleBook = Depends(rulebook),
    _: Principal = Writer,
) -> CaseRead:
    """investigation -> legal_review."""
    row = await service.record_legal_review(
        uow=uow, settings=settings, rulebook=rules, case_id=case_id, data=body, if_match=if_match
    )
    return _read(row, response)


@router.post("/{case_id}/collective-discussion", response_model=CaseRead, summary="Record the collective discussion")
async def record_collective_discussion(
    case_id: uuid.UUID,
    body: CollectiveDiscussionRecord,
    response: Response,
    if_match: str | None = Header(None),
    uow: UnitOfWork = Depends(get_uow),
    settings: EnforcementSettings = Depends(settings_of),
    rules: RuleBook = Depends(rulebook),
    _: Principal = Writer,
) -> CaseRead:
    """legal_review -> collective_discussion."""
    row = await service.record_collective_discussion(
        uow=uow, settings=settings, rulebook=rules, case_id=case_id, data=body, if_match=if_match
    )
    return _read(row, response)


@router.post("/{case_id}/notice", response_model=CaseRead, summary="Notify the proposed penalty and the rights (告知)")
async def notify(
    case_id: uuid.UUID,
    body: NoticeRecord,
    response: Response,
    if_match: str | None = Header(None),
    uow: UnitOfWork = Depends(get_uow),
    settings: EnforcementSettings = Depends(settings_of),
    rules: RuleBook = Depends(rulebook),
    _: Principal = Writer,
) -> CaseRead:
    """-> notified; refused while a required legal review or collective discussion is missing."""
    return _read(
        await service.notify(uow=uow, settings=settings, rulebook=rules, case_id=case_id, data=body, if_match=if_match),
        response,
    )


@router.post("/{case_id}/hearing-waiver", response_model=CaseRead, summary="Record that the party waived a hearing")
async def waive_hearing(
    case_id: uuid.UUID,
    body: Step,
    response: Response,
    if_match: str | None = Header(None),
    uow: UnitOfWork = Depends(get_uow),
    settings: EnforcementSettings = Depends(settings_of),
    rules: RuleBook = Depends(rulebook),
    _: Principal = Writer,
) -> CaseRead:
    """The party stated in writing that it asks for no hearing; the decision need not wait for the period."""
    row = await service.waive_hearing(
        uow=uow, settings=settings, rulebook=rules, case_id=case_id, data=body, if_match=if_match
    )
    return _read(row, response)


@router.post("/{case_id}/hearing-request", response_model=CaseRead, summary="Record a hearing request (听证)")
async def request_hearing(
    case_id: uuid.UUID,
    body: HearingRequestRecord,
    response: Response,
    if_match: str | None = Header(None),
    uow: UnitOfWork = Depends(get_uow),
    settings: EnforcementSettings = Depends(settings_of),
    rules: RuleBook = Depends(rulebook),
    _: Principal = Writer,
) -> CaseRead:
    """notified -> hearing; refused when asked after the request period or noticed too late."""
    row = await service.request_hearing(
        uow=uow, settings=settings, rulebook=rules, case_id=case_id, data=body, if_match=if_match
    )
    return _read(row, response)


@router.post("/{case_id}/hearing", response_model=CaseRead, summary="Record the hearing held")
async def hold_hearing(
    case_id: uuid.UUID,
    body: HearingRecord,
    response: Response,
    if_match: str | None = Header(None),
    uow: UnitOfWork = Depends(get_uow),
    settings: EnforcementSettings = Depends(settings_of),
    rules: RuleBook = Depends(rulebook),
    _: Principal = Writer,
) -> CaseRead:
    """The hearing was held."""
    row = await service.hold_hearing(
        uow=uow, settings=settings, rulebook=rules, case_id=case_id, data=body, if_match=if_match
    )
    return _read(row, response)


@router.post("/{case_id}/extension", response_model=CaseRead, summary="Extend the time to decide")
async def extend_deadline(
    case_id: uuid.UUID,
    body: Step,
    response: Response,
    if_match: str | None = Header(None),
    uow: UnitOfWork = Depends(get_uow),
    settings: EnforcementSettings = Depends(settings_of),
    rules: RuleBook = Depends(rulebook),
    _: Principal = Writer,
) -> CaseRead:
    """Extend the time to decide once, as the rule in force at filing allows."""
    row = await service.extend_deadline(
        uow=uow, settings=settings, rulebook=rules, case_id=case_id, data=body, if_match=if_match
    )
    return _read(row, response)


@router.post("/{case_id}/decision", response_model=CaseRead, summary="Decide (penalty, no penalty, transfer)")
async def decide(
    case_id: uuid.UUID,
    body: DecisionRecord,
    response: Response,
    if_match: str | None = Header(None),
    uow: UnitOfWork = Depends(get_uow),
    settings: EnforcementSettings = Depends(settings_of),
    rules: RuleBook = Depends(rulebook),
    _: Principal = Writer,
) -> CaseRead:
    """-> decided with typed penalty items; publishes case.decided."""
    row = await service.decide(
        uow=uow, settings=settings, rulebook=rules, case_id=case_id, data=body, if_match=if_match
    )
    return _read(row, response)


@router.post("/{case_id}/service", response_model=CaseRead, summary="Record service of the decision (送达)")
async def serve(
    case_id: uuid.UUID,
    body: ServiceRecord,
    response: Response,
    if_match: str | None = Header(None),
    uow: UnitOfWork = Depends(get_uow),
    settings: EnforcementSettings = Depends(settings_of),
    rules: RuleBook = Depends(rulebook),
    _: Principal = Writer,
) -> CaseRead:
    """decided -> served; the payment period starts."""
    return _read(
        await service.serve(uow=uow, settings=settings, rulebook=rules, case_id=case_id, data=body, if_match=if_match),
        response,
    )


@router.post(
    "/{case_id}/payments", status_code=status.HTTP_201_CREATED, response_model=PaymentResult, summary="Record a payment"
)
async def record_payment(
    case_id: uuid.UUID,
    body: PaymentCreate,
    response: Response,
    if_match: str | None = Header(None),
    uow: UnitOfWork = Depends(get_uow),
    settings: EnforcementSettings = Depends(settings_of),
    rules: RuleBook = Depends(rulebook),
    _: Principal = Writer,
) -> PaymentResult:
    """A payment goes to the fine first, then to the late charge (3% a day, capped at the fine, exact to the fen)."""
    outcome = await service.record_payment(
        uow=uow, settings=settings, rulebook=rules, case_id=case_id, data=body, if_match=if_match
    )
    return PaymentResult(
        payment=PaymentRead.model_validate(outcome.payment),
        fine_outstanding_fen=outcome.allocation.fine_outstanding_fen,
        late_charge_outstanding_fen=outcome.allocation.late_charge_outstanding_fen,
        case=_read(outcome.case, response),
    )


@router.post("/{case_id}/court-enforcement", response_model=CaseRead, summary="Apply for court enforcement")
async def request_court_enforcement(
    case_id: uuid.UUID,
    body: CourtEnforcementRecord,
    response: Response,
    if_match: str | None = Header(None),
    uow: UnitOfWork = Depends(get_uow),
    settings: EnforcementSettings = Depends(settings_of),
    rules: RuleBook = Depends(rulebook),
    _: Principal = Writer,
) -> CaseRead:
    """After the payment period, apply to the court for compulsory enforcement."""
    row = await service.request_court_enforcement(
        uow=uow, settings=settings, rulebook=rules, case_id=case_id, data=body, if_match=if_match
    )
    return _read(row, response)


@router.post("/{case_id}/items/{item_id}/outcome", response_model=CaseRead, summary="Record a penalty item's outcome")
async def record_item_outcome(
    case_id: uuid.UUID,
    item_id: str,
    body: ItemOutcomeRecord,
    response: Response,
    if_match: str | None = Header(None),
    uow: UnitOfWork = Depends(get_uow),
    settings: EnforcementSettings = Depends(settings_of),
    _: Principal = Writer,
) -> CaseRead:
    """The government's decision on a closure referral, the police outcome of a detention referral
    (with persons), or the reinstatement after a stop-production order."""
    row = await service.record_item_outcome(
        uow=uow, settings=settings, case_id=case_id, item_id=item_id, data=body, if_match=if_match
    )
    return _read(row, response)


@router.post("/{case_id}/execution", response_model=CaseRead, summary="Record execution")
async def execute(
    case_id: uuid.UUID,
    body: ExecutionRecord,
    response: Response,
    if_match: str | None = Header(None),
    uow: UnitOfWork = Depends(get_uow),
    settings: EnforcementSettings = Depends(settings_of),
    rules: RuleBook = Depends(rulebook),
    _: Principal = Writer,
) -> CaseRead:
    """served -> executed: paid in full, enforced by the court, or nothing to pay."""
    return _read(
        await service.execute(
            uow=uow, settings=settings, rulebook=rules, case_id=case_id, data=body, if_match=if_match
        ),
        response,
    )


@router.post("/{case_id}/closure", response_model=CaseRead, summary="Close the case (结案)")
async def close(
    case_id: uuid.UUID,
    body: ClosureRecord,
    response: Response,
    if_match: str | None = Header(None),
    uow: UnitOfWork = Depends(get_uow),
    settings: EnforcementSettings = Depends(settings_of),
    rules: RuleBook = Depends(rulebook),
    _: Principal = Writer,
) -> CaseRead:
    """executed -> closed (a transfer to the judiciary closes after the decision)."""
    return _read(
        await service.close(uow=uow, settings=settings, rulebook=rules, case_id=case_id, data=body, if_match=if_match),
        response,
    )


@router.post("/{case_id}/archive", response_model=CaseRead, summary="Archive the case (归档)")
async def archive(
    case_id: uuid.UUID,
    body: ArchiveRecord,
    response: Response,
    if_match: str | None = Header(None),
    uow: UnitOfWork = Depends(get_uow),
    settings: EnforcementSettings = Depends(settings_of),
    rules: RuleBook = Depends(rulebook),
    _: Principal = Writer,
) -> CaseRead:
    """closed -> archived; any later change is refused with 409."""
    row = await service.archive(
        uow=uow, settings=settings, rulebook=rules, case_id=case_id, data=body, if_match=if_match
    )
    return _read(row, response)


@router.post(
    "/{case_id}/evidence", status_code=status.HTTP_201_CREATED, response_model=EvidenceRead, summary="List evidence"
)
async def add_evidence(
    case_id: uuid.UUID,
    body: EvidenceCreate,
    uow: UnitOfWork = Depends(get_uow),
    settings: EnforcementSettings = Depends(settings_of),
    _: Principal = Writer,
) -> EvidenceRead:
    """List an item of evidence with references to its stored attachments."""
    return EvidenceRead.model_validate(
        await service.add_evidence(uow=uow, settings=settings, case_id=case_id, data=body)
    )
