"""The procedural steps of a case, one table row each, taken by one generic use case; and the other
changes to a case's file (an item's outcome, evidence)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm.attributes import flag_modified

from enforcement_service.access import actor_name
from enforcement_service.cases import domain, events, repository
from enforcement_service.cases.domain import CaseState, PenaltyItem, StageEntry
from enforcement_service.cases.handling import document_number, load_for_change, record_step
from enforcement_service.cases.mapping import to_state
from enforcement_service.cases.models import CaseEvidence, PenaltyCase
from enforcement_service.cases.rules import ProcedureRules
from enforcement_service.cases.schemas import EvidenceCreate, ItemOutcomeRecord
from enforcement_service.config import EnforcementSettings
from shared import clock
from shared.auth.principal import Principal
from shared.contracts.envelope import EventPayload
from shared.db import UnitOfWork
from shared.rules import DatedRules


@dataclass(frozen=True)
class Taking:
    """What a transition gets besides the case and the request body."""

    rules: ProcedureRules
    approver: str
    opinion: str | None
    at: datetime
    payments: list[tuple[date, int]]
    number: str

    @property
    def signed(self) -> dict[str, Any]:
        """Who approved the step, with what opinion, and when: the arguments every transition takes."""
        return {"approver": self.approver, "opinion": self.opinion, "at": self.at}


@dataclass(frozen=True)
class ProcedureStep:
    """One procedural step: the day of the act, the penalty items it concerns (both checked against a
    township's delegation), the transition of the state machine and the event it publishes."""

    transition: Callable[[CaseState, Any, Taking], StageEntry]
    on: Callable[[Any], date | None] = lambda body: None
    items: Callable[[Any], list[PenaltyItem]] = lambda body: []
    event: Callable[[PenaltyCase, StageEntry, Any, Taking], EventPayload] = lambda row, entry, body, taking: (
        events.stage_changed(row, entry)
    )
    document: str | None = None  # the kind of document number the step issues
    needs_payments: bool = False


def _items(body: Any) -> list[PenaltyItem]:
    return [i.to_domain() for i in body.items]


def _court_enforcement_event(row: PenaltyCase, entry: StageEntry, body: Any, taking: Taking) -> EventPayload:
    fine_out, charge_out = domain.owed_on(
        to_state(row), on=body.requested_on, payments=taking.payments, rules=taking.rules
    )
    return events.court_enforcement_requested(row, body, fine_outstanding_fen=fine_out, late_charge_fen=charge_out)


STEPS: dict[str, ProcedureStep] = {
    "start_investigation": ProcedureStep(
        transition=lambda s, b, t: domain.start_investigation(s, officers=b.officers, **t.signed),
    ),
    "record_legal_review": ProcedureStep(
        on=lambda b: b.reviewed_on,
        items=_items,
        transition=lambda s, b, t: domain.legal_review(
            s, proposed_items=_items(b), reviewed_on=b.reviewed_on, **t.signed
        ),
    ),
    "record_collective_discussion": ProcedureStep(
        on=lambda b: b.discussed_on,
        transition=lambda s, b, t: domain.collective_discussion(s, discussed_on=b.discussed_on, **t.signed),
    ),
    "notify": ProcedureStep(
        on=lambda b: b.notified_on,
        items=_items,
        transition=lambda s, b, t: domain.notify(
            s, proposed_items=_items(b), notified_on=b.notified_on, rules=t.rules, **t.signed
        ),
    ),
    "waive_hearing": ProcedureStep(transition=lambda s, b, t: domain.waive_hearing(s, **t.signed)),
    "request_hearing": ProcedureStep(
        on=lambda b: b.hearing_noticed_on,
        transition=lambda s, b, t: domain.request_hearing(
            s,
            requested_on=b.requested_on,
            hearing_noticed_on=b.hearing_noticed_on,
            hearing_on=b.hearing_on,
            rules=t.rules,
            **t.signed,
        ),
    ),
    "hold_hearing": ProcedureStep(
        on=lambda b: b.held_on,
        transition=lambda s, b, t: domain.hold_hearing(s, held_on=b.held_on, **t.signed),
    ),
    "extend_deadline": ProcedureStep(
        # The extension's approval states its reason, so the opinion is never left out.
        transition=lambda s, b, t: domain.extend_deadline(
            s, rules=t.rules, approver=t.approver, opinion=b.opinion or "", at=t.at
        ),
    ),
    "decide": ProcedureStep(
        on=lambda b: b.decided_on,
        items=_items,
        document="decision",
        transition=lambda s, b, t: domain.decide(
            s,
            outcome=b.outcome,
            items=_items(b),
            decided_on=b.decided_on,
            decision_number=t.number,
            rules=t.rules,
            **t.signed,
        ),
        event=lambda row, entry, b, t: events.decided(row, entry, b),
    ),
    "serve": ProcedureStep(
        on=lambda b: b.served_on,
        transition=lambda s, b, t: domain.serve(s, served_on=b.served_on, rules=t.rules, **t.signed),
        event=lambda row, entry, b, t: events.served(row, entry, b),
    ),
    "request_court_enforcement": ProcedureStep(
        on=lambda b: b.requested_on,
        needs_payments=True,
        transition=lambda s, b, t: domain.request_court_enforcement(
            s, requested_on=b.requested_on, court=b.court, **t.signed
        ),
        event=_court_enforcement_event,
    ),
    "execute": ProcedureStep(
        on=lambda b: b.executed_on,
        needs_payments=True,
        transition=lambda s, b, t: domain.execute(
            s, how=b.how, executed_on=b.executed_on, payments=t.payments, rules=t.rules, **t.signed
        ),
        event=lambda row, entry, b, t: events.executed(row, entry, b),
    ),
    "close": ProcedureStep(
        on=lambda b: b.closed_on,
        transition=lambda s, b, t: domain.close(s, closed_on=b.closed_on, **t.signed),
        event=lambda row, entry, b, t: events.closed(row, entry, b),
    ),
    "archive": ProcedureStep(
        on=lambda b: b.archived_on,
        document="archive",
        transition=lambda s, b, t: domain.archive(s, archived_on=b.archived_on, archive_number=t.number, **t.signed),
        event=lambda row, entry, b, t: events.archived(row, entry, b),
    ),
}


async def take_step(
    name: str,
    *,
    uow: UnitOfWork,
    actor: Principal,
    settings: EnforcementSettings,
    rules: DatedRules[ProcedureRules],
    case_id: uuid.UUID,
    body: Any,
    if_match: str | None,
) -> PenaltyCase:
    """Take the procedural step `name` of STEPS on a case with the request `body`; publishes its event."""
    step = STEPS[name]
    async with uow:
        on = step.on(body)
        row = await load_for_change(uow, actor=actor, case_id=case_id, if_match=if_match, on=on, items=step.items(body))
        state = to_state(row)
        payments = (
            [(p.paid_on, p.fine_part_fen) for p in await repository.payments(uow.session, row.id)]
            if step.needs_payments
            else []
        )
        number = ""
        # Numbers stay gapless: a refused step rolls back the number it drew with everything else.
        if step.document is not None:
            assert on is not None  # a step that issues a document is dated
            unit = row.delegated_township_code or row.unit_code
            number = await document_number(uow, settings, kind=step.document, unit_code=unit, on=on)
        approver = body.approver or actor_name(actor)
        taking = Taking(rules.by(row.rule_set), approver, body.opinion, clock.now(), payments, number)
        entry = step.transition(state, body, taking)
        await record_step(uow, row, state, entry, lambda r, e: step.event(r, e, body, taking))
        await uow.commit()
        return row


async def record_item_outcome(
    *,
    uow: UnitOfWork,
    actor: Principal,
    case_id: uuid.UUID,
    item_id: str,
    body: ItemOutcomeRecord,
    if_match: str | None,
) -> PenaltyCase:
    """Record the government's, the police's or the reinstatement outcome of an item."""
    async with uow:
        row = await load_for_change(uow, actor=actor, case_id=case_id, if_match=if_match, on=body.decided_on)
        state = to_state(row)
        item = domain.record_item_outcome(
            state,
            item_id=item_id,
            outcome=body.outcome,
            decided_by=body.decided_by,
            decided_on=body.decided_on,
            persons=body.persons,
        )
        action = f"item_outcome:{item.kind.value}"
        entry = StageEntry(action, state.stage, state.stage, body.decided_by, body.outcome, clock.now())
        await record_step(uow, row, state, entry, lambda r, _: events.item_outcome_recorded(r, item, body))
        await uow.commit()
        return row


async def add_evidence(*, uow: UnitOfWork, actor: Principal, case_id: uuid.UUID, body: EvidenceCreate) -> CaseEvidence:
    """List an item of evidence with its attachments; publishes case.evidence_added."""
    async with uow:
        row = await load_for_change(uow, actor=actor, case_id=case_id, if_match=None, on=body.collected_on)
        domain.ensure_can_add_evidence(to_state(row))
        evidence = CaseEvidence(
            id=uuid.uuid4(),
            case_id=row.id,
            kind=body.kind,
            title=body.title,
            description=body.description,
            collected_on=body.collected_on,
            collected_by=body.collected_by,
            attachments=[a.model_dump() for a in body.attachments],
            created_by=actor_name(actor),
        )
        uow.session.add(evidence)
        # The case's version rises with each change to its file, evidence included.
        row.updated_at = clock.now()
        flag_modified(row, "updated_at")  # even when a frozen clock gives the same time
        await uow.session.flush()
        uow.record_for(row, events.evidence_added(row, evidence))
        await uow.commit()
        return evidence
