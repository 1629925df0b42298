"""Use cases of penalty cases: filing, each procedural step, payments, evidence, clocks and lists."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta

from enforcement_service.access import (
    ActingUnit,
    acting_unit,
    actor_name,
    acts_under_delegation,
    ensure_visible,
    local_today,
)
from enforcement_service.cases import domain, repository
from enforcement_service.cases.domain import CaseState, ClockStatus, ItemKind, PenaltyItem, Stage, StageEntry
from enforcement_service.cases.exceptions import CaseNotFound
from enforcement_service.cases.mapping import apply_state, items_json, to_state
from enforcement_service.cases.models import CaseEvidence, CasePayment, CaseStageEntry, PenaltyCase
from enforcement_service.cases.rules import ProcedureRules, RuleBook
from enforcement_service.cases.schemas import (
    ArchiveRecord,
    CaseCreate,
    ClosureRecord,
    CollectiveDiscussionRecord,
    CourtEnforcementRecord,
    DecisionRecord,
    EvidenceCreate,
    ExecutionRecord,
    HearingRecord,
    HearingRequestRecord,
    InvestigationStart,
    ItemOutcomeRecord,
    LegalReviewRecord,
    NoticeRecord,
    PaymentCreate,
    ServiceRecord,
    SimplifiedCreate,
    Step,
)
from enforcement_service.config import EnforcementSettings
from enforcement_service.delegations.domain import DelegationTerms, acts_of
from enforcement_service.delegations.service import authorise_township_act
from enforcement_service.enterprises import repository as enterprises
from enforcement_service.leads.service import link_lead
from enforcement_service.paging import cut_page, date_id_after
from shared.auth.principal import Principal, Role
from shared.contracts.enforcement import (
    CaseArchivedV1,
    CaseClockWarningV1,
    CaseClosedV1,
    CaseCourtEnforcementRequestedV1,
    CaseDecidedV1,
    CaseEvidenceAddedV1,
    CaseExecutedV1,
    CaseFiledV1,
    CaseItemOutcomeRecordedV1,
    CasePaymentRecordedV1,
    CaseServedV1,
    CaseSimplifiedDecidedV1,
    CaseStageChangedV1,
    PenaltyItemV1,
)
from shared.contracts.envelope import EventPayload
from shared.db import UnitOfWork
from shared.errors import Forbidden, NotFound
from shared.http.concurrency import check_version
from shared.http.pagination import PageParams

DOCUMENT_LABELS = {"case": "立", "decision": "罚", "simplified": "简罚", "archive": "档"}


@dataclass(frozen=True)
class Party:
    """Who the case is against and where they are."""

    party_type: str
    party_name: str
    enterprise_id: uuid.UUID | None
    township_code: str
    industry_code: str | None


@dataclass(frozen=True)
class Actor:
    """In whose name a case is handled: the department, or the bureau for a delegated township."""

    unit_type: str
    unit_code: str
    delegated: bool
    delegated_township_code: str | None


def _now() -> datetime:
    return datetime.now(UTC)


def _principal(uow: UnitOfWork) -> Principal:
    assert uow.actor is not None
    return uow.actor


async def _party(
    uow: UnitOfWork,
    *,
    party_type: str,
    party_name: str,
    enterprise_id: uuid.UUID | None,
    township_code: str | None,
    check_visible: bool,
) -> Party:
    """The party of a case; a township's reach is checked against its delegation instead (a clearer refusal)."""
    principal = _principal(uow)
    industry_code = None
    if enterprise_id is not None:
        enterprise = await enterprises.get(uow.session, enterprise_id)
        if enterprise is None:
            raise NotFound(f"enterprise {enterprise_id} not found")
        township_code, industry_code = enterprise.township_code, enterprise.industry_code
    assert township_code is not None
    if check_visible:
        ensure_visible(principal, township_code, "party's township")
    return Party(party_type, party_name, enterprise_id, township_code, industry_code)


async def _document_number(
    uow: UnitOfWork, settings: EnforcementSettings, *, kind: str, unit_code: str, year: int
) -> str:
    n = await repository.next_number(uow.session, kind=kind, unit_code=unit_code, year=year)
    return f"{settings.document_prefix}{DOCUMENT_LABELS[kind]}〔{year}〕{unit_code}-{n:05d}号"


async def _acting_for(
    uow: UnitOfWork,
    settings: EnforcementSettings,
    unit: ActingUnit,
    *,
    party: Party,
    on: date,
    acts: list[str],
    fine_fen: int,
) -> tuple[Actor, DelegationTerms | None]:
    """A township acts only under its delegation and in the bureau's name; a department in its own."""
    if not unit.is_township:
        return Actor(unit.unit_type, unit.unit_code, False, None), None
    terms = await authorise_township_act(
        uow.session,
        township_code=unit.unit_code,
        party_township_code=party.township_code,
        on=on,
        recorded_on=local_today(settings),
        acts=acts,
        fine_fen=fine_fen,
    )
    return Actor("department", settings.bureau_code, True, unit.unit_code), terms


def _ensure_may_act(principal: Principal, row: PenaltyCase) -> None:
    """Only the unit handling a case changes it (a city administrator may act for any)."""
    if principal.has_role(Role.CITY_ADMIN):
        return
    if row.delegated:
        if principal.has_role(Role.TOWNSHIP_OFFICER) and row.delegated_township_code in principal.jurisdictions:
            return
        if principal.has_role(Role.DEPARTMENT_OFFICER) and principal.department == row.unit_code:
            return
        raise Forbidden(f"the case is handled by township {row.delegated_township_code} under delegation")
    if principal.has_role(Role.DEPARTMENT_OFFICER) and principal.department == row.unit_code:
        return
    raise Forbidden(f"the case is handled by {row.unit_code}")


async def _authorise_delegated_act(
    uow: UnitOfWork, settings: EnforcementSettings, row: PenaltyCase, *, on: date | None, items: Sequence[PenaltyItem]
) -> None:
    """A township acts on its delegated case only while a delegation covering the act is in force."""
    assert row.delegated_township_code is not None
    today = local_today(settings)
    await authorise_township_act(
        uow.session,
        township_code=row.delegated_township_code,
        party_township_code=row.township_code,
        on=on or today,
        recorded_on=today,
        acts=acts_of(row.procedure, [i.kind.value for i in items]),
        fine_fen=domain.fine_total(items),
    )


async def _load_for_change(
    uow: UnitOfWork,
    settings: EnforcementSettings,
    case_id: uuid.UUID,
    if_match: str | None,
    *,
    on: date | None,
    items: Sequence[PenaltyItem] = (),
) -> PenaltyCase:
    """The case locked for a change, refused in this order: not visible (404), archived (409), not the handling
    unit (403), a township outside its delegation for the act on `on` (default: today) and `items` (403), stale
    version (409)."""
    row = await repository.get(uow.session, case_id, for_update=True)
    principal = _principal(uow)
    if row is None:
        raise CaseNotFound("case not found")
    ensure_visible(principal, row.township_code, "case")
    domain.ensure_mutable(to_state(row))
    _ensure_may_act(principal, row)
    if acts_under_delegation(principal, delegated=row.delegated):
        await _authorise_delegated_act(uow, settings, row, on=on, items=items)
    check_version(row.version, if_match)
    return row


def _penalty_items_v1(items: list[PenaltyItem]) -> list[PenaltyItemV1]:
    return [PenaltyItemV1.model_validate(i) for i in items_json(items)]


def _common(row: PenaltyCase) -> dict[str, object]:
    return {
        "case_id": str(row.id),
        "township_code": row.township_code,
        "unit_code": row.unit_code,
        "delegated": row.delegated,
        "delegated_township_code": row.delegated_township_code,
    }


def _stage_changed(row: PenaltyCase, entry: StageEntry) -> CaseStageChangedV1:
    return CaseStageChangedV1(
        **_common(row),
        case_number=row.case_number,
        from_stage=entry.from_stage.value,
        to_stage=entry.to_stage.value,
        approver=entry.approver,
        opinion=entry.opinion,
        changed_at=entry.at.isoformat(),
        hearing_requested=row.hearing_requested_on is not None if entry.action == "request_hearing" else None,
        officers=list(row.officers or []),
        action=entry.action,
        decide_by=row.decide_by.isoformat(),
    )


def _record(uow: UnitOfWork, row: PenaltyCase, payload: EventPayload) -> None:
    uow.record(payload, aggregate_id=str(row.id), aggregate_version=row.version, jurisdiction=row.township_code)


def _add_entry(uow: UnitOfWork, row: PenaltyCase, entry: StageEntry) -> None:
    uow.session.add(
        CaseStageEntry(
            case_id=row.id,
            action=entry.action,
            from_stage=entry.from_stage.value,
            to_stage=entry.to_stage.value,
            approver=entry.approver,
            opinion=entry.opinion,
            at=entry.at,
        )
    )


async def file_case(
    *, uow: UnitOfWork, settings: EnforcementSettings, rulebook: RuleBook, data: CaseCreate
) -> PenaltyCase:
    """File a case (立案) under the general procedure; the time to decide starts; publishes case.filed."""
    async with uow:
        principal = _principal(uow)
        unit = acting_unit(principal, data.unit_code)
        party = await _party(
            uow,
            party_type=data.party_type.value,
            party_name=data.party_name,
            enterprise_id=data.enterprise_id,
            township_code=data.township_code,
            check_visible=not unit.is_township,
        )
        actor, terms = await _acting_for(
            uow, settings, unit, party=party, on=data.filed_on, acts=acts_of("general"), fine_fen=0
        )
        rules = rulebook.for_date(data.filed_on)
        state = domain.new_general_case(party_type=party.party_type, filed_on=data.filed_on, rules=rules)
        number = await _document_number(
            uow,
            settings,
            kind="case",
            unit_code=actor.delegated_township_code or actor.unit_code,
            year=data.filed_on.year,
        )
        row = PenaltyCase(
            id=uuid.uuid4(),
            case_number=number,
            party_type=party.party_type,
            party_name=party.party_name,
            enterprise_id=party.enterprise_id,
            township_code=party.township_code,
            industry_code=party.industry_code,
            unit_type=actor.unit_type,
            unit_code=actor.unit_code,
            delegated=actor.delegated,
            delegated_township_code=actor.delegated_township_code,
            delegation_id=uuid.UUID(terms.delegation_id) if terms else None,
            cause=data.cause,
            source=data.source.value,
            inspection_id=data.inspection_id,
            lead_id=data.lead_id,
            created_by=actor_name(principal),
        )
        apply_state(row, state)
        uow.session.add(row)
        await uow.session.flush()
        if data.lead_id is not None:
            await link_lead(uow, lead_id=data.lead_id, case_id=row.id)
        _add_entry(
            uow,
            row,
            StageEntry("file", Stage.FILED, Stage.FILED, data.approver or actor_name(principal), data.opinion, _now()),
        )
        _record(
            uow,
            row,
            CaseFiledV1(
                **_common(row),
                case_number=row.case_number,
                procedure=row.procedure,
                party_type=row.party_type,
                party_name=row.party_name,
                enterprise_id=str(row.enterprise_id) if row.enterprise_id else None,
                unit_type=row.unit_type,
                delegation_id=str(row.delegation_id) if row.delegation_id else None,
                filed_on=row.filed_on.isoformat(),
                rule_set=row.rule_set,
                decide_by=row.decide_by.isoformat(),
                cause=row.cause,
                source=row.source,
                inspection_id=str(row.inspection_id) if row.inspection_id else None,
                lead_id=str(row.lead_id) if row.lead_id else None,
                industry_code=row.industry_code,
            ),
        )
        await uow.commit()
        return row


async def decide_simplified(
    *, uow: UnitOfWork, settings: EnforcementSettings, rulebook: RuleBook, data: SimplifiedCreate
) -> PenaltyCase:
    """Decide a penalty on the spot (warning or small fine); refused with the reason beyond the limits."""
    async with uow:
        principal = _principal(uow)
        unit = acting_unit(principal, data.unit_code)
        party = await _party(
            uow,
            party_type=data.party_type.value,
            party_name=data.party_name,
            enterprise_id=data.enterprise_id,
            township_code=data.township_code,
            check_visible=not unit.is_township,
        )
        rules = rulebook.for_date(data.decided_on)
        domain.check_simplified(party_type=party.party_type, warning=data.warning, fine_fen=data.fine_fen, rules=rules)
        acts = acts_of("simplified", [*(["warning"] if data.warning else []), *(["fine"] if data.fine_fen else [])])
        actor, terms = await _acting_for(
            uow, settings, unit, party=party, on=data.decided_on, acts=acts, fine_fen=data.fine_fen
        )
        numbering_unit = actor.delegated_township_code or actor.unit_code
        number = await _document_number(
            uow, settings, kind="simplified", unit_code=numbering_unit, year=data.decided_on.year
        )
        state = domain.new_simplified_case(
            party_type=party.party_type,
            decided_on=data.decided_on,
            warning=data.warning,
            fine_fen=data.fine_fen,
            decision_number=number,
            rules=rules,
        )
        state.officers = sorted({o.strip() for o in data.officers if o.strip()})
        if len(state.officers) < 2:
            raise domain.StageNotAllowed("a simplified decision is made by at least two officers")
        row = PenaltyCase(
            id=uuid.uuid4(),
            case_number=number,
            party_type=party.party_type,
            party_name=party.party_name,
            enterprise_id=party.enterprise_id,
            township_code=party.township_code,
            industry_code=party.industry_code,
            unit_type=actor.unit_type,
            unit_code=actor.unit_code,
            delegated=actor.delegated,
            delegated_township_code=actor.delegated_township_code,
            delegation_id=uuid.UUID(terms.delegation_id) if terms else None,
            cause=data.cause,
            source="on_the_spot",
            created_by=actor_name(principal),
        )
        apply_state(row, state)
        uow.session.add(row)
        await uow.session.flush()
        _add_entry(
            uow, row, StageEntry("decide_simplified", Stage.SERVED, Stage.SERVED, actor_name(principal), None, _now())
        )
        _record(
            uow,
            row,
            CaseSimplifiedDecidedV1(
                **_common(row),
                case_number=row.case_number,
                party_type=row.party_type,
                party_name=row.party_name,
                enterprise_id=str(row.enterprise_id) if row.enterprise_id else None,
                unit_type=row.unit_type,
                decided_on=data.decided_on.isoformat(),
                warning=data.warning,
                fine_fen=data.fine_fen,
                officers=state.officers,
                pay_by=state.pay_by.isoformat() if state.pay_by else None,
                items=_penalty_items_v1(state.items),
                industry_code=row.industry_code,
            ),
        )
        await uow.commit()
        return row


Transition = Callable[[CaseState, ProcedureRules, str], StageEntry]


async def _step(
    *,
    uow: UnitOfWork,
    settings: EnforcementSettings,
    rulebook: RuleBook,
    case_id: uuid.UUID,
    if_match: str | None,
    step: Step,
    on: date | None,
    items: Sequence[PenaltyItem] = (),
    transition: Transition,
    event: Callable[[PenaltyCase, StageEntry], EventPayload] | None = None,
) -> PenaltyCase:
    async with uow:
        row = await _load_for_change(uow, settings, case_id, if_match, on=on, items=items)
        state = to_state(row)
        rules = rulebook.by_code(row.rule_set)
        entry = transition(state, rules, step.approver or actor_name(_principal(uow)))
        apply_state(row, state)
        await uow.session.flush()
        _add_entry(uow, row, entry)
        _record(uow, row, event(row, entry) if event else _stage_changed(row, entry))
        await uow.commit()
        return row


async def start_investigation(
    *,
    uow: UnitOfWork,
    settings: EnforcementSettings,
    rulebook: RuleBook,
    case_id: uuid.UUID,
    data: InvestigationStart,
    if_match: str | None,
) -> PenaltyCase:
    """filed -> investigation by at least two officers."""
    return await _step(
        uow=uow,
        settings=settings,
        rulebook=rulebook,
        on=None,
        case_id=case_id,
        if_match=if_match,
        step=data,
        transition=lambda s, r, who: domain.start_investigation(
            s, officers=data.officers, approver=who, opinion=data.opinion, at=_now()
        ),
    )


async def record_legal_review(
    *,
    uow: UnitOfWork,
    settings: EnforcementSettings,
    rulebook: RuleBook,
    case_id: uuid.UUID,
    data: LegalReviewRecord,
    if_match: str | None,
) -> PenaltyCase:
    """investigation -> legal_review."""
    items = [i.to_domain() for i in data.items]
    return await _step(
        uow=uow,
        settings=settings,
        rulebook=rulebook,
        on=data.reviewed_on,
        items=items,
        case_id=case_id,
        if_match=if_match,
        step=data,
        transition=lambda s, r, who: domain.legal_review(
            s, proposed_items=items, reviewed_on=data.reviewed_on, approver=who, opinion=data.opinion, at=_now()
        ),
    )


async def record_collective_discussion(
    *,
    uow: UnitOfWork,
    settings: EnforcementSettings,
    rulebook: RuleBook,
    case_id: uuid.UUID,
    data: CollectiveDiscussionRecord,
    if_match: str | None,
) -> PenaltyCase:
    """legal_review -> collective_discussion."""
    return await _step(
        uow=uow,
        settings=settings,
        rulebook=rulebook,
        on=data.discussed_on,
        case_id=case_id,
        if_match=if_match,
        step=data,
        transition=lambda s, r, who: domain.collective_discussion(
            s, discussed_on=data.discussed_on, approver=who, opinion=data.opinion, at=_now()
        ),
    )


async def notify(
    *,
    uow: UnitOfWork,
    settings: EnforcementSettings,
    rulebook: RuleBook,
    case_id: uuid.UUID,
    data: NoticeRecord,
    if_match: str | None,
) -> PenaltyCase:
    """-> notified of the proposed penalty and the party's rights."""
    items = [i.to_domain() for i in data.items]
    return await _step(
        uow=uow,
        settings=settings,
        rulebook=rulebook,
        on=data.notified_on,
        items=items,
        case_id=case_id,
        if_match=if_match,
        step=data,
        transition=lambda s, r, who: domain.notify(
            s,
            proposed_items=items,
            notified_on=data.notified_on,
            rules=r,
            approver=who,
            opinion=data.opinion,
            at=_now(),
        ),
    )


async def waive_hearing(
    *,
    uow: UnitOfWork,
    settings: EnforcementSettings,
    rulebook: RuleBook,
    case_id: uuid.UUID,
    data: Step,
    if_match: str | None,
) -> PenaltyCase:
    """The party waived statement, defence and hearing."""
    return await _step(
        uow=uow,
        settings=settings,
        rulebook=rulebook,
        on=None,
        case_id=case_id,
        if_match=if_match,
        step=data,
        transition=lambda s, r, who: domain.waive_hearing(s, approver=who, opinion=data.opinion, at=_now()),
    )


async def request_hearing(
    *,
    uow: UnitOfWork,
    settings: EnforcementSettings,
    rulebook: RuleBook,
    case_id: uuid.UUID,
    data: HearingRequestRecord,
    if_match: str | None,
) -> PenaltyCase:
    """notified -> hearing (asked within the limit, noticed ahead)."""
    return await _step(
        uow=uow,
        settings=settings,
        rulebook=rulebook,
        on=data.hearing_noticed_on,
        case_id=case_id,
        if_match=if_match,
        step=data,
        transition=lambda s, r, who: domain.request_hearing(
            s,
            requested_on=data.requested_on,
            hearing_noticed_on=data.hearing_noticed_on,
            hearing_on=data.hearing_on,
            rules=r,
            approver=who,
            opinion=data.opinion,
            at=_now(),
        ),
    )


async def hold_hearing(
    *,
    uow: UnitOfWork,
    settings: EnforcementSettings,
    rulebook: RuleBook,
    case_id: uuid.UUID,
    data: HearingRecord,
    if_match: str | None,
) -> PenaltyCase:
    """The hearing was held."""
    return await _step(
        uow=uow,
        settings=settings,
        rulebook=rulebook,
        on=data.held_on,
        case_id=case_id,
        if_match=if_match,
        step=data,
        transition=lambda s, r, who: domain.hold_hearing(
            s, held_on=data.held_on, approver=who, opinion=data.opinion, at=_now()
        ),
    )


async def extend_deadline(
    *,
    uow: UnitOfWork,
    settings: EnforcementSettings,
    rulebook: RuleBook,
    case_id: uuid.UUID,
    data: Step,
    if_match: str | None,
) -> PenaltyCase:
    """Extend the time to decide once, with approval."""
    return await _step(
        uow=uow,
        settings=settings,
        rulebook=rulebook,
        on=None,
        case_id=case_id,
        if_match=if_match,
        step=data,
        transition=lambda s, r, who: domain.extend_deadline(
            s, rules=r, approver=who, opinion=data.opinion or "", at=_now()
        ),
    )


async def decide(
    *,
    uow: UnitOfWork,
    settings: EnforcementSettings,
    rulebook: RuleBook,
    case_id: uuid.UUID,
    data: DecisionRecord,
    if_match: str | None,
) -> PenaltyCase:
    """-> decided; a delegated township decides only penalties within its delegation; publishes case.decided."""
    items = [i.to_domain() for i in data.items]
    async with uow:
        row = await _load_for_change(uow, settings, case_id, if_match, on=data.decided_on, items=items)
        state = to_state(row)
        rules = rulebook.by_code(row.rule_set)
        number = await _document_number(
            uow,
            settings,
            kind="decision",
            unit_code=row.delegated_township_code or row.unit_code,
            year=data.decided_on.year,
        )
        who = data.approver or actor_name(_principal(uow))
        entry = domain.decide(
            state,
            outcome=data.outcome,
            items=items,
            decided_on=data.decided_on,
            decision_number=number,
            rules=rules,
            approver=who,
            opinion=data.opinion,
            at=_now(),
        )
        apply_state(row, state)
        await uow.session.flush()
        _add_entry(uow, row, entry)
        kinds = [i.kind for i in state.items]
        _record(
            uow,
            row,
            CaseDecidedV1(
                **_common(row),
                case_number=row.case_number,
                procedure=row.procedure,
                outcome=data.outcome.value,
                decided_on=data.decided_on.isoformat(),
                decision_number=number,
                party_type=row.party_type,
                enterprise_id=str(row.enterprise_id) if row.enterprise_id else None,
                unit_type=row.unit_type,
                items=_penalty_items_v1(state.items),
                fine_total_fen=state.fine_total_fen,
                confiscation_value_fen=sum(i.value_fen or 0 for i in state.items if i.kind is ItemKind.CONFISCATION),
                stop_production=ItemKind.STOP_PRODUCTION in kinds,
                licence_actions=sum(
                    1 for k in kinds if k in (ItemKind.LICENCE_SUSPENSION, ItemKind.LICENCE_REVOCATION)
                ),
                closure_referrals=sum(1 for k in kinds if k is ItemKind.CLOSURE_REFERRAL),
                detention_referrals=sum(1 for k in kinds if k is ItemKind.DETENTION_REFERRAL),
                detention_persons=sum(i.persons or 0 for i in state.items if i.kind is ItemKind.DETENTION_REFERRAL),
                approver=who,
                from_stage=entry.from_stage.value,
                to_stage=entry.to_stage.value,
                opinion=entry.opinion,
                industry_code=row.industry_code,
            ),
        )
        await uow.commit()
        return row


async def serve(
    *,
    uow: UnitOfWork,
    settings: EnforcementSettings,
    rulebook: RuleBook,
    case_id: uuid.UUID,
    data: ServiceRecord,
    if_match: str | None,
) -> PenaltyCase:
    """decided -> served; publishes case.served."""

    def event(row: PenaltyCase, entry: StageEntry) -> EventPayload:
        return CaseServedV1(
            **_common(row),
            case_number=row.case_number,
            served_on=data.served_on.isoformat(),
            method=data.method,
            pay_by=row.pay_by.isoformat() if row.pay_by else None,
            from_stage=entry.from_stage.value,
            to_stage=entry.to_stage.value,
            approver=entry.approver,
            opinion=entry.opinion,
        )

    return await _step(
        uow=uow,
        settings=settings,
        rulebook=rulebook,
        on=data.served_on,
        case_id=case_id,
        if_match=if_match,
        step=data,
        event=event,
        transition=lambda s, r, who: domain.serve(
            s, served_on=data.served_on, rules=r, approver=who, opinion=data.opinion, at=_now()
        ),
    )


@dataclass(frozen=True)
class PaymentOutcome:
    """A recorded payment, what remains owed, and the case after it."""

    payment: CasePayment
    allocation: domain.PaymentAllocation
    case: PenaltyCase


async def record_payment(
    *,
    uow: UnitOfWork,
    settings: EnforcementSettings,
    rulebook: RuleBook,
    case_id: uuid.UUID,
    data: PaymentCreate,
    if_match: str | None,
) -> PaymentOutcome:
    """Record a payment (fine first, then late charge); publishes case.payment_recorded."""
    async with uow:
        row = await _load_for_change(uow, settings, case_id, if_match, on=data.paid_on)
        previous = [(p.paid_on, p.fine_part_fen) for p in await repository.payments(uow.session, row.id)]
        state = to_state(row)
        allocation = domain.record_payment(
            state,
            paid_on=data.paid_on,
            amount_fen=data.amount_fen,
            previous_payments=previous,
            rules=rulebook.by_code(row.rule_set),
        )
        apply_state(row, state)
        payment = CasePayment(
            id=uuid.uuid4(),
            case_id=row.id,
            paid_on=data.paid_on,
            amount_fen=data.amount_fen,
            fine_part_fen=allocation.fine_part_fen,
            late_charge_part_fen=allocation.late_charge_part_fen,
            receipt_number=data.receipt_number,
            created_by=actor_name(_principal(uow)),
        )
        uow.session.add(payment)
        await uow.session.flush()
        _record(
            uow,
            row,
            CasePaymentRecordedV1(
                **_common(row),
                payment_id=str(payment.id),
                paid_on=data.paid_on.isoformat(),
                amount_fen=data.amount_fen,
                fine_part_fen=allocation.fine_part_fen,
                late_charge_part_fen=allocation.late_charge_part_fen,
                fine_outstanding_fen=allocation.fine_outstanding_fen,
                late_charge_outstanding_fen=allocation.late_charge_outstanding_fen,
            ),
        )
        await uow.commit()
        return PaymentOutcome(payment, allocation, row)


async def request_court_enforcement(
    *,
    uow: UnitOfWork,
    settings: EnforcementSettings,
    rulebook: RuleBook,
    case_id: uuid.UUID,
    data: CourtEnforcementRecord,
    if_match: str | None,
) -> PenaltyCase:
    """Apply to the court for enforcement of an unpaid fine; publishes case.court_enforcement_requested."""
    async with uow:
        row = await _load_for_change(uow, settings, case_id, if_match, on=data.requested_on)
        payments = [(p.paid_on, p.fine_part_fen) for p in await repository.payments(uow.session, row.id)]
        state = to_state(row)
        rules = rulebook.by_code(row.rule_set)
        entry = domain.request_court_enforcement(
            state,
            requested_on=data.requested_on,
            court=data.court,
            approver=data.approver or actor_name(_principal(uow)),
            opinion=data.opinion,
            at=_now(),
        )
        fine_out, charge_out = domain.owed_on(state, on=data.requested_on, payments=payments, rules=rules)
        apply_state(row, state)
        await uow.session.flush()
        _add_entry(uow, row, entry)
        _record(
            uow,
            row,
            CaseCourtEnforcementRequestedV1(
                case_id=str(row.id),
                requested_on=data.requested_on.isoformat(),
                court=data.court,
                fine_outstanding_fen=fine_out,
                late_charge_fen=charge_out,
                township_code=row.township_code,
            ),
        )
        await uow.commit()
        return row


async def record_item_outcome(
    *,
    uow: UnitOfWork,
    settings: EnforcementSettings,
    case_id: uuid.UUID,
    item_id: str,
    data: ItemOutcomeRecord,
    if_match: str | None,
) -> PenaltyCase:
    """Record the government's, the police's or the reinstatement outcome of an item."""
    async with uow:
        row = await _load_for_change(uow, settings, case_id, if_match, on=data.decided_on)
        state = to_state(row)
        item = domain.record_item_outcome(
            state,
            item_id=item_id,
            outcome=data.outcome,
            decided_by=data.decided_by,
            decided_on=data.decided_on,
            persons=data.persons,
        )
        apply_state(row, state)
        await uow.session.flush()
        _add_entry(
            uow,
            row,
            StageEntry(
                f"item_outcome:{item.kind.value}", state.stage, state.stage, data.decided_by, data.outcome, _now()
            ),
        )
        _record(
            uow,
            row,
            CaseItemOutcomeRecordedV1(
                case_id=str(row.id),
                item_id=item.item_id,
                kind=item.kind.value,
                outcome=data.outcome,
                decided_by=data.decided_by,
                decided_on=data.decided_on.isoformat(),
                persons=item.persons,
                township_code=row.township_code,
                unit_code=row.unit_code,
            ),
        )
        await uow.commit()
        return row


async def execute(
    *,
    uow: UnitOfWork,
    settings: EnforcementSettings,
    rulebook: RuleBook,
    case_id: uuid.UUID,
    data: ExecutionRecord,
    if_match: str | None,
) -> PenaltyCase:
    """served -> executed; publishes case.executed."""
    async with uow:
        row = await _load_for_change(uow, settings, case_id, if_match, on=data.executed_on)
        payments = [(p.paid_on, p.fine_part_fen) for p in await repository.payments(uow.session, row.id)]
        state = to_state(row)
        entry = domain.execute(
            state,
            how=data.how,
            executed_on=data.executed_on,
            payments=payments,
            rules=rulebook.by_code(row.rule_set),
            approver=data.approver or actor_name(_principal(uow)),
            opinion=data.opinion,
            at=_now(),
        )
        apply_state(row, state)
        await uow.session.flush()
        _add_entry(uow, row, entry)
        _record(
            uow,
            row,
            CaseExecutedV1(
                **_common(row),
                case_number=row.case_number,
                executed_on=data.executed_on.isoformat(),
                how=data.how.value,
                fine_paid_fen=row.fine_paid_fen,
                late_charge_paid_fen=row.late_charge_paid_fen,
                from_stage=entry.from_stage.value,
                to_stage=entry.to_stage.value,
                approver=entry.approver,
                opinion=entry.opinion,
            ),
        )
        await uow.commit()
        return row


async def close(
    *,
    uow: UnitOfWork,
    settings: EnforcementSettings,
    rulebook: RuleBook,
    case_id: uuid.UUID,
    data: ClosureRecord,
    if_match: str | None,
) -> PenaltyCase:
    """-> closed; publishes case.closed."""

    def event(row: PenaltyCase, entry: StageEntry) -> EventPayload:
        return CaseClosedV1(
            **_common(row),
            case_number=row.case_number,
            closed_on=data.closed_on.isoformat(),
            approver=entry.approver,
            from_stage=entry.from_stage.value,
            to_stage=entry.to_stage.value,
            opinion=entry.opinion,
        )

    return await _step(
        uow=uow,
        settings=settings,
        rulebook=rulebook,
        on=data.closed_on,
        case_id=case_id,
        if_match=if_match,
        step=data,
        event=event,
        transition=lambda s, r, who: domain.close(
            s, closed_on=data.closed_on, approver=who, opinion=data.opinion, at=_now()
        ),
    )


async def archive(
    *,
    uow: UnitOfWork,
    settings: EnforcementSettings,
    rulebook: RuleBook,
    case_id: uuid.UUID,
    data: ArchiveRecord,
    if_match: str | None,
) -> PenaltyCase:
    """closed -> archived; from then on the case is immutable (409); publishes case.archived."""
    async with uow:
        row = await _load_for_change(uow, settings, case_id, if_match, on=data.archived_on)
        state = to_state(row)
        number = None
        if state.stage is Stage.CLOSED:
            number = await _document_number(
                uow,
                settings,
                kind="archive",
                unit_code=row.delegated_township_code or row.unit_code,
                year=data.archived_on.year,
            )
        entry = domain.archive(
            state,
            archived_on=data.archived_on,
            archive_number=number or "",
            approver=data.approver or actor_name(_principal(uow)),
            opinion=data.opinion,
            at=_now(),
        )
        apply_state(row, state)
        await uow.session.flush()
        _add_entry(uow, row, entry)
        _record(
            uow,
            row,
            CaseArchivedV1(
                case_id=str(row.id),
                case_number=row.case_number,
                archived_on=data.archived_on.isoformat(),
                archive_number=row.archive_number or "",
                township_code=row.township_code,
                from_stage=entry.from_stage.value,
                to_stage=entry.to_stage.value,
                approver=entry.approver,
                opinion=entry.opinion,
            ),
        )
        await uow.commit()
        return row


async def add_evidence(
    *, uow: UnitOfWork, settings: EnforcementSettings, case_id: uuid.UUID, data: EvidenceCreate
) -> CaseEvidence:
    """List an item of evidence with its attachments; publishes case.evidence_added."""
    async with uow:
        row = await _load_for_change(uow, settings, case_id, None, on=data.collected_on)
        domain.ensure_can_add_evidence(to_state(row))
        evidence = CaseEvidence(
            id=uuid.uuid4(),
            case_id=row.id,
            kind=data.kind,
            title=data.title,
            description=data.description,
            collected_on=data.collected_on,
            collected_by=data.collected_by,
            attachments=[a.model_dump() for a in data.attachments],
            created_by=actor_name(_principal(uow)),
        )
        uow.session.add(evidence)
        # The case's version rises with each change to its file, evidence included.
        row.updated_at = _now()
        await uow.session.flush()
        _record(
            uow,
            row,
            CaseEvidenceAddedV1(
                case_id=str(row.id),
                evidence_id=str(evidence.id),
                kind=evidence.kind,
                title=evidence.title,
                attachment_ids=[a.storage_key for a in data.attachments],
                township_code=row.township_code,
            ),
        )
        await uow.commit()
        return evidence


@dataclass
class CaseFile:
    """A case with everything on its file."""

    case: PenaltyCase
    history: list[CaseStageEntry]
    evidence: list[CaseEvidence]
    payments: list[CasePayment]
    owed: tuple[date, int, int]
    clocks: list[ClockStatus]


async def get_case(*, uow: UnitOfWork, rulebook: RuleBook, case_id: uuid.UUID, today: date) -> CaseFile:
    """A case with its history, evidence, payments, what is owed today and its clocks."""
    async with uow:
        row = await repository.get(uow.session, case_id)
        if row is None:
            raise CaseNotFound("case not found")
        ensure_visible(_principal(uow), row.township_code, "case")
        payments = await repository.payments(uow.session, row.id)
        state = to_state(row)
        rules = rulebook.by_code(row.rule_set)
        fine_out, charge_out = domain.owed_on(
            state, on=today, payments=[(p.paid_on, p.fine_part_fen) for p in payments], rules=rules
        )
        return CaseFile(
            case=row,
            history=await repository.history(uow.session, row.id),
            evidence=await repository.evidence(uow.session, row.id),
            payments=payments,
            owed=(today, fine_out, charge_out),
            clocks=domain.open_clocks(state, today=today, rules=rules),
        )


async def list_cases(
    *, uow: UnitOfWork, filters: repository.CaseFilter, page: PageParams
) -> tuple[list[PenaltyCase], str | None, int | None]:
    """A page of cases in the caller's jurisdiction, most recently filed first."""
    async with uow:
        f = replace(filters, jurisdiction_prefixes=_principal(uow).jurisdiction_prefixes())
        rows = await repository.list_page(uow.session, f, limit=page.limit + 1, after=date_id_after(page.cursor))
        items, next_cursor = cut_page(rows, page.limit, lambda r: (r.filed_on, r.id))
        total = await repository.count(uow.session, f) if page.include_total else None
        return items, next_cursor, total


@dataclass(frozen=True)
class CaseClock:
    """A running limit of a case."""

    case: PenaltyCase
    clock: ClockStatus


def _horizon(rulebook: RuleBook, today: date) -> date:
    return today + timedelta(days=max(r.nearing_days for r in rulebook.rule_sets))


def _statuses(rulebook: RuleBook, row: PenaltyCase, today: date, clock: str) -> list[ClockStatus]:
    rules = rulebook.by_code(row.rule_set)
    return [c for c in domain.open_clocks(to_state(row), today=today, rules=rules) if c.clock == clock]


async def list_clocks(
    *, uow: UnitOfWork, rulebook: RuleBook, today: date, status: str | None, limit: int
) -> list[CaseClock]:
    """Cases nearing or past a legal limit in the caller's jurisdiction, most urgent first."""
    async with uow:
        prefixes = _principal(uow).jurisdiction_prefixes()
        due_from = today if status == "nearing" else None
        due_until = today - timedelta(days=1) if status == "overdue" else _horizon(rulebook, today)
        found: list[CaseClock] = []
        for clock in repository.CLOCKS:
            rows = await repository.cases_due(
                uow.session,
                clock=clock,
                due_from=due_from,
                due_until=due_until,
                jurisdiction_prefixes=prefixes,
                limit=limit,
            )
            for row in rows:
                found.extend(CaseClock(row, c) for c in _statuses(rulebook, row, today, clock) if c.status != "running")
        found.sort(key=lambda c: (c.clock.due_on, str(c.case.id), c.clock.clock))
        return found[:limit]


async def emit_clock_warnings(*, uow: UnitOfWork, rulebook: RuleBook, today: date, batch: int = 5000) -> int:
    """Emit case.clock_warning once per case, clock, due date and status (idempotent in SQL); at most
    `batch` per clock and status in one run, the rest in the next runs."""
    emitted = 0
    windows = {"overdue": (None, today - timedelta(days=1)), "nearing": (today, _horizon(rulebook, today))}
    for clock in repository.CLOCKS:
        for status, (due_from, due_until) in windows.items():
            rows = await repository.cases_due(
                uow.session, clock=clock, due_from=due_from, due_until=due_until, not_warned_as=status, limit=batch
            )
            for row in rows:
                for state in _statuses(rulebook, row, today, clock):
                    if state.status != status or not await repository.claim_warning(
                        uow.session, case_id=row.id, clock=clock, due_on=state.due_on, status=status
                    ):
                        continue
                    emitted += 1
                    uow.record(
                        CaseClockWarningV1(
                            **_common(row),
                            case_number=row.case_number,
                            clock=clock,
                            status=status,
                            due_on=state.due_on.isoformat(),
                            days_left=state.days_left,
                        ),
                        aggregate_id=str(row.id),
                        # A warning changes no state: it carries the version it was computed from.
                        aggregate_version=row.version,
                        jurisdiction=row.township_code,
                    )
    return emitted


@dataclass(frozen=True)
class Counts:
    """Case counts of a year."""

    filed_general: int
    simplified: int
    by_units: dict[str, int]
    delegated_total: int
    delegated_by_township: dict[str, int]


async def count_cases(*, uow: UnitOfWork, year: int) -> Counts:
    """Cases of a year, with delegated township cases counted separately."""
    async with uow:
        rows = await repository.counts_for_year(
            uow.session, year=year, jurisdiction_prefixes=_principal(uow).jurisdiction_prefixes()
        )
    general = simplified = delegated_total = 0
    by_units: dict[str, int] = {}
    by_township: dict[str, int] = {}
    for procedure, delegated, township, unit, n in rows:
        if procedure == "general":
            general += n
        else:
            simplified += n
        if delegated and township:
            delegated_total += n
            by_township[township] = by_township.get(township, 0) + n
        else:
            by_units[unit] = by_units.get(unit, 0) + n
    return Counts(general, simplified, by_units, delegated_total, by_township)
