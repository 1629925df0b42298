"""Use cases of case leads."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from enforcement_service.access import actor_name
from enforcement_service.leads import domain, repository
from enforcement_service.leads.domain import LeadStatus
from enforcement_service.leads.models import CaseLead
from enforcement_service.leads.schemas import LeadAccept, LeadDismiss
from enforcement_service.paging import cut_page, date_id_after
from enforcement_service.payloads import from_row, on_wire
from shared.auth.principal import Principal
from shared.auth.scope import Scope
from shared.contracts.enforcement import (
    CaseLeadAcceptedV1,
    CaseLeadCaseFiledV1,
    CaseLeadDismissedV1,
    CaseLeadOpenedV1,
)
from shared.contracts.envelope import EventPayload
from shared.contracts.hazard import HazardOverdueV1
from shared.db import UnitOfWork
from shared.errors import IllegalTransition, NotFound
from shared.http.concurrency import check_version
from shared.http.pagination import PageParams


async def open_from_overdue_hazard(uow: UnitOfWork, payload: HazardOverdueV1) -> CaseLead | None:
    """An overdue major hazard opens one lead (never a case); inside the consumer's transaction."""
    if not domain.opens_lead(payload.grade):
        return None
    lead = await repository.open_once(
        uow.session,
        {
            "id": uuid.uuid4(),
            "source": "hazard_overdue",
            "hazard_id": payload.hazard_id,
            "deadline": date.fromisoformat(payload.deadline),
            "enterprise_id": uuid.UUID(payload.enterprise_id),
            "township_code": payload.township_code,
            "summary": f"major hazard {payload.hazard_id}: {payload.deadline_kind} deadline {payload.deadline} passed",
            "status": LeadStatus.OPEN.value,
            "opened_on": date.fromisoformat(payload.detected_on),
            "version": 1,
        },
    )
    if lead is None:
        return None
    uow.record_for(
        lead,
        from_row(CaseLeadOpenedV1, lead, lead_id=str(lead.id)),
    )
    return lead


async def _load(session: AsyncSession, actor: Principal, lead_id: uuid.UUID, *, for_update: bool) -> CaseLead:
    """A lead in the caller's reach (404 otherwise)."""
    lead = await repository.get(session, lead_id, scope=Scope(actor), for_update=for_update)
    if lead is None:
        raise NotFound("lead not found")
    return lead


async def _decide(
    uow: UnitOfWork,
    *,
    actor: Principal,
    lead_id: uuid.UUID,
    if_match: str | None,
    to: Callable[[LeadStatus], LeadStatus],
    on: date,
    note: str | None,
    event: Callable[[CaseLead], EventPayload],
) -> CaseLead:
    """Move an open lead `to` its decided status on a day, by the caller, with its event."""
    async with uow:
        lead = await _load(uow.session, actor, lead_id, for_update=True)
        check_version(lead.version, if_match)
        lead.status = to(LeadStatus(lead.status)).value
        lead.decided_by = actor_name(actor)
        lead.decided_on = on
        lead.note = note
        await uow.session.flush()
        uow.record_for(lead, event(lead))
        await uow.commit()
        return lead


async def accept_lead(
    *, uow: UnitOfWork, actor: Principal, lead_id: uuid.UUID, data: LeadAccept, if_match: str | None
) -> CaseLead:
    """open -> accepted; the officer may then file a case naming the lead. Publishes case_lead.accepted."""
    return await _decide(
        uow,
        actor=actor,
        lead_id=lead_id,
        if_match=if_match,
        to=domain.accept,
        on=data.accepted_on,
        note=data.note,
        event=lambda lead: from_row(
            CaseLeadAcceptedV1,
            lead,
            lead_id=str(lead.id),
            accepted_by=lead.decided_by,
            accepted_on=on_wire(lead.decided_on),
        ),
    )


async def dismiss_lead(
    *, uow: UnitOfWork, actor: Principal, lead_id: uuid.UUID, data: LeadDismiss, if_match: str | None
) -> CaseLead:
    """open -> dismissed with a reason; publishes case_lead.dismissed."""
    return await _decide(
        uow,
        actor=actor,
        lead_id=lead_id,
        if_match=if_match,
        to=lambda status: domain.dismiss(status, data.reason),
        on=data.dismissed_on,
        note=data.reason,
        event=lambda lead: from_row(
            CaseLeadDismissedV1,
            lead,
            lead_id=str(lead.id),
            dismissed_by=lead.decided_by,
            dismissed_on=on_wire(lead.decided_on),
            reason=data.reason,
        ),
    )


async def link_lead(uow: UnitOfWork, *, actor: Principal, lead_id: uuid.UUID, case_id: uuid.UUID) -> None:
    """Record the case filed from an accepted lead; publishes case_lead.case_filed."""
    lead = await _load(uow.session, actor, lead_id, for_update=True)
    if lead.status != LeadStatus.ACCEPTED.value:
        raise IllegalTransition(f"the lead is {lead.status}; a case is filed only from an accepted lead")
    if lead.case_id is not None:
        raise IllegalTransition(f"case {lead.case_id} was already filed from this lead")
    lead.case_id = case_id
    await uow.session.flush()
    uow.record_for(
        lead,
        from_row(CaseLeadCaseFiledV1, lead, lead_id=str(lead.id)),
    )


async def get_lead(*, session: AsyncSession, scope: Scope, lead_id: uuid.UUID) -> CaseLead:
    """One lead."""
    lead = await repository.get(session, lead_id, scope=scope)
    if lead is None:
        raise NotFound("lead not found")
    return lead


async def list_leads(
    *, session: AsyncSession, scope: Scope, status: LeadStatus | None, township_code: str | None, page: PageParams
) -> tuple[list[CaseLead], str | None]:
    """A page of leads in the caller's jurisdiction, newest first."""
    rows = await repository.list_page(
        session,
        status=status.value if status else None,
        township_code=township_code,
        scope=scope,
        limit=page.limit + 1,
        after=date_id_after(page.cursor),
    )
    return cut_page(rows, page.limit, lambda r: (r.opened_on, r.id))
