"""Use cases of case leads."""

from __future__ import annotations

import uuid
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
from shared.http.list_rows import FoundRows
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


def _decision(data: LeadAccept | LeadDismiss, status: LeadStatus) -> tuple[LeadStatus, date, str | None]:
    """The status a decision moves an open lead to, its day and its note (a dismissal's note is its reason)."""
    if isinstance(data, LeadAccept):
        return domain.accept(status), data.accepted_on, data.note
    return domain.dismiss(status, data.reason), data.dismissed_on, data.reason


def _decided(lead: CaseLead) -> EventPayload:
    """case_lead.accepted or case_lead.dismissed, as the lead now stands."""
    if lead.status == LeadStatus.ACCEPTED.value:
        by_on = {"accepted_by": lead.decided_by, "accepted_on": on_wire(lead.decided_on)}
        return from_row(CaseLeadAcceptedV1, lead, lead_id=str(lead.id), **by_on)
    by_on = {"dismissed_by": lead.decided_by, "dismissed_on": on_wire(lead.decided_on)}
    return from_row(CaseLeadDismissedV1, lead, lead_id=str(lead.id), reason=lead.note, **by_on)


async def decide_lead(
    *, uow: UnitOfWork, actor: Principal, lead_id: uuid.UUID, data: LeadAccept | LeadDismiss, if_match: str | None
) -> CaseLead:
    """open -> accepted (a case may then be filed naming the lead) or dismissed with a reason; publishes
    case_lead.accepted or case_lead.dismissed."""
    async with uow:
        lead = await _load(uow.session, actor, lead_id, for_update=True)
        check_version(lead.version, if_match)
        status, lead.decided_on, lead.note = _decision(data, LeadStatus(lead.status))
        lead.status = status.value
        lead.decided_by = actor_name(actor)
        await uow.session.flush()
        uow.record_for(lead, _decided(lead))
        await uow.commit()
        return lead


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
) -> FoundRows:
    """A page of leads in the caller's jurisdiction, newest first."""
    stmt = repository.matching(status=status.value if status else None, township_code=township_code, scope=scope)
    rows = await repository.list_page(session, stmt, limit=page.limit + 1, after=date_id_after(page.cursor))
    total = await repository.count(session, stmt) if page.include_total else None
    return (*cut_page(rows, page.limit, lambda r: (r.opened_on, r.id)), total)
