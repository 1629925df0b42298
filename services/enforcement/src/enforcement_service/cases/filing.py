"""Use cases that open a case: filing under the general procedure and deciding on the spot."""

from __future__ import annotations

import uuid
from collections.abc import Callable
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


async def _party_and_handler(
    uow: UnitOfWork,
    settings: EnforcementSettings,
    *,
    actor: Principal,
    data: CaseCreate | SimplifiedCreate,
    on: date,
    acts: list[str],
    fine_fen: int,
    vet: Callable[[Party], None],
) -> tuple[Party, Handler]:
    """The party and the unit handling the case; `vet` refuses what the procedure cannot take before any
    delegation is checked, so the refusal names its real reason."""
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
    vet(party)
    return party, await handler_for(uow, settings, unit, party=party, on=on, acts=acts, fine_fen=fine_fen)


async def _insert(
    uow: UnitOfWork,
    *,
    actor: Principal,
    party: Party,
    handler: Handler,
    number: str,
    state: CaseState,
    entry: StageEntry,
    event: EventOf,
    **origin: object,
) -> PenaltyCase:
    """Store a new case with its first history entry and event; `origin` says where it came from."""
    row = PenaltyCase(
        id=uuid.uuid4(),
        case_number=number,
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
        party, handler = await _party_and_handler(
            uow,
            settings,
            actor=actor,
            data=data,
            on=data.filed_on,
            acts=acts_of("general"),
            fine_fen=0,
            vet=lambda _: None,
        )
        state = domain.new_general_case(
            party_type=party.party_type, filed_on=data.filed_on, rules=rules.on(data.filed_on)
        )
        number = await document_number(uow, settings, kind="case", unit_code=handler.numbering_unit, on=data.filed_on)
        approver = data.approver or actor_name(actor)
        row = await _insert(
            uow,
            actor=actor,
            party=party,
            handler=handler,
            number=number,
            state=state,
            entry=StageEntry("file", Stage.FILED, Stage.FILED, approver, data.opinion, clock.now()),
            event=lambda row, _: events.filed(row),
            cause=data.cause,
            source=data.source.value,
            inspection_id=data.inspection_id,
            lead_id=data.lead_id,
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
    async with uow:
        party, handler = await _party_and_handler(
            uow,
            settings,
            actor=actor,
            data=data,
            on=data.decided_on,
            acts=acts_of("simplified", kinds),
            fine_fen=data.fine_fen,
            vet=lambda p: domain.check_simplified(
                party_type=p.party_type, warning=data.warning, fine_fen=data.fine_fen, rules=in_force
            ),
        )
        number = await document_number(
            uow, settings, kind="simplified", unit_code=handler.numbering_unit, on=data.decided_on
        )
        state = domain.new_simplified_case(
            party_type=party.party_type,
            decided_on=data.decided_on,
            warning=data.warning,
            fine_fen=data.fine_fen,
            decision_number=number,
            rules=in_force,
        )
        state.officers = sorted({o.strip() for o in data.officers if o.strip()})
        if len(state.officers) < 2:
            raise domain.StageNotAllowed("a simplified decision is made by at least two officers")
        row = await _insert(
            uow,
            actor=actor,
            party=party,
            handler=handler,
            number=number,
            state=state,
            entry=StageEntry("decide_simplified", Stage.SERVED, Stage.SERVED, actor_name(actor), None, clock.now()),
            event=lambda row, _: events.simplified_decided(
                row, state, decided_on=data.decided_on, warning=data.warning, fine_fen=data.fine_fen
            ),
            cause=data.cause,
            source="on_the_spot",
        )
        await uow.commit()
        return row
