"""Importing closed penalty cases through the case's own use cases: each row is decided on the spot, or filed and
taken through the general procedure to its decision, then paid, executed and closed on its own days, exactly as the
API would take those steps, all in one unit of work."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from enforcement_service.cases import filing, payments, steps
from enforcement_service.cases.domain import ExecutionHow, ItemKind, Outcome
from enforcement_service.cases.mapping import to_state
from enforcement_service.cases.models import PenaltyCase
from enforcement_service.cases.rules import ProcedureRules
from enforcement_service.cases.schemas import (
    CaseCreate,
    ClosureRecord,
    CollectiveDiscussionRecord,
    DecisionRecord,
    ExecutionRecord,
    InvestigationStart,
    ItemOutcomeRecord,
    LegalReviewRecord,
    NoticeRecord,
    PaymentCreate,
    PenaltyItemIn,
    ServiceRecord,
    SimplifiedCreate,
    Step,
)
from enforcement_service.config import EnforcementSettings
from enforcement_service.enterprises.models import EnterpriseView
from enforcement_service.imports.schemas import SimplifiedCaseRow
from shared.auth.principal import Principal
from shared.db import UnitOfWork
from shared.errors import field_error
from shared.imports import RowFailed
from shared.rules import DatedRules


async def _enterprise(session: AsyncSession, credit_code: str) -> EnterpriseView:
    found = await session.scalar(select(EnterpriseView).where(EnterpriseView.credit_code == credit_code).limit(1))
    if found is None:
        raise RowFailed("unknown enterprise", errors=[field_error("credit_code", "no such enterprise")])
    return found


class SimplifiedCaseSteps:
    """One row's case, taken as `actor` under the service's settings and procedure rules."""

    def __init__(self, actor: Principal, settings: EnforcementSettings, rules: DatedRules[ProcedureRules]) -> None:
        self.actor = actor
        self.settings = settings
        self.rules = rules

    async def apply(self, uow: UnitOfWork, row: SimplifiedCaseRow) -> str:
        """Decide the case on its day, then record the payment, execution and closure the row dates; the outcome
        is the case's last stage."""
        problem = row.order_problem()
        if problem:
            raise RowFailed(problem[1], errors=[field_error(*problem)])
        party = await _enterprise(uow.session, row.credit_code.upper()) if row.credit_code else None
        who: dict[str, Any] = {"party_type": row.party_type, "party_name": row.party_name}
        who |= {"township_code": row.township_code, "unit_code": row.unit_code}
        who["enterprise_id"] = party.enterprise_id if party is not None else None
        if row.procedure == "general":
            case = await self._general(uow, row, who)
        else:
            decision = SimplifiedCreate(
                **who,
                cause=row.cause,
                decided_on=row.decided_on,
                warning=row.warning,
                fine_fen=row.fine_fen,
                officers=row.officers,
            )
            case = await filing.decide_simplified(
                uow=uow, actor=self.actor, settings=self.settings, rules=self.rules, data=decision
            )
        if row.paid_on is not None and row.fine_fen:
            paid = PaymentCreate(paid_on=row.paid_on, amount_fen=row.fine_fen)
            await payments.record_payment(
                uow=uow, actor=self.actor, rules=self.rules, case_id=case.id, body=paid, if_match=None
            )
        if row.closure_approved_on is not None:
            (item,) = [i for i in to_state(case).items if i.kind is ItemKind.CLOSURE_REFERRAL]
            outcome = ItemOutcomeRecord(
                outcome="closure_approved", decided_by="人民政府", decided_on=row.closure_approved_on
            )
            case = await steps.record_item_outcome(
                uow=uow, actor=self.actor, case_id=case.id, item_id=item.item_id, body=outcome, if_match=None
            )
        if row.executed_on is not None:
            how = ExecutionHow.VOLUNTARY if row.fine_fen else ExecutionHow.NOT_APPLICABLE
            case = await self._step(uow, "execute", case, ExecutionRecord(how=how, executed_on=row.executed_on))
        if row.closed_on is not None:
            case = await self._step(uow, "close", case, ClosureRecord(closed_on=row.closed_on))
        return str(case.stage)

    async def _general(self, uow: UnitOfWork, row: SimplifiedCaseRow, who: dict[str, Any]) -> PenaltyCase:
        """File the case, investigate, review and discuss it when the row dates those, notify (the party waived a
        hearing), decide the row's penalty and serve the decision."""
        # The row model requires these dates of a general-procedure case.
        assert row.filed_on is not None
        assert row.notified_on is not None
        assert row.served_on is not None
        filed = CaseCreate(**who, cause=row.cause, filed_on=row.filed_on)
        case = await filing.file_case(uow=uow, actor=self.actor, settings=self.settings, rules=self.rules, data=filed)
        items = [PenaltyItemIn(kind=ItemKind.WARNING)] if row.warning else []
        items += [PenaltyItemIn(kind=ItemKind.FINE, amount_fen=row.fine_fen)] if row.fine_fen else []
        items += [PenaltyItemIn(kind=ItemKind.STOP_PRODUCTION)] if row.stop_production else []
        items += [PenaltyItemIn(kind=ItemKind.CLOSURE_REFERRAL)] if row.closure_referral else []
        taken: list[tuple[str, Step]] = [("start_investigation", InvestigationStart(officers=row.officers))]
        if row.reviewed_on is not None:
            taken.append(("record_legal_review", LegalReviewRecord(items=items, reviewed_on=row.reviewed_on)))
        if row.discussed_on is not None:
            taken.append(("record_collective_discussion", CollectiveDiscussionRecord(discussed_on=row.discussed_on)))
        taken += [
            ("notify", NoticeRecord(items=items, notified_on=row.notified_on)),
            ("waive_hearing", Step()),
            ("decide", DecisionRecord(outcome=Outcome.PENALTY, items=items, decided_on=row.decided_on)),
            ("serve", ServiceRecord(served_on=row.served_on)),
        ]
        for name, body in taken:
            case = await self._step(uow, name, case, body)
        return case

    async def _step(self, uow: UnitOfWork, name: str, case: PenaltyCase, body: Step) -> PenaltyCase:
        return await steps.take_step(
            name,
            uow=uow,
            actor=self.actor,
            settings=self.settings,
            rules=self.rules,
            case_id=case.id,
            body=body,
            if_match=None,
        )
