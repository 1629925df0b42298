"""Payments towards a case's fine and its late charge."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from enforcement_service.access import actor_name
from enforcement_service.cases import domain, events, repository
from enforcement_service.cases.handling import load_for_change
from enforcement_service.cases.mapping import apply_state, to_state
from enforcement_service.cases.models import CasePayment, PenaltyCase
from enforcement_service.cases.rules import ProcedureRules
from enforcement_service.cases.schemas import PaymentCreate
from shared.auth.principal import Principal
from shared.db import UnitOfWork
from shared.rules import DatedRules


@dataclass(frozen=True)
class PaymentOutcome:
    """A recorded payment, what remains owed, and the case after it."""

    payment: CasePayment
    allocation: domain.PaymentAllocation
    case: PenaltyCase


async def record_payment(
    *,
    uow: UnitOfWork,
    actor: Principal,
    rules: DatedRules[ProcedureRules],
    case_id: uuid.UUID,
    body: PaymentCreate,
    if_match: str | None,
) -> PaymentOutcome:
    """Record a payment (fine first, then late charge); publishes case.payment_recorded."""
    async with uow:
        row = await load_for_change(uow, actor=actor, case_id=case_id, if_match=if_match, on=body.paid_on)
        previous = [(p.paid_on, p.fine_part_fen) for p in await repository.payments(uow.session, row.id)]
        state = to_state(row)
        allocation = domain.record_payment(
            state,
            paid_on=body.paid_on,
            amount_fen=body.amount_fen,
            previous_payments=previous,
            rules=rules.by(row.rule_set),
        )
        apply_state(row, state)
        payment = CasePayment(
            id=uuid.uuid4(),
            case_id=row.id,
            paid_on=body.paid_on,
            amount_fen=body.amount_fen,
            fine_part_fen=allocation.fine_part_fen,
            late_charge_part_fen=allocation.late_charge_part_fen,
            receipt_number=body.receipt_number,
            created_by=actor_name(actor),
        )
        uow.session.add(payment)
        await uow.session.flush()
        uow.record_for(
            row,
            events.payment_recorded(
                row,
                payment,
                fine_out=allocation.fine_outstanding_fen,
                charge_out=allocation.late_charge_outstanding_fen,
            ),
        )
        await uow.commit()
        return PaymentOutcome(payment, allocation, row)
