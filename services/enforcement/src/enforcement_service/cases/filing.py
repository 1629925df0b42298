"""Use cases that open a case: filing under the general procedure and deciding on the spot."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from enforcement_service.access import acting_unit, actor_name
from enforcement_service.cases import domain, events
from enforcement_service.cases.domain import CaseState, Stage, StageEntry
from enforcement_service.cases.handling import (
    EventOf,
    Handler,
    Party,
    document_number,
    handler_for,
    party_of,
    record_step,
)
from enforcement_service.cases.models import PenaltyCase
from enforcement_service.cases.rules import ProcedureRules
from enforcement_service.cases.schemas import CaseCreate, SimplifiedCreate
from enforcement_service.config import EnforcementSettings
from enforcement_service.delegations.domain import acts_of
from enforcement_service.leads.service import link_lead
from shared import clock
from shared.auth.principal import Principal
from shared.db import UnitOfWork
from shared.rules import DatedRules


@dataclass(frozen=True)
class Opening:
    """How a procedure opens a case: the act's day, what a township's delegation must cover for it, the
    document it numbers, and what the procedure refuses (before any delegation is checked, so a refusal
    names its real reason)."""

    on: date
    acts: list[str]
    fine_fen: int
    document: str
    vet: Callable[[Party], None] = lambda party: None


@dataclass(frozen=True)
class Opened:
    """Against whom, by whom and under which number a case opens."""

    party: Party
    handler: Handler
    number: str


async def _open(
    uow: UnitOfWork, settings: EnforcementSettings, actor: Principal, data: CaseCreate | SimplifiedCreate, how: Opening
) -> Opened:
    """The party, the unit handling the case and the number of its first document."""
    unit = acting_unit(actor, data.unit_code)
    party = await party_of(
        uow,
        actor=actor,
        party_type=data.party_type.value,
        party_name=data.party_name,
        enterprise_id=data.enterprise_id,
        township_code=data.township_code,
        check_visible=not unit.is_township,
    )
    how.vet(party)
    handler = await handler_for(
        uow, settings, unit, party=party, on=how.on, acts=how.acts, fine_fen=how.fine_fen, actor=actor
    )
    number = await document_number(uow, settings, kind=how.document, unit_code=handler.numbering_unit, on=how.on)
    return Opened(party, handler, number)


async def _insert(
    uow: UnitOfWork,
    *,
    actor: Principal,
    opened: Opened,
    state: CaseState,
    entry: StageEntry,
    event: EventOf,
    **origin: object,
) -> PenaltyCase:
    """Store a new case with its first history entry and event; `origin` says where it came from."""
    party, handler = opened.party, opened.handler
    row = PenaltyCase(
        id=uuid.uuid4(),
        case_number=opened.number,
        party_type=party.party_type,
        party_name=party.party_name,
        enterprise_id=party.enterprise_id,
        township_code=party.township_code,
        industry_code=party.industry_code,
        unit_type=handler.unit_type,
        unit_code=handler.unit_code,
        delegated=handler.delegated,
        delegated_township_code=handler.delegated_township_code,
        delegation_id=handler.delegation_id,
        created_by=actor_name(actor),
        **origin,
    )
    uow.session.add(row)
    await record_step(uow, row, state, entry, event)
    return row


async def file_case(
    *,
    uow: UnitOfWork,
    actor: Principal,
    settings: EnforcementSettings,
    rules: DatedRules[ProcedureRules],
    data: CaseCreate,
) -> PenaltyCase:
    """File a case (立案) under the general procedure; the time to decide starts; publishes case.filed."""
    async with uow:
        opened = await _open(uow, settings, actor, data, Opening(data.filed_on, acts_of("general"), 0, "case"))
        in_force = rules.on(data.filed_on)
        state = domain.new_general_case(party_type=opened.party.party_type, filed_on=data.filed_on, rules=in_force)
        approver = data.approver or actor_name(actor)
        row = await _insert(
            uow,
            actor=actor,
            opened=opened,
            state=state,
            entry=StageEntry("file", Stage.FILED, Stage.FILED, approver, data.opinion, clock.now()),
            event=lambda row, _: events.filed(row),
            cause=data.cause,
            source=data.source.value,
            inspection_id=data.inspection_id,
            lead_id=data.lead_id,
            campaign_code=data.campaign_code,
        )
        if data.lead_id is not None:
            await link_lead(uow, actor=actor, lead_id=data.lead_id, case_id=row.id)
        await uow.commit()
        return row


async def decide_simplified(
    *,
    uow: UnitOfWork,
    actor: Principal,
    settings: EnforcementSettings,
    rules: DatedRules[ProcedureRules],
    data: SimplifiedCreate,
) -> PenaltyCase:
    """Decide a penalty on the spot (warning or small fine); refused with the reason beyond the limits."""
    in_force = rules.on(data.decided_on)
    kinds = [*(["warning"] if data.warning else []), *(["fine"] if data.fine_fen else [])]
    within_limits = Opening(
        data.decided_on,
        acts_of("simplified", kinds),
        data.fine_fen,
        "simplified",
        vet=lambda p: domain.check_simplified(
            party_type=p.party_type, warning=data.warning, fine_fen=data.fine_fen, rules=in_force
        ),
    )
    async with uow:
        opened = await _open(uow, settings, actor, data, within_limits)
        state = domain.new_simplified_case(
            party_type=opened.party.party_type,
            decided_on=data.decided_on,
            warning=data.warning,
            fine_fen=data.fine_fen,
            decision_number=opened.number,
            rules=in_force,
        )
        state.officers = sorted({o.strip() for o in data.officers if o.strip()})
        if len(state.officers) < 2:
            raise domain.StageNotAllowed("a simplified decision is made by at least two officers")
        row = await _insert(
            uow,
            actor=actor,
            opened=opened,
            state=state,
            entry=StageEntry("decide_simplified", Stage.SERVED, Stage.SERVED, actor_name(actor), None, clock.now()),
            event=lambda row, _: events.simplified_decided(
                row, state, decided_on=data.decided_on, warning=data.warning, fine_fen=data.fine_fen
            ),
            cause=data.cause,
            source="on_the_spot",
            campaign_code=data.campaign_code,
        )
        await uow.commit()
        return row
