"""Use cases of inspections."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace

from sqlalchemy.ext.asyncio import AsyncSession

from enforcement_service.access import acting_unit, actor_name
from enforcement_service.enterprises import repository as enterprises
from enforcement_service.enterprises.models import EnterpriseView
from enforcement_service.inspections import repository
from enforcement_service.inspections.models import Inspection, InspectionFinding
from enforcement_service.inspections.schemas import Grade, InspectionCreate, InspectionKind
from enforcement_service.paging import counted_changes, counted_page
from enforcement_service.payloads import from_row
from shared.auth.principal import Principal
from shared.auth.scope import Scope
from shared.contracts.enforcement import InspectionFindingRecordedV1, InspectionRecordedV1
from shared.db import UnitOfWork
from shared.errors import NotFound
from shared.http.list_rows import FoundRows
from shared.http.pagination import PageParams

# The hazard source a finding maps to, by inspection kind.
HAZARD_SOURCE = {InspectionKind.LEADER_LED: "leader_inspection", InspectionKind.COMPLAINT: "complaint"}


@dataclass
class InspectionWithFindings:
    """An inspection and its findings, for the detail view."""

    inspection: Inspection
    findings: list[InspectionFinding]


async def known_enterprises(
    session: AsyncSession, scope: Scope, ids: list[uuid.UUID]
) -> dict[uuid.UUID, EnterpriseView]:
    """The enterprises of the read model; 404 naming the first unknown or out-of-jurisdiction one."""
    found = await enterprises.get_many(session, ids)
    for enterprise_id in ids:
        enterprise = found.get(enterprise_id)
        if enterprise is None:
            raise NotFound(f"enterprise {enterprise_id} not found")
        scope.ensure_visible(f"enterprise {enterprise_id}", division=enterprise.township_code)
    return found


async def record_inspection(*, uow: UnitOfWork, actor: Principal, data: InspectionCreate) -> InspectionWithFindings:
    """Record an inspection and its findings; publishes inspection.recorded and one
    inspection.finding_recorded per finding (the hazard service registers each as a hazard)."""
    async with uow:
        unit = acting_unit(actor, data.unit_code)
        checked = await known_enterprises(uow.session, Scope(actor), data.enterprise_ids)
        townships = {e.township_code for e in checked.values()}
        township_code = unit.unit_code if unit.is_township else (townships.pop() if len(townships) == 1 else None)
        team = list(dict.fromkeys(m.strip() for m in data.team_members if m.strip()))
        inspection = Inspection(
            id=uuid.uuid4(),
            kind=data.kind.value,
            unit_type=unit.unit_type,
            unit_code=unit.unit_code,
            township_code=township_code,
            inspected_on=data.inspected_on,
            leader_name=data.leader_name,
            leader_post=data.leader_post,
            team_members=team,
            persons_deployed=data.persons_deployed or len(team),
            enterprise_ids=[str(e) for e in data.enterprise_ids],
            findings_count=len(data.findings),
            major_findings_count=sum(1 for f in data.findings if f.grade_suggestion is Grade.MAJOR),
            campaign_code=data.campaign_code,
            summary=data.summary,
            created_by=actor_name(actor),
        )
        uow.session.add(inspection)
        findings = [
            InspectionFinding(
                id=uuid.uuid4(),
                inspection_id=inspection.id,
                position=position,
                enterprise_id=f.enterprise_id,
                township_code=checked[f.enterprise_id].township_code,
                industry_code=checked[f.enterprise_id].industry_code,
                description=f.description,
                grade_suggestion=f.grade_suggestion.value,
                standard_code=f.standard_code,
                clause=f.clause,
                rectify_by=f.rectify_by,
            )
            for position, f in enumerate(data.findings)
        ]
        await uow.session.flush()
        uow.session.add_all(findings)
        await uow.session.flush()
        uow.record_for(
            inspection,
            from_row(
                InspectionRecordedV1,
                inspection,
                inspection_id=str(inspection.id),
                department_code=inspection.unit_code if inspection.unit_type == "department" else None,
                enterprises_checked=len(inspection.enterprise_ids),
            ),
        )
        source = HAZARD_SOURCE.get(data.kind, "department_inspection")
        for finding in findings:
            uow.record_for(
                finding,
                from_row(
                    InspectionFindingRecordedV1,
                    finding,
                    finding_id=str(finding.id),
                    source=source,
                    inspection_kind=inspection.kind,
                    unit_type=inspection.unit_type,
                    unit_code=inspection.unit_code,
                    found_on=inspection.inspected_on.isoformat(),
                    leader_name=inspection.leader_name,
                    campaign_code=inspection.campaign_code,
                ),
            )
        await uow.commit()
        return InspectionWithFindings(inspection, findings)


async def get_inspection(*, session: AsyncSession, scope: Scope, inspection_id: uuid.UUID) -> InspectionWithFindings:
    """One inspection with its findings; 404 outside the caller's jurisdiction."""
    inspection = await repository.get(session, inspection_id, scope=scope)
    if inspection is None:
        raise NotFound("inspection not found")
    return InspectionWithFindings(inspection, await repository.findings_of(session, inspection_id))


async def list_inspections(
    *, session: AsyncSession, scope: Scope, filters: repository.InspectionFilter, page: PageParams
) -> FoundRows:
    """A page of inspections in the caller's jurisdiction, newest first (or, with the filter's `updated_since`,
    the change feed)."""
    scoped = replace(filters, scope=scope)
    if filters.updated_since is not None:
        return await counted_changes(session, repository, scoped, page)
    return await counted_page(session, repository, scoped, page, lambda r: (r.inspected_on, r.id))
