"""Use cases of risk points (双重预防)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hazard_service.enterprises import repository as enterprises
from hazard_service.risks import repository
from hazard_service.risks.models import RiskPoint
from hazard_service.risks.schemas import RiskPointCreate, RiskPointRetire, RiskPointUpdate
from shared.auth.principal import Principal
from shared.auth.scope import Scope
from shared.contracts.envelope import EventPayload
from shared.contracts.hazard import RiskPointRegisteredV2, RiskPointRetiredV2, RiskPointUpdatedV2
from shared.db import UnitOfWork
from shared.errors import IllegalTransition, NotFound, ValidationFailed, field_error
from shared.http.concurrency import check_version
from shared.http.list_rows import change_cursor
from shared.http.pagination import PageParams, decode_cursor, encode_cursor

MAX_EXPORT = 100_000


def _facts(point: RiskPoint) -> dict[str, Any]:
    return {
        "risk_point_id": str(point.id),
        "enterprise_id": str(point.enterprise_id),
        "township_code": point.township_code,
        "industry_code": point.industry_code,
        "name": point.name,
        "level": point.level,
    }


async def _save(uow: UnitOfWork, point: RiskPoint, payload: EventPayload) -> RiskPoint:
    """Write the point (its version goes up), record `payload` about it and commit."""
    await uow.session.flush()
    uow.record_for(point, payload)
    await uow.commit()
    return point


async def register(*, uow: UnitOfWork, actor: Principal, data: RiskPointCreate) -> RiskPoint:
    """Register a risk point of an enterprise the actor may see (its jurisdiction's, or its own)."""
    async with uow:
        enterprise = await enterprises.get(uow.session, data.enterprise_id)
        if enterprise is None or not Scope(actor).admits(
            division=enterprise.township_code, enterprise=enterprise.enterprise_id
        ):
            raise ValidationFailed(
                "unknown enterprise", errors=[field_error("enterprise_id", "no such enterprise in your jurisdiction")]
            )
        values = data.model_dump(mode="json", exclude={"enterprise_id"})
        point = RiskPoint(
            id=uuid.uuid4(),
            enterprise_id=enterprise.enterprise_id,
            enterprise_name=enterprise.name,
            township_code=enterprise.township_code,
            industry_code=enterprise.industry_code,
            status="active",
            **values,
        )
        uow.session.add(point)
        payload = RiskPointRegisteredV2(
            **_facts(point),
            responsible_person=point.responsible_person,
            longitude=point.longitude,
            latitude=point.latitude,
        )
        return await _save(uow, point, payload)


async def _active(
    session: AsyncSession, scope: Scope, point_id: uuid.UUID, if_match: str | None, *, retired: str
) -> RiskPoint:
    """A visible risk point locked for a change at the version If-Match names; a retired one is a 409 (`retired`)."""
    point = await repository.get(session, point_id, scope, for_update=True)
    if point is None:
        raise NotFound("no such risk point in your jurisdiction")
    check_version(point.version, if_match)
    if point.status != "active":
        raise IllegalTransition(retired, status=point.status)
    return point


async def update(
    *, uow: UnitOfWork, actor: Principal, point_id: uuid.UUID, if_match: str | None, data: RiskPointUpdate
) -> RiskPoint:
    """Change a risk point (level, measures, responsible person...)."""
    async with uow:
        point = await _active(
            uow.session, Scope(actor), point_id, if_match, retired="a retired risk point cannot change"
        )
        previous_level = point.level
        for name, value in data.model_dump(mode="json", exclude_unset=True).items():
            setattr(point, name, value)
        payload = RiskPointUpdatedV2(
            **_facts(point), previous_level=previous_level, responsible_person=point.responsible_person
        )
        return await _save(uow, point, payload)


async def retire(
    *, uow: UnitOfWork, actor: Principal, point_id: uuid.UUID, if_match: str | None, data: RiskPointRetire
) -> RiskPoint:
    """Retire a risk point that no longer exists (it stays in the record)."""
    async with uow:
        point = await _active(
            uow.session, Scope(actor), point_id, if_match, retired="the risk point is already retired"
        )
        point.status = "retired"
        return await _save(uow, point, RiskPointRetiredV2(**_facts(point), reason=data.reason))


async def get(*, session: AsyncSession, scope: Scope, point_id: uuid.UUID) -> RiskPoint:
    """A visible risk point."""
    point = await repository.get(session, point_id, scope)
    if point is None:
        raise NotFound("no such risk point in your jurisdiction")
    return point


async def search(
    *,
    session: AsyncSession,
    scope: Scope,
    enterprise_id: uuid.UUID | None,
    township_code: str | None,
    level: str | None,
    include_retired: bool = False,
    after: uuid.UUID | None = None,
    limit: int = MAX_EXPORT,
) -> Sequence[RiskPoint]:
    """Visible risk points matching the filters, in id order."""
    stmt = repository.filtered(
        scope, enterprise_id=enterprise_id, township_code=township_code, level=level, include_retired=include_retired
    )
    return await repository.matching(session, stmt, after=after, limit=limit)


async def list_points(
    *,
    session: AsyncSession,
    scope: Scope,
    enterprise_id: uuid.UUID | None,
    township_code: str | None,
    level: str | None,
    include_retired: bool,
    page: PageParams,
    updated_since: datetime | None,
) -> tuple[Sequence[RiskPoint], str | None, int | None]:
    """A page of visible risk points in id order (or, with `updated_since`, the change feed), the next cursor and
    (on request) the total."""
    stmt = repository.filtered(
        scope, enterprise_id=enterprise_id, township_code=township_code, level=level, include_retired=include_retired
    )
    total = await repository.count(session, stmt, since=updated_since) if page.include_total else None
    if updated_since is not None:
        rows = await repository.changes(session, stmt, since=updated_since, cursor=page.cursor, limit=page.limit + 1)
        return rows[: page.limit], change_cursor(rows, page.limit), total
    after = uuid.UUID(str(decode_cursor(page.cursor)[0])) if page.cursor else None
    rows = await repository.matching(session, stmt, after=after, limit=page.limit + 1)
    cursor = encode_cursor([str(rows[page.limit - 1].id)]) if len(rows) > page.limit else None
    return rows[: page.limit], cursor, total
