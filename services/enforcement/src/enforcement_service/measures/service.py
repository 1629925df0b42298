"""Use cases of crackdowns, interviews, exposures and typical cases."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from enforcement_service.access import acting_unit, actor_name, ensure_in_jurisdiction
from enforcement_service.measures import repository
from enforcement_service.measures.models import CrackdownAction, Exposure, Interview, TypicalCase
from enforcement_service.measures.repository import DATE_COLUMN, MeasureT
from enforcement_service.measures.schemas import (
    CrackdownCreate,
    ExposureCreate,
    InterviewCreate,
    TypicalCaseCreate,
    UnitFields,
)
from enforcement_service.paging import cut_page, date_id_after
from shared.auth.principal import Principal
from shared.contracts.enforcement import (
    CrackdownActionRecordedV1,
    ExposurePublishedV1,
    InterviewRecordedV1,
    SeizureV1,
    TypicalCasePublishedV1,
)
from shared.db import UnitOfWork
from shared.errors import ValidationFailed, field_error
from shared.http.pagination import PageParams


def _unit(principal: Principal, data: UnitFields) -> tuple[str, str, str | None]:
    """(unit type, unit code, township) of a record; a township records for itself."""
    unit = acting_unit(principal, data.unit_code)
    township = unit.unit_code if unit.is_township else data.township_code
    if township is not None:
        ensure_in_jurisdiction(principal, township, f"township {township}")
    return unit.unit_type, unit.unit_code, township


def _decimal_quantity(value: str, index: int) -> str:
    try:
        quantity = Decimal(value)
    except InvalidOperation:
        raise ValidationFailed(
            "a quantity is a decimal number", errors=[field_error(f"seizures[{index}].quantity", "not a number")]
        ) from None
    if quantity < 0 or not quantity.is_finite():
        raise ValidationFailed("a quantity is not negative", errors=[field_error(f"seizures[{index}].quantity", "< 0")])
    return str(quantity)


async def record_crackdown(*, uow: UnitOfWork, data: CrackdownCreate) -> CrackdownAction:
    """Record a crackdown action; publishes crackdown.action_recorded."""
    async with uow:
        assert uow.actor is not None
        unit_type, unit_code, township = _unit(uow.actor, data)
        seizures: list[dict[str, Any]] = [
            {**s.model_dump(), "quantity": _decimal_quantity(s.quantity, i)} for i, s in enumerate(data.seizures)
        ]
        row = CrackdownAction(
            id=uuid.uuid4(),
            unit_type=unit_type,
            unit_code=unit_code,
            township_code=township,
            acted_on=data.acted_on,
            patrols=data.patrols,
            persons_deployed=data.persons_deployed,
            sites_stopped=data.sites_stopped,
            seizures=seizures,
            seizure_value_fen=sum(s["value_fen"] for s in seizures),
            campaign_code=data.campaign_code,
            description=data.description,
            created_by=actor_name(uow.actor),
        )
        uow.session.add(row)
        await uow.session.flush()
        uow.record(
            CrackdownActionRecordedV1(
                action_id=str(row.id),
                unit_type=unit_type,
                unit_code=unit_code,
                township_code=township,
                acted_on=row.acted_on.isoformat(),
                patrols=row.patrols,
                persons_deployed=row.persons_deployed,
                sites_stopped=row.sites_stopped,
                seizures=[SeizureV1.model_validate(s) for s in seizures],
                seizure_value_fen=row.seizure_value_fen,
                campaign_code=row.campaign_code,
            ),
            aggregate_id=str(row.id),
            aggregate_version=1,
            jurisdiction=township,
        )
        await uow.commit()
        return row


async def record_interview(*, uow: UnitOfWork, data: InterviewCreate) -> Interview:
    """Record an interview (约谈); publishes interview.recorded."""
    async with uow:
        assert uow.actor is not None
        unit_type, unit_code, township = _unit(uow.actor, data)
        row = Interview(
            id=uuid.uuid4(),
            unit_type=unit_type,
            unit_code=unit_code,
            township_code=township,
            held_on=data.held_on,
            persons=data.persons,
            enterprise_ids=[str(e) for e in data.enterprise_ids],
            subject=data.subject,
            hazard_id=data.hazard_id,
            created_by=actor_name(uow.actor),
        )
        uow.session.add(row)
        await uow.session.flush()
        uow.record(
            InterviewRecordedV1(
                interview_id=str(row.id),
                unit_type=unit_type,
                unit_code=unit_code,
                township_code=township,
                held_on=row.held_on.isoformat(),
                persons=row.persons,
                enterprise_ids=row.enterprise_ids,
                subject=row.subject,
                hazard_id=row.hazard_id,
            ),
            aggregate_id=str(row.id),
            aggregate_version=1,
            jurisdiction=township,
        )
        await uow.commit()
        return row


async def publish_exposure(*, uow: UnitOfWork, data: ExposureCreate) -> Exposure:
    """Record a public exposure; publishes exposure.published."""
    async with uow:
        assert uow.actor is not None
        unit_type, unit_code, township = _unit(uow.actor, data)
        row = Exposure(
            id=uuid.uuid4(),
            unit_type=unit_type,
            unit_code=unit_code,
            township_code=township,
            published_on=data.published_on,
            channel=data.channel,
            title=data.title,
            enterprise_ids=[str(e) for e in data.enterprise_ids],
            created_by=actor_name(uow.actor),
        )
        uow.session.add(row)
        await uow.session.flush()
        uow.record(
            ExposurePublishedV1(
                exposure_id=str(row.id),
                unit_type=unit_type,
                unit_code=unit_code,
                township_code=township,
                published_on=row.published_on.isoformat(),
                channel=row.channel,
                title=row.title,
                enterprise_ids=row.enterprise_ids,
            ),
            aggregate_id=str(row.id),
            aggregate_version=1,
            jurisdiction=township,
        )
        await uow.commit()
        return row


async def publish_typical_case(*, uow: UnitOfWork, data: TypicalCaseCreate) -> TypicalCase:
    """Record a published typical case; publishes typical_case.published."""
    async with uow:
        assert uow.actor is not None
        unit_type, unit_code, township = _unit(uow.actor, data)
        row = TypicalCase(
            id=uuid.uuid4(),
            case_id=data.case_id,
            unit_type=unit_type,
            unit_code=unit_code,
            township_code=township,
            published_on=data.published_on,
            title=data.title,
            channel=data.channel,
            summary=data.summary,
            created_by=actor_name(uow.actor),
        )
        uow.session.add(row)
        await uow.session.flush()
        uow.record(
            TypicalCasePublishedV1(
                typical_case_id=str(row.id),
                case_id=str(row.case_id) if row.case_id else None,
                unit_type=unit_type,
                unit_code=unit_code,
                township_code=township,
                published_on=row.published_on.isoformat(),
                title=row.title,
                channel=row.channel,
            ),
            aggregate_id=str(row.id),
            aggregate_version=1,
            jurisdiction=township,
        )
        await uow.commit()
        return row


async def list_measures(
    *,
    uow: UnitOfWork,
    model: type[MeasureT],
    township_code: str | None,
    unit_code: str | None,
    date_from: date | None,
    date_to: date | None,
    page: PageParams,
) -> tuple[list[MeasureT], str | None]:
    """A page of records of one kind in the caller's jurisdiction, newest first."""
    async with uow:
        assert uow.actor is not None
        rows = await repository.list_page(
            uow.session,
            model,
            township_code=township_code,
            unit_code=unit_code,
            date_from=date_from,
            date_to=date_to,
            jurisdiction_prefixes=uow.actor.jurisdiction_prefixes(),
            limit=page.limit + 1,
            after=date_id_after(page.cursor),
        )
        column = DATE_COLUMN[model]
        return cut_page(rows, page.limit, lambda r: (getattr(r, column), r.id))
