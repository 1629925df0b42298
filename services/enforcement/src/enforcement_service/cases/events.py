"""The contract events of a penalty case, built from its row and the step just recorded."""

from __future__ import annotations

from datetime import date
from typing import Any

from enforcement_service.cases.domain import CaseState, ClockStatus, ItemKind, PenaltyItem, StageEntry
from enforcement_service.cases.mapping import items_json, to_state
from enforcement_service.cases.models import CaseEvidence, CasePayment, PenaltyCase
from enforcement_service.cases.schemas import (
    ArchiveRecord,
    ClosureRecord,
    CourtEnforcementRecord,
    DecisionRecord,
    ExecutionRecord,
    ItemOutcomeRecord,
    ServiceRecord,
)
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


def _handling(row: PenaltyCase) -> dict[str, Any]:
    """Which case, where, and which unit handles it (under delegation or not)."""
    return {
        "case_id": str(row.id),
        "township_code": row.township_code,
        "unit_code": row.unit_code,
        "delegated": row.delegated,
        "delegated_township_code": row.delegated_township_code,
    }


def _case(row: PenaltyCase) -> dict[str, Any]:
    """The handling fields with the case number."""
    return {**_handling(row), "case_number": row.case_number}


def _moved(entry: StageEntry) -> dict[str, Any]:
    """The stages a step moved between, with its approval."""
    return {
        "from_stage": entry.from_stage.value,
        "to_stage": entry.to_stage.value,
        "approver": entry.approver,
        "opinion": entry.opinion,
    }


def _party(row: PenaltyCase) -> dict[str, Any]:
    return {
        "party_type": row.party_type,
        "enterprise_id": str(row.enterprise_id) if row.enterprise_id else None,
        "unit_type": row.unit_type,
        "industry_code": row.industry_code,
        "campaign_code": row.campaign_code,
    }


def _optional_id(value: object | None) -> str | None:
    return str(value) if value else None


def _items_v1(items: list[PenaltyItem]) -> list[PenaltyItemV1]:
    return [PenaltyItemV1.model_validate(i) for i in items_json(items)]


def stage_changed(row: PenaltyCase, entry: StageEntry) -> CaseStageChangedV1:
    """case.stage_changed: a procedural step without an event of its own."""
    return CaseStageChangedV1(
        **_case(row),
        **_moved(entry),
        changed_at=entry.at.isoformat(),
        hearing_requested=row.hearing_requested_on is not None if entry.action == "request_hearing" else None,
        officers=list(row.officers or []),
        action=entry.action,
        decide_by=row.decide_by.isoformat(),
    )


def filed(row: PenaltyCase) -> CaseFiledV1:
    """case.filed."""
    return CaseFiledV1(
        **_case(row),
        **_party(row),
        procedure=row.procedure,
        party_name=row.party_name,
        delegation_id=_optional_id(row.delegation_id),
        filed_on=row.filed_on.isoformat(),
        rule_set=row.rule_set,
        decide_by=row.decide_by.isoformat(),
        cause=row.cause,
        source=row.source,
        inspection_id=_optional_id(row.inspection_id),
        lead_id=_optional_id(row.lead_id),
    )


def simplified_decided(
    row: PenaltyCase, state: CaseState, *, decided_on: date, warning: bool, fine_fen: int
) -> CaseSimplifiedDecidedV1:
    """case.simplified_decided: the only event of an on-the-spot decision."""
    return CaseSimplifiedDecidedV1(
        **_case(row),
        **_party(row),
        party_name=row.party_name,
        decided_on=decided_on.isoformat(),
        warning=warning,
        fine_fen=fine_fen,
        officers=state.officers,
        pay_by=state.pay_by.isoformat() if state.pay_by else None,
        items=_items_v1(state.items),
    )


def decided(row: PenaltyCase, entry: StageEntry, body: DecisionRecord) -> CaseDecidedV1:
    """case.decided, with the totals of the penalty items statistics count."""
    items = to_state(row).items
    kinds = [i.kind for i in items]
    return CaseDecidedV1(
        **_case(row),
        **_party(row),
        **_moved(entry),
        procedure=row.procedure,
        outcome=body.outcome.value,
        decided_on=body.decided_on.isoformat(),
        decision_number=row.decision_number,
        items=_items_v1(items),
        fine_total_fen=row.fine_total_fen,
        confiscation_value_fen=sum(i.value_fen or 0 for i in items if i.kind is ItemKind.CONFISCATION),
        stop_production=ItemKind.STOP_PRODUCTION in kinds,
        licence_actions=sum(1 for k in kinds if k in (ItemKind.LICENCE_SUSPENSION, ItemKind.LICENCE_REVOCATION)),
        closure_referrals=kinds.count(ItemKind.CLOSURE_REFERRAL),
        detention_referrals=kinds.count(ItemKind.DETENTION_REFERRAL),
        detention_persons=sum(i.persons or 0 for i in items if i.kind is ItemKind.DETENTION_REFERRAL),
    )


def served(row: PenaltyCase, entry: StageEntry, body: ServiceRecord) -> CaseServedV1:
    """case.served: the payment period starts."""
    return CaseServedV1(
        **_case(row),
        **_moved(entry),
        served_on=body.served_on.isoformat(),
        method=body.method,
        pay_by=row.pay_by.isoformat() if row.pay_by else None,
    )


def executed(row: PenaltyCase, entry: StageEntry, body: ExecutionRecord) -> CaseExecutedV1:
    """case.executed."""
    return CaseExecutedV1(
        **_case(row),
        **_moved(entry),
        executed_on=body.executed_on.isoformat(),
        how=body.how.value,
        fine_paid_fen=row.fine_paid_fen,
        late_charge_paid_fen=row.late_charge_paid_fen,
    )


def closed(row: PenaltyCase, entry: StageEntry, body: ClosureRecord) -> CaseClosedV1:
    """case.closed."""
    return CaseClosedV1(**_case(row), **_moved(entry), closed_on=body.closed_on.isoformat())


def archived(row: PenaltyCase, entry: StageEntry, body: ArchiveRecord) -> CaseArchivedV1:
    """case.archived: from now on the case is immutable."""
    return CaseArchivedV1(
        **_moved(entry),
        case_id=str(row.id),
        case_number=row.case_number,
        archived_on=body.archived_on.isoformat(),
        archive_number=row.archive_number or "",
        township_code=row.township_code,
    )


def court_enforcement_requested(
    row: PenaltyCase, body: CourtEnforcementRecord, *, fine_outstanding_fen: int, late_charge_fen: int
) -> CaseCourtEnforcementRequestedV1:
    """case.court_enforcement_requested, with what is owed on the day of the application."""
    return CaseCourtEnforcementRequestedV1(
        case_id=str(row.id),
        requested_on=body.requested_on.isoformat(),
        court=body.court,
        fine_outstanding_fen=fine_outstanding_fen,
        late_charge_fen=late_charge_fen,
        township_code=row.township_code,
    )


def item_outcome_recorded(row: PenaltyCase, item: PenaltyItem, body: ItemOutcomeRecord) -> CaseItemOutcomeRecordedV1:
    """case.item_outcome_recorded."""
    return CaseItemOutcomeRecordedV1(
        case_id=str(row.id),
        item_id=item.item_id,
        kind=item.kind.value,
        outcome=body.outcome,
        decided_by=body.decided_by,
        decided_on=body.decided_on.isoformat(),
        persons=item.persons,
        township_code=row.township_code,
        unit_code=row.unit_code,
    )


def payment_recorded(
    row: PenaltyCase, payment: CasePayment, *, fine_out: int, charge_out: int
) -> CasePaymentRecordedV1:
    """case.payment_recorded, with what remains owed."""
    return CasePaymentRecordedV1(
        **_handling(row),
        payment_id=str(payment.id),
        paid_on=payment.paid_on.isoformat(),
        amount_fen=payment.amount_fen,
        fine_part_fen=payment.fine_part_fen,
        late_charge_part_fen=payment.late_charge_part_fen,
        fine_outstanding_fen=fine_out,
        late_charge_outstanding_fen=charge_out,
    )


def evidence_added(row: PenaltyCase, evidence: CaseEvidence) -> CaseEvidenceAddedV1:
    """case.evidence_added."""
    return CaseEvidenceAddedV1(
        case_id=str(row.id),
        evidence_id=str(evidence.id),
        kind=evidence.kind,
        title=evidence.title,
        attachment_ids=[a["storage_key"] for a in evidence.attachments],
        township_code=row.township_code,
    )


def clock_warning(row: PenaltyCase, status: ClockStatus) -> CaseClockWarningV1:
    """case.clock_warning for one clock of a case."""
    return CaseClockWarningV1(
        **_case(row),
        clock=status.clock,
        status=status.status,
        due_on=status.due_on.isoformat(),
        days_left=status.days_left,
    )
