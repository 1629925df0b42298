"""HTTP routes of penalty cases: filing, each procedural step as an explicit action, lists."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response, status

from enforcement_service.access import Rules, Settings, Writer
from enforcement_service.cases import clocks, filing, payments, queries, steps
from enforcement_service.cases.domain import ClockStatus, Outcome, Procedure, Stage
from enforcement_service.cases.models import PenaltyCase
from enforcement_service.cases.repository import CaseFilter
from enforcement_service.cases.rules import ProcedureRules
from enforcement_service.cases.schemas import (
    CASE_ROWS,
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
from enforcement_service.http import Action, CurrentAction, CurrentRead, answer
from shared import clock
from shared.http.dependencies import UoW
from shared.http.pagination import PageParams, UpdatedSince, page_params
from shared.rules import DatedRules

router = APIRouter(prefix="/api/v1/cases", tags=["cases"])


def _clock(case: PenaltyCase, status: ClockStatus) -> ClockRead:
    return ClockRead(
        case_id=case.id,
        case_number=case.case_number,
        clock=status.clock,
        due_on=status.due_on,
        days_left=status.days_left,
        status=status.status,
        stage=Stage(case.stage),
        township_code=case.township_code,
        unit_code=case.unit_code,
        delegated=case.delegated,
    )


@dataclass(frozen=True)
class CaseAction:
    """An action on the case named in the path, under the procedure rules of this deployment."""

    case_id: uuid.UUID
    action: Action
    settings: EnforcementSettings
    rules: DatedRules[ProcedureRules]

    async def step(self, name: str, body: Step) -> CaseRead:
        """Take the procedural step `name` and answer the case with its new ETag."""
        row = await steps.take_step(
            name, **self.action.writes, settings=self.settings, rules=self.rules, case_id=self.case_id, body=body
        )
        return self.action.answer(CaseRead, row)


async def case_action(case_id: uuid.UUID, action: CurrentAction, settings: Settings, rules: Rules) -> CaseAction:
    """The action context of the case named in the path."""
    return CaseAction(case_id, action, settings, rules)


CurrentCase = Annotated[CaseAction, Depends(case_action)]


@router.post("", status_code=status.HTTP_201_CREATED, response_model=CaseRead, summary="File a case (立案)")
async def file_case(
    body: CaseCreate, response: Response, actor: Writer, uow: UoW, settings: Settings, rules: Rules
) -> CaseRead:
    """File a case under the general procedure. A township officer files only within its delegation,
    in the bureau's name. Publishes case.filed."""
    row = await filing.file_case(uow=uow, actor=actor, settings=settings, rules=rules, data=body)
    return answer(CaseRead, row, response)


@router.post(
    "/simplified", status_code=status.HTTP_201_CREATED, response_model=CaseRead, summary="Decide on the spot (简易程序)"
)
async def decide_simplified(
    body: SimplifiedCreate, response: Response, actor: Writer, uow: UoW, settings: Settings, rules: Rules
) -> CaseRead:
    """A warning, or a fine up to the configured limit (200 yuan for a person, 3,000 yuan for a unit);
    anything more is refused with the reason (422) and nothing is recorded."""
    row = await filing.decide_simplified(uow=uow, actor=actor, settings=settings, rules=rules, data=body)
    return answer(CaseRead, row, response)


@router.get("", response_model=CasePage, summary="List cases")
async def list_cases(
    read: CurrentRead,
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
    updated_since: UpdatedSince = None,
) -> Response:
    """Cases in the caller's jurisdiction, most recently filed first (keyset pagination), or the change feed."""
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
        updated_since=updated_since,
    )
    rows, next_cursor, total = await queries.list_cases(**read.reads, filters=filters, page=page)
    return CASE_ROWS.page(rows, next_cursor=next_cursor, total=total)


@router.get("/clocks", response_model=ClockPage, summary="Cases nearing or past a legal limit")
async def list_clocks(
    read: CurrentRead,
    rules: Rules,
    clock_status: str | None = Query(None, alias="status", pattern="^(nearing|overdue)$"),
    on: date | None = Query(None, description="Evaluate the clocks on this day (default: today, local time)."),
    page: PageParams = Depends(page_params),
) -> ClockPage:
    """Limits to decide, to ask for a hearing, to serve and to pay that are near or past, most urgent first."""
    found, next_cursor, total = await clocks.list_clocks(
        **read.reads, rules=rules, today=on or clock.today(), status=clock_status, page=page
    )
    return ClockPage(items=[_clock(c.case, c.clock) for c in found], next_cursor=next_cursor, total=total)


@router.get("/counts", response_model=CaseCounts, summary="Cases of a year, delegated ones counted separately")
async def count_cases(read: CurrentRead, year: int = Query(ge=2000, le=2100)) -> CaseCounts:
    """Cases filed or decided on the spot in a year: in each department's name, and per township under delegation."""
    counts = await queries.count_cases(**read.reads, year=year)
    return CaseCounts(year=year, **counts.__dict__)


@router.get("/{case_id}", response_model=CaseDetail, summary="Get a case with its file")
async def get_case(
    case_id: uuid.UUID,
    response: Response,
    read: CurrentRead,
    rules: Rules,
    on: date | None = Query(None, description="Compute what is owed on this day (default: today)."),
) -> CaseDetail:
    """A case with its history (approver, opinion, time of each step), evidence, payments, what is owed and clocks."""
    file = await queries.get_case(**read.reads, rules=rules, case_id=case_id, today=on or clock.today())
    as_of, fine_out, charge_out = file.owed
    return CaseDetail(
        **answer(CaseRead, file.case, response).model_dump(),
        history=[StageEntryRead.model_validate(h) for h in file.history],
        evidence=[EvidenceRead.model_validate(e) for e in file.evidence],
        payments=[PaymentRead.model_validate(p) for p in file.payments],
        owed=Owed(as_of=as_of, fine_outstanding_fen=fine_out, late_charge_outstanding_fen=charge_out),
        clocks=[_clock(file.case, c) for c in file.clocks],
    )


@router.post("/{case_id}/investigation", response_model=CaseRead, summary="Start the investigation")
async def start_investigation(body: InvestigationStart, case: CurrentCase) -> CaseRead:
    """filed -> investigation, by at least two officers."""
    return await case.step("start_investigation", body)


@router.post("/{case_id}/legal-review", response_model=CaseRead, summary="Record the legal review (法制审核)")
async def record_legal_review(body: LegalReviewRecord, case: CurrentCase) -> CaseRead:
    """investigation -> legal_review."""
    return await case.step("record_legal_review", body)


@router.post("/{case_id}/collective-discussion", response_model=CaseRead, summary="Record the collective discussion")
async def record_collective_discussion(body: CollectiveDiscussionRecord, case: CurrentCase) -> CaseRead:
    """legal_review -> collective_discussion."""
    return await case.step("record_collective_discussion", body)


@router.post("/{case_id}/notice", response_model=CaseRead, summary="Notify the proposed penalty and the rights (告知)")
async def notify(body: NoticeRecord, case: CurrentCase) -> CaseRead:
    """-> notified; refused while a required legal review or collective discussion is missing."""
    return await case.step("notify", body)


@router.post("/{case_id}/hearing-waiver", response_model=CaseRead, summary="Record that the party waived a hearing")
async def waive_hearing(body: Step, case: CurrentCase) -> CaseRead:
    """The party stated in writing that it asks for no hearing; the decision need not wait for the period."""
    return await case.step("waive_hearing", body)


@router.post("/{case_id}/hearing-request", response_model=CaseRead, summary="Record a hearing request (听证)")
async def request_hearing(body: HearingRequestRecord, case: CurrentCase) -> CaseRead:
    """notified -> hearing; refused when asked after the request period or noticed too late."""
    return await case.step("request_hearing", body)


@router.post("/{case_id}/hearing", response_model=CaseRead, summary="Record the hearing held")
async def hold_hearing(body: HearingRecord, case: CurrentCase) -> CaseRead:
    """The hearing was held."""
    return await case.step("hold_hearing", body)


@router.post("/{case_id}/extension", response_model=CaseRead, summary="Extend the time to decide")
async def extend_deadline(body: Step, case: CurrentCase) -> CaseRead:
    """Extend the time to decide once, as the rule in force at filing allows."""
    return await case.step("extend_deadline", body)


@router.post("/{case_id}/decision", response_model=CaseRead, summary="Decide (penalty, no penalty, transfer)")
async def decide(body: DecisionRecord, case: CurrentCase) -> CaseRead:
    """-> decided with typed penalty items; publishes case.decided."""
    return await case.step("decide", body)


@router.post("/{case_id}/service", response_model=CaseRead, summary="Record service of the decision (送达)")
async def serve(body: ServiceRecord, case: CurrentCase) -> CaseRead:
    """decided -> served; the payment period starts."""
    return await case.step("serve", body)


@router.post(
    "/{case_id}/payments", status_code=status.HTTP_201_CREATED, response_model=PaymentResult, summary="Record a payment"
)
async def record_payment(body: PaymentCreate, case: CurrentCase) -> PaymentResult:
    """A payment goes to the fine first, then to the late charge (3% a day, capped at the fine, exact to the fen)."""
    outcome = await payments.record_payment(**case.action.writes, rules=case.rules, case_id=case.case_id, body=body)
    return PaymentResult(
        payment=PaymentRead.model_validate(outcome.payment),
        fine_outstanding_fen=outcome.allocation.fine_outstanding_fen,
        late_charge_outstanding_fen=outcome.allocation.late_charge_outstanding_fen,
        case=case.action.answer(CaseRead, outcome.case),
    )


@router.post("/{case_id}/court-enforcement", response_model=CaseRead, summary="Apply for court enforcement")
async def request_court_enforcement(body: CourtEnforcementRecord, case: CurrentCase) -> CaseRead:
    """After the payment period, apply to the court for compulsory enforcement."""
    return await case.step("request_court_enforcement", body)


@router.post("/{case_id}/items/{item_id}/outcome", response_model=CaseRead, summary="Record a penalty item's outcome")
async def record_item_outcome(item_id: str, body: ItemOutcomeRecord, case: CurrentCase) -> CaseRead:
    """The government's decision on a closure referral, the police outcome of a detention referral
    (with persons), or the reinstatement after a stop-production order."""
    row = await steps.record_item_outcome(**case.action.writes, case_id=case.case_id, item_id=item_id, body=body)
    return case.action.answer(CaseRead, row)


@router.post("/{case_id}/execution", response_model=CaseRead, summary="Record execution")
async def execute(body: ExecutionRecord, case: CurrentCase) -> CaseRead:
    """served -> executed: paid in full, enforced by the court, or nothing to pay."""
    return await case.step("execute", body)


@router.post("/{case_id}/closure", response_model=CaseRead, summary="Close the case (结案)")
async def close(body: ClosureRecord, case: CurrentCase) -> CaseRead:
    """executed -> closed (a transfer to the judiciary closes after the decision)."""
    return await case.step("close", body)


@router.post("/{case_id}/archive", response_model=CaseRead, summary="Archive the case (归档)")
async def archive(body: ArchiveRecord, case: CurrentCase) -> CaseRead:
    """closed -> archived; any later change is refused with 409."""
    return await case.step("archive", body)


@router.post(
    "/{case_id}/evidence", status_code=status.HTTP_201_CREATED, response_model=EvidenceRead, summary="List evidence"
)
async def add_evidence(case_id: uuid.UUID, body: EvidenceCreate, actor: Writer, uow: UoW) -> EvidenceRead:
    """List an item of evidence with references to its stored attachments."""
    return EvidenceRead.model_validate(await steps.add_evidence(uow=uow, actor=actor, case_id=case_id, body=body))
