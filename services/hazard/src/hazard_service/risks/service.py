"""Use cases of risk points (双重预防)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from hazard_service.enterprises import repository as enterprises
from hazard_service.risks import repository
from hazard_service.risks.models import RiskPoint
from hazard_service.risks.schemas import RiskPointCreate, RiskPointRetire, RiskPointUpdate
from shared.auth.principal import Principal, Role
from shared.contracts.hazard import RiskPointRegisteredV1, RiskPointRetiredV1, RiskPointUpdatedV1
from shared.db import UnitOfWork
from shared.errors import IllegalTransition, NotFound, ValidationFailed, field_error
from shared.http.concurrency import check_version

MAX_EXPORT = 100_000


def _actor(uow: UnitOfWork) -> Principal:
    assert uow.actor is not None
    return uow.actor


def _facts(point: RiskPoint) -> dict[str, Any]:
    return {
        "risk_point_id": str(point.id),
        "enterprise_id": str(point.enterprise_id),
        "township_code": point.township_code,
        "industry_code": point.industry_code,
        "name": point.name,
        "level": point.level,
    }


async def register(*, uow: UnitOfWork, data: RiskPointCreate) -> RiskPoint:
    """Register a risk point of an enterprise in the caller's jurisdiction (or the caller's own)."""
    async with uow:
        actor = _actor(uow)
        enterprise = await enterprises.get(uow.session, data.enterprise_id)
        own = actor.has_role(Role.ENTERPRISE) and not actor.sees_everything
        if (
            enterprise is None
            or (own and actor.enterprise_id != str(data.enterprise_id))
            or (not own and not actor.covers(enterprise.township_code))
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
        await uow.session.flush()
        uow.record(
            RiskPointRegisteredV1(
                **_facts(point),
                responsible_person=point.responsible_person,
                longitude=point.longitude,
                latitude=point.latitude,
            ),
            aggregate_id=str(point.id),
            aggregate_version=point.version,
            jurisdiction=point.township_code,
        )
        await uow.commit()
        return point


async def _load(uow: UnitOfWork, point_id: uuid.UUID, *, for_update: bool) -> RiskPoint:
    point = await repository.get(uow.session, point_id, for_update=for_update)
    if point is None or not repository.can_see(_actor(uow), point):
        raise NotFound("no such risk point in your jurisdiction")
    return point


async def update(*, uow: UnitOfWork, point_id: uuid.UUID, if_match: str | None, data: RiskPointUpdate) -> RiskPoint:
    """Change a risk point (level, measures, responsible person...)."""
    async with uow:
        point = await _load(uow, point_id, for_update=True)
        check_version(point.version, if_match)
        if point.status != "active":
            raise IllegalTransition("a retired risk point cannot change", status=point.status)
        previous_level = point.level
        for name, value in data.model_dump(mode="json", exclude_unset=True).items():
            setattr(point, name, value)
        await uow.session.flush()
        uow.record(
            RiskPointUpdatedV1(
                **_facts(point), previous_level=previous_level, responsible_person=point.responsible_person
            ),
            aggregate_id=str(point.id),
            aggregate_version=point.version,
            jurisdiction=point.township_code,
        )
        await uow.commit()
        return point


async def retire(*, uow: UnitOfWork, point_id: uuid.UUID, if_match: str | None, data: RiskPointRetire) -> RiskPoint:
    """Retire a risk point that no longer exists (it stays in the record)."""
    async with uow:
        point = await _load(uow, point_id, for_update=True)
        check_version(point.version, if_match)
        if point.status != "active":
            raise IllegalTransition("the risk point is already retired", status=point.status)
        point.status = "retired"
        await uow.session.flush()
        uow.record(
            RiskPointRetiredV1(**_facts(point), reason=data.reason),
            aggregate_id=str(point.id),
            aggregate_version=point.version,
            jurisdiction=point.township_code,
        )
        await uow.commit()
        return point


async def get(*, uow: UnitOfWork, point_id: uuid.UUID) -> RiskPoint:
    """A visible risk point."""
    async with uow:
        return await _load(uow, point_id, for_update=False)


async def search(
    *,
    uow: UnitOfWork,
    enterprise_id: uuid.UUID | None,
    township_code: str | None,
    level: str | None,
    include_retired: bool = False,
    after: uuid.UUID | None = None,
    limit: int = MAX_EXPORT,
) -> Sequence[RiskPoint]:
    """Visible risk points matching the filters, in id order."""
    async with uow:
        return await repository.matching(
            uow.session,
            _actor(uow),
            enterprise_id=enterprise_id,
            township_code=township_code,
            level=level,
            include_retired=include_retired,
            after=after,
            limit=limit,
        )
