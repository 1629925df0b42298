"""Use cases of crackdowns, interviews, exposures and typical cases."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from enforcement_service.access import acting_unit, actor_name
from enforcement_service.measures import repository
from enforcement_service.measures.models import CrackdownAction, Exposure, Interview, MeasureRecord, TypicalCase
from enforcement_service.measures.repository import DATE_COLUMN, MeasureT
from enforcement_service.measures.schemas import (
    CrackdownCreate,
    ExposureCreate,
    InterviewCreate,
    TypicalCaseCreate,
    UnitFields,
)
from enforcement_service.paging import cut_page, date_id_after
from enforcement_service.payloads import from_row
from shared.auth.principal import Principal
from shared.auth.scope import Scope
from shared.contracts.enforcement import (
    CrackdownActionRecordedV1,
    ExposurePublishedV1,
    InterviewRecordedV1,
    TypicalCasePublishedV1,
)
from shared.contracts.envelope import EventPayload
from shared.db import UnitOfWork
from shared.errors import ValidationFailed, field_error
from shared.http.list_rows import FoundRows
from shared.http.pagination import PageParams


def _unit(actor: Principal, data: UnitFields) -> dict[str, Any]:
    """The unit type, unit code and township of a record; a township records for itself."""
    unit = acting_unit(actor, data.unit_code)
    township = unit.unit_code if unit.is_township else data.township_code
    if township is not None:
        Scope(actor).ensure_visible(f"township {township}", division=township)
    return {"unit_type": unit.unit_type, "unit_code": unit.unit_code, "township_code": township}


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


@dataclass(frozen=True)
class MeasureKind:
    """How a kind of measure is stored and published: its table, its event and the event's id field."""

    model: Callable[..., MeasureRecord]
    event: type[EventPayload]
    id_field: str


KINDS: dict[type[UnitFields], MeasureKind] = {
    CrackdownCreate: MeasureKind(CrackdownAction, CrackdownActionRecordedV1, "action_id"),
    InterviewCreate: MeasureKind(Interview, InterviewRecordedV1, "interview_id"),
    ExposureCreate: MeasureKind(Exposure, ExposurePublishedV1, "exposure_id"),
    TypicalCaseCreate: MeasureKind(TypicalCase, TypicalCasePublishedV1, "typical_case_id"),
}


def _values(data: UnitFields) -> dict[str, Any]:
    """The request's fields other than the unit's, as stored: enterprise ids as text, seizure quantities exact."""
    values = data.model_dump(exclude={"unit_code", "township_code"})
    if "enterprise_ids" in values:
        values["enterprise_ids"] = [str(e) for e in values["enterprise_ids"]]
    if isinstance(data, CrackdownCreate):
        seizures = [
            {**s.model_dump(), "quantity": _decimal_quantity(s.quantity, i)} for i, s in enumerate(data.seizures)
        ]
        values.update(seizures=seizures, seizure_value_fen=sum(s["value_fen"] for s in seizures))
    return values


async def record_measure(*, uow: UnitOfWork, actor: Principal, data: UnitFields) -> MeasureRecord:
    """Record a crackdown action, an interview (约谈), an exposure or a typical case for the caller's unit;
    publishes crackdown.action_recorded, interview.recorded, exposure.published or typical_case.published."""
    kind = KINDS[type(data)]
    async with uow:
        row = kind.model(id=uuid.uuid4(), **_unit(actor, data), **_values(data), created_by=actor_name(actor))
        uow.session.add(row)
        await uow.session.flush()
        uow.record_for(row, from_row(kind.event, row, **{kind.id_field: str(row.id)}))
        await uow.commit()
        return row


async def list_measures(
    *,
    session: AsyncSession,
    scope: Scope,
    model: type[MeasureT],
    township_code: str | None,
    unit_code: str | None,
    date_from: date | None,
    date_to: date | None,
    page: PageParams,
) -> FoundRows:
    """A page of records of one kind in the caller's jurisdiction, newest first."""
    stmt = repository.matching(
        model, township_code=township_code, unit_code=unit_code, date_from=date_from, date_to=date_to, scope=scope
    )
    rows = await repository.list_page(session, model, stmt, limit=page.limit + 1, after=date_id_after(page.cursor))
    column = DATE_COLUMN[model]
    items, cursor = cut_page(rows, page.limit, lambda r: (getattr(r, column), r.id))
    total = await repository.count(session, stmt) if page.include_total else None
    return items, cursor, total
