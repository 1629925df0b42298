"""HTTP routes of crackdowns, interviews, exposures and typical cases."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Depends, Query, status
from pydantic import BaseModel

from enforcement_service.access import Reader, Writer
from enforcement_service.measures import service
from enforcement_service.measures.models import CrackdownAction, Exposure, Interview, TypicalCase
from enforcement_service.measures.repository import MeasureT
from enforcement_service.measures.schemas import (
    CrackdownCreate,
    CrackdownPage,
    CrackdownRead,
    ExposureCreate,
    ExposurePage,
    ExposureRead,
    InterviewCreate,
    InterviewPage,
    InterviewRead,
    TypicalCaseCreate,
    TypicalCasePage,
    TypicalCaseRead,
)
from shared.http.dependencies import CurrentScope, ReadSession, UoW
from shared.http.pagination import PageParams, page_params

router = APIRouter(prefix="/api/v1", tags=["crackdowns, interviews, exposures, typical cases"])
Township = Query(None, pattern=r"^\d{12}$")
Unit = Query(None, max_length=32)


async def _page(
    session: ReadSession,
    scope: CurrentScope,
    model: type[MeasureT],
    read: type[BaseModel],
    *,
    township_code: str | None,
    unit_code: str | None,
    date_from: date | None,
    date_to: date | None,
    page: PageParams,
) -> dict[str, Any]:
    """The items and cursor of a page of one kind of measure, for its Page model."""
    rows, cursor = await service.list_measures(
        session=session,
        scope=scope,
        model=model,
        township_code=township_code,
        unit_code=unit_code,
        date_from=date_from,
        date_to=date_to,
        page=page,
    )
    return {"items": [read.model_validate(r) for r in rows], "next_cursor": cursor}


@router.post(
    "/crackdowns", status_code=status.HTTP_201_CREATED, response_model=CrackdownRead, summary="Record a crackdown"
)
async def record_crackdown(body: CrackdownCreate, uow: UoW, actor: Writer) -> CrackdownRead:
    """Record an action against illegal operations: patrols, sites stopped, seizures (item, quantity, value)."""
    return CrackdownRead.model_validate(await service.record_crackdown(uow=uow, actor=actor, data=body))


@router.get("/crackdowns", response_model=CrackdownPage, summary="List crackdown actions")
async def list_crackdowns(
    session: ReadSession,
    scope: CurrentScope,
    _: Reader,
    township_code: str | None = Township,
    unit_code: str | None = Unit,
    acted_from: date | None = None,
    acted_to: date | None = None,
    page: PageParams = Depends(page_params),
) -> CrackdownPage:
    """Crackdown actions, newest first."""
    found = await _page(
        session, scope, CrackdownAction, CrackdownRead,
        township_code=township_code, unit_code=unit_code, date_from=acted_from, date_to=acted_to, page=page,
    )  # fmt: skip
    return CrackdownPage(**found)


@router.post(
    "/interviews", status_code=status.HTTP_201_CREATED, response_model=InterviewRead, summary="Record an interview"
)
async def record_interview(body: InterviewCreate, uow: UoW, actor: Writer) -> InterviewRead:
    """Record an interview (约谈): when, how many persons, about what."""
    return InterviewRead.model_validate(await service.record_interview(uow=uow, actor=actor, data=body))


@router.get("/interviews", response_model=InterviewPage, summary="List interviews")
async def list_interviews(
    session: ReadSession,
    scope: CurrentScope,
    _: Reader,
    township_code: str | None = Township,
    unit_code: str | None = Unit,
    held_from: date | None = None,
    held_to: date | None = None,
    page: PageParams = Depends(page_params),
) -> InterviewPage:
    """Interviews, newest first."""
    found = await _page(
        session, scope, Interview, InterviewRead,
        township_code=township_code, unit_code=unit_code, date_from=held_from, date_to=held_to, page=page,
    )  # fmt: skip
    return InterviewPage(**found)


@router.post(
    "/exposures", status_code=status.HTTP_201_CREATED, response_model=ExposureRead, summary="Record an exposure"
)
async def publish_exposure(body: ExposureCreate, uow: UoW, actor: Writer) -> ExposureRead:
    """Record a public warning exposure (警示曝光)."""
    return ExposureRead.model_validate(await service.publish_exposure(uow=uow, actor=actor, data=body))


@router.get("/exposures", response_model=ExposurePage, summary="List exposures")
async def list_exposures(
    session: ReadSession,
    scope: CurrentScope,
    _: Reader,
    township_code: str | None = Township,
    unit_code: str | None = Unit,
    published_from: date | None = None,
    published_to: date | None = None,
    page: PageParams = Depends(page_params),
) -> ExposurePage:
    """Exposures, newest first."""
    found = await _page(
        session, scope, Exposure, ExposureRead,
        township_code=township_code, unit_code=unit_code, date_from=published_from, date_to=published_to, page=page,
    )  # fmt: skip
    return ExposurePage(**found)


@router.post(
    "/typical-cases",
    status_code=status.HTTP_201_CREATED,
    response_model=TypicalCaseRead,
    summary="Record a published typical case",
)
async def publish_typical_case(body: TypicalCaseCreate, uow: UoW, actor: Writer) -> TypicalCaseRead:
    """Record a published typical case (典型案例)."""
    return TypicalCaseRead.model_validate(await service.publish_typical_case(uow=uow, actor=actor, data=body))


@router.get("/typical-cases", response_model=TypicalCasePage, summary="List typical cases")
async def list_typical_cases(
    session: ReadSession,
    scope: CurrentScope,
    _: Reader,
    township_code: str | None = Township,
    unit_code: str | None = Unit,
    published_from: date | None = None,
    published_to: date | None = None,
    page: PageParams = Depends(page_params),
) -> TypicalCasePage:
    """Typical cases, newest first."""
    found = await _page(
        session, scope, TypicalCase, TypicalCaseRead,
        township_code=township_code, unit_code=unit_code, date_from=published_from, date_to=published_to, page=page,
    )  # fmt: skip
    return TypicalCasePage(**found)
