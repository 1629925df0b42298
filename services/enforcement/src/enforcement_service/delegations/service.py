"""Use cases of delegations, and the check every township act goes through."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from enforcement_service.access import actor_name, ensure_may_delegate, ensure_visible
from enforcement_service.config import EnforcementSettings
from enforcement_service.delegations import repository
from enforcement_service.delegations.domain import DelegationTerms, check_township_act
from enforcement_service.delegations.models import Delegation
from enforcement_service.delegations.schemas import DelegationCreate, DelegationRevoke
from enforcement_service.paging import cut_page, date_id_after
from shared.contracts.enforcement import DelegationGrantedV1, DelegationRevokedV1
from shared.db import UnitOfWork
from shared.errors import IllegalTransition, NotFound
from shared.http.concurrency import check_version
from shared.http.pagination import PageParams


def terms_of(d: Delegation) -> DelegationTerms:
    """The domain terms of a delegation row."""
    return DelegationTerms(
        delegation_id=str(d.id),
        township_code=d.township_code,
        scope=frozenset(d.scope),
        starts_on=d.starts_on,
        ends_on=d.ends_on,
        max_fine_fen=d.max_fine_fen,
        revoked_on=d.revoked_on,
    )


async def authorise_township_act(
    session: AsyncSession,
    *,
    township_code: str,
    party_township_code: str,
    on: date,
    recorded_on: date,
    acts: Sequence[str],
    fine_fen: int = 0,
) -> DelegationTerms:
    """The delegation under which a township acts on `on` and still holds on `recorded_on`, or OutsideDelegation."""
    return check_township_act(
        [terms_of(d) for d in await repository.of_township(session, township_code)],
        township_code=township_code,
        party_township_code=party_township_code,
        on=on,
        recorded_on=recorded_on,
        acts=acts,
        fine_fen=fine_fen,
    )


async def grant_delegation(*, uow: UnitOfWork, settings: EnforcementSettings, data: DelegationCreate) -> Delegation:
    """Record a published delegation to a township; publishes delegation.granted."""
    async with uow:
        assert uow.actor is not None
        ensure_may_delegate(uow.actor, bureau_code=settings.bureau_code, township_code=data.township_code)
        delegation = Delegation(
            id=uuid.uuid4(),
            township_code=data.township_code,
            scope=sorted({s.value for s in data.scope}),
            max_fine_fen=data.max_fine_fen,
            starts_on=data.starts_on,
            ends_on=data.ends_on,
            document_number=data.document_number,
            document_title=data.document_title,
            published_on=data.published_on,
            created_by=actor_name(uow.actor),
        )
        uow.session.add(delegation)
        await uow.session.flush()
        uow.record(
            DelegationGrantedV1(
                delegation_id=str(delegation.id),
                township_code=delegation.township_code,
                scope=delegation.scope,
                max_fine_fen=delegation.max_fine_fen,
                starts_on=delegation.starts_on.isoformat(),
                ends_on=delegation.ends_on.isoformat(),
                document_number=delegation.document_number,
                document_title=delegation.document_title,
                published_on=delegation.published_on.isoformat(),
            ),
            aggregate_id=str(delegation.id),
            aggregate_version=delegation.version,
            jurisdiction=delegation.township_code,
        )
        await uow.commit()
        return delegation


async def revoke_delegation(
    *,
    uow: UnitOfWork,
    settings: EnforcementSettings,
    delegation_id: uuid.UUID,
    data: DelegationRevoke,
    if_match: str | None,
) -> Delegation:
    """Revoke a delegation from a day on; publishes delegation.revoked."""
    async with uow:
        assert uow.actor is not None
        delegation = await repository.get(uow.session, delegation_id)
        if delegation is None:
            raise NotFound("delegation not found")
        ensure_visible(uow.actor, delegation.township_code, "delegation")
        ensure_may_delegate(uow.actor, bureau_code=settings.bureau_code, township_code=delegation.township_code)
        check_version(delegation.version, if_match)
        if delegation.revoked_on is not None:
            raise IllegalTransition(f"the delegation was already revoked on {delegation.revoked_on}")
        delegation.revoked_on = data.revoked_on
        delegation.revocation_reason = data.reason
        await uow.session.flush()
        uow.record(
            DelegationRevokedV1(
                delegation_id=str(delegation.id),
                township_code=delegation.township_code,
                revoked_on=data.revoked_on.isoformat(),
                reason=data.reason,
            ),
            aggregate_id=str(delegation.id),
            aggregate_version=delegation.version,
            jurisdiction=delegation.township_code,
        )
        await uow.commit()
        return delegation


async def list_delegations(
    *, uow: UnitOfWork, filters: repository.DelegationFilter, page: PageParams
) -> tuple[list[Delegation], str | None, int | None]:
    """A page of delegations of the townships in the caller's jurisdiction, latest term start first."""
    async with uow:
        assert uow.actor is not None
        f = replace(filters, jurisdiction_prefixes=uow.actor.jurisdiction_prefixes())
        rows = await repository.list_page(uow.session, f, limit=page.limit + 1, after=date_id_after(page.cursor))
        items, next_cursor = cut_page(rows, page.limit, lambda d: (d.starts_on, d.id))
        total = await repository.count(uow.session, f) if page.include_total else None
        return items, next_cursor, total


async def get_delegation(*, uow: UnitOfWork, delegation_id: uuid.UUID) -> Delegation:
    """One delegation; 404 outside the caller's jurisdiction."""
    async with uow:
        delegation = await repository.get(uow.session, delegation_id)
        if delegation is None:
            raise NotFound("delegation not found")
        assert uow.actor is not None
        ensure_visible(uow.actor, delegation.township_code, "delegation")
        return delegation
