"""Use cases of delegations, and the check every township act goes through."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from enforcement_service.access import actor_name, ensure_may_delegate
from enforcement_service.config import EnforcementSettings
from enforcement_service.delegations import repository
from enforcement_service.delegations.domain import DelegationTerms, check_township_act
from enforcement_service.delegations.models import Delegation
from enforcement_service.delegations.schemas import DelegationCreate, DelegationRevoke
from enforcement_service.paging import counted_page
from enforcement_service.payloads import from_row
from shared.auth.principal import Principal
from shared.auth.scope import Scope
from shared.contracts.enforcement import DelegationGrantedV1, DelegationRevokedV1
from shared.db import UnitOfWork
from shared.errors import IllegalTransition, NotFound
from shared.http.concurrency import check_version
from shared.http.list_rows import FoundRows
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
    recorded_on: date | None,
    acts: Sequence[str],
    fine_fen: int = 0,
) -> DelegationTerms:
    """The delegation under which a township acts on `on` and still holds on `recorded_on` (None: the city
    administration enters the act as history), or OutsideDelegation."""
    return check_township_act(
        [terms_of(d) for d in await repository.of_township(session, township_code)],
        township_code=township_code,
        party_township_code=party_township_code,
        on=on,
        recorded_on=recorded_on,
        acts=acts,
        fine_fen=fine_fen,
    )


async def grant_delegation(
    *, uow: UnitOfWork, actor: Principal, settings: EnforcementSettings, data: DelegationCreate
) -> Delegation:
    """Record a published delegation to a township; publishes delegation.granted."""
    async with uow:
        ensure_may_delegate(actor, bureau_code=settings.bureau_code, township_code=data.township_code)
        delegation = Delegation(
            id=uuid.uuid4(),
            **data.model_dump(exclude={"scope"}),
            scope=sorted({s.value for s in data.scope}),
            created_by=actor_name(actor),
        )
        uow.session.add(delegation)
        await uow.session.flush()
        uow.record_for(
            delegation,
            from_row(DelegationGrantedV1, delegation, delegation_id=str(delegation.id)),
        )
        await uow.commit()
        return delegation


async def revoke_delegation(
    *,
    uow: UnitOfWork,
    actor: Principal,
    settings: EnforcementSettings,
    delegation_id: uuid.UUID,
    data: DelegationRevoke,
    if_match: str | None,
) -> Delegation:
    """Revoke a delegation from a day on; publishes delegation.revoked."""
    async with uow:
        delegation = await get_delegation(session=uow.session, scope=Scope(actor), delegation_id=delegation_id)
        ensure_may_delegate(actor, bureau_code=settings.bureau_code, township_code=delegation.township_code)
        check_version(delegation.version, if_match)
        if delegation.revoked_on is not None:
            raise IllegalTransition(f"the delegation was already revoked on {delegation.revoked_on}")
        delegation.revoked_on = data.revoked_on
        delegation.revocation_reason = data.reason
        await uow.session.flush()
        uow.record_for(
            delegation,
            from_row(DelegationRevokedV1, delegation, delegation_id=str(delegation.id), reason=data.reason),
        )
        await uow.commit()
        return delegation


async def list_delegations(
    *, session: AsyncSession, scope: Scope, filters: repository.DelegationFilter, page: PageParams
) -> FoundRows:
    """A page of delegations of the townships in the caller's jurisdiction, latest term start first."""
    return await counted_page(session, repository, replace(filters, scope=scope), page, lambda d: (d.starts_on, d.id))


async def get_delegation(*, session: AsyncSession, scope: Scope, delegation_id: uuid.UUID) -> Delegation:
    """One delegation; 404 outside the caller's jurisdiction."""
    delegation = await repository.get(session, delegation_id, scope=scope)
    if delegation is None:
        raise NotFound("delegation not found")
    return delegation
