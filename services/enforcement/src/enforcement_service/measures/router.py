"""HTTP routes of crackdowns, interviews, exposures and typical cases."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Depends, Query, status

from enforcement_service.access import READERS, WRITERS
from enforcement_service.measures import service
from enforcement_service.measures.models import CrackdownAction, Exposure, Interview, TypicalCase
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
from shared.auth.dependencies import require_roles
from shared.auth.principal import Principal
from shared.db import UnitOfWork
from shared.http.dependencies import get_uow
from shared.http.pagination import PageParams, page_params

router = APIRouter(prefix="/api/v1", tags=["crackdowns, interviews, exposures, typical cases"])
Writer = Depends(require_roles(*WRITERS))
Reader = Depends(require_roles(*READERS))
Township = Query(None, pattern=r"^\d{12}$")
Unit = Query(None, max_length=32)


@router.post(
    "/crackdowns", status_code=status.HTTP_201_CREATED, response_model=CrackdownRead, summary="Record a crackdown"
)
async def record_crackdown(
    body: CrackdownCreate, uow: UnitOfWork = Depends(get_uow), _: Principal = Writer
) -> CrackdownRead:
    """Record an action against illegal operations: patrols, sites stopped, seizures (item, quantity, value)."""
    return CrackdownRead.model_validate(await service.record_crackdown(uow=uow, data=body))


@router.get("/crackdowns", response_model=CrackdownPage, summary="List crackdown actions")
async def list_crackdowns(
    township_code: str | None = Township,
    unit_code: str | None = Unit,
    acted_from: date | None = None,
    acted_to: date | None = None,
    page: PageParams = Depends(page_params),
    uow: UnitOfWork = Depends(get_uow),
    _: Principal = Reader,
) -> CrackdownPage:
    """Crackdown actions, newest first."""
    rows, cursor = await service.list_measures(
        uow=uow,
        model=CrackdownAction,
        township_code=township_code,
        unit_code=unit_code,
        date_from=acted_from,
        date_to=acted_to,
        page=page,
    )
    return CrackdownPage(items=[CrackdownRead.model_validate(r) for r in rows], next_cursor=cursor)


@router.post(
    "/interviews", status_code=status.HTTP_201_CREATED, response_model=InterviewRead, summary="Record an interview"
)
async def record_interview(
    body: InterviewCreate, uow: UnitOfWork = Depends(get_uow), _: Principal = Writer
) -> InterviewRead:
    """Record an interview (约谈): when, how many persons, about what."""
    return InterviewRead.model_validate(await service.record_interview(uow=uow, data=body))


@router.get("/interviews", response_model=InterviewPage, summary="List interviews")
async def list_interviews(
    township_code: str | None = Township,
    unit_code: str | None = Unit,
    held_from: date | None = None,
    held_to: date | None = None,
    page: PageParams = Depends(page_params),
    uow: UnitOfWork = Depends(get_uow),
    _: Principal = Reader,
) -> InterviewPage:
    """Interviews, newest first."""
    rows, cursor = await service.list_measures(
        uow=uow,
        model=Interview,
        township_code=township_code,
        unit_code=unit_code,
        date_from=held_from,
        date_to=held_to,
        page=page,
    )
    return InterviewPage(items=[InterviewRead.model_validate(r) for r in rows], next_cursor=cursor)


@router.post(
    "/exposures", status_code=status.HTTP_201_CREATED, response_model=ExposureRead, summary="Record an exposure"
)
async def publish_exposure(
    body: ExposureCreate, uow: UnitOfWork = Depends(get_uow), _: Principal = Writer
) -> ExposureRead:
    """Record a public warning exposure (警示曝光)."""
    return ExposureRead.model_validate(await service.publish_exposure(uow=uow, data=body))


@router.get("/exposures", response_model=ExposurePage, summary="List exposures")
async def list_exposures(
    township_code: str | None = Township,
    unit_code: str | None = Unit,
    published_from: date | None = None,
    published_to: date | None = None,
    page: PageParams = Depends(page_params),
    uow: UnitOfWork = Depends(get_uow),
    _: Principal = Reader,
) -> ExposurePage:
    """Exposures, newest first."""
    rows, cursor = await service.list_measures(
        uow=uow,
        model=Exposure,
        township_code=township_code,
        unit_code=unit_code,
        date_from=published_from,
        date_to=published_to,
        page=page,
    )
    return ExposurePage(items=[ExposureRead.model_validate(r) for r in rows], next_cursor=cursor)


@router.post(
    "/typical-cases",
    status_code=status.HTTP_201_CREATED,
    response_model=TypicalCaseRead,
    summary="Record a published typical case",
)
async def publish_typical_case(
    body: TypicalCaseCreate, uow: UnitOfWork = Depends(get_uow), _: Principal = Writer
) -> TypicalCaseRead:
    """Record a published typical case (典型案例)."""
    return TypicalCaseRead.model_validate(await service.publish_typical_case(uow=uow, data=body))


@router.get("/typical-cases", response_model=TypicalCasePage, summary="List typical cases")
async def list_typical_cases(
    township_code: str | None = Township,
    unit_code: str | None = Unit,
    published_from: date | None = None,
    published_to: date | None = None,
    page: PageParams = Depends(page_params),
    uow: UnitOfWork = Depends(get_uow),
    _: Principal = Reader,
) -> TypicalCasePage:
    """Typical cases, newest first."""
    rows, cursor = await service.list_measures(
        uow=uow,
        model=TypicalCase,
        township_code=township_code,
        unit_code=unit_code,
        date_from=published_from,
        date_to=published_to,
        page=page,
    )
    return TypicalCasePage(items=[TypicalCaseRead.model_validate(r) for r in rows], next_cursor=cursor)
