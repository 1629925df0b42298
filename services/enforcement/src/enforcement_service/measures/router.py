"""HTTP routes of crackdowns, interviews, exposures and typical cases."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Response, status

from enforcement_service.access import Writer
from enforcement_service.http import CurrentRead, Reading
from enforcement_service.measures import service
from enforcement_service.measures.models import CrackdownAction, Exposure, Interview, TypicalCase
from enforcement_service.measures.repository import MeasureT
from enforcement_service.measures.schemas import (
    CRACKDOWN_ROWS,
    EXPOSURE_ROWS,
    INTERVIEW_ROWS,
    TYPICAL_CASE_ROWS,
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
from shared.http.dependencies import UoW
from shared.http.list_rows import ListRows
from shared.http.pagination import PageParams, page_params

router = APIRouter(prefix="/api/v1", tags=["crackdowns, interviews, exposures, typical cases"])


@dataclass(frozen=True)
class MeasureQuery:
    """A list request of any kind of measure: where, by whom, which page, read in the caller's scope."""

    read: Reading
    township_code: str | None
    unit_code: str | None
    page: PageParams

    async def page_of(
        self, model: type[MeasureT], rows: ListRows[Any], period: tuple[date | None, date | None]
    ) -> Response:
        """The page of `model` dated within `period`, answered as its list rows."""
        found, cursor, total = await service.list_measures(
            **self.read.reads,
            model=model,
            township_code=self.township_code,
            unit_code=self.unit_code,
            date_from=period[0],
            date_to=period[1],
            page=self.page,
        )
        return rows.page(found, next_cursor=cursor, total=total)


async def measure_query(
    read: CurrentRead,
    township_code: str | None = Query(None, pattern=r"^\d{12}$"),
    unit_code: str | None = Query(None, max_length=32),
    page: PageParams = Depends(page_params),
) -> MeasureQuery:
    """The common part of a measure list request."""
    return MeasureQuery(read, township_code, unit_code, page)


Measures = Annotated[MeasureQuery, Depends(measure_query)]
Period = tuple[date | None, date | None]


# Each kind names its period after its date, so each has its own pair of query parameters; async, so
# FastAPI calls them inline instead of on the thread pool.
async def acted(acted_from: date | None = None, acted_to: date | None = None) -> Period:
    """Crackdowns acted in a period."""
    return acted_from, acted_to


async def held(held_from: date | None = None, held_to: date | None = None) -> Period:
    """Interviews held in a period."""
    return held_from, held_to


async def published(published_from: date | None = None, published_to: date | None = None) -> Period:
    """Exposures and typical cases published in a period."""
    return published_from, published_to


@router.post(
    "/crackdowns", status_code=status.HTTP_201_CREATED, response_model=CrackdownRead, summary="Record a crackdown"
)
async def record_crackdown(body: CrackdownCreate, uow: UoW, actor: Writer) -> CrackdownRead:
    """Record an action against illegal operations: patrols, sites stopped, seizures (item, quantity, value)."""
    return CrackdownRead.model_validate(await service.record_measure(uow=uow, actor=actor, data=body))


@router.get("/crackdowns", response_model=CrackdownPage, summary="List crackdown actions")
async def list_crackdowns(query: Measures, period: Annotated[Period, Depends(acted)]) -> Response:
    """Crackdown actions, newest first."""
    return await query.page_of(CrackdownAction, CRACKDOWN_ROWS, period)


@router.post(
    "/interviews", status_code=status.HTTP_201_CREATED, response_model=InterviewRead, summary="Record an interview"
)
async def record_interview(body: InterviewCreate, uow: UoW, actor: Writer) -> InterviewRead:
    """Record an interview (约谈): when, how many persons, about what."""
    return InterviewRead.model_validate(await service.record_measure(uow=uow, actor=actor, data=body))


@router.get("/interviews", response_model=InterviewPage, summary="List interviews")
async def list_interviews(query: Measures, period: Annotated[Period, Depends(held)]) -> Response:
    """Interviews, newest first."""
    return await query.page_of(Interview, INTERVIEW_ROWS, period)


@router.post(
    "/exposures", status_code=status.HTTP_201_CREATED, response_model=ExposureRead, summary="Record an exposure"
)
async def publish_exposure(body: ExposureCreate, uow: UoW, actor: Writer) -> ExposureRead:
    """Record a public warning exposure (警示曝光)."""
    return ExposureRead.model_validate(await service.record_measure(uow=uow, actor=actor, data=body))


@router.get("/exposures", response_model=ExposurePage, summary="List exposures")
async def list_exposures(query: Measures, period: Annotated[Period, Depends(published)]) -> Response:
    """Exposures, newest first."""
    return await query.page_of(Exposure, EXPOSURE_ROWS, period)


@router.post(
    "/typical-cases",
    status_code=status.HTTP_201_CREATED,
    response_model=TypicalCaseRead,
    summary="Record a published typical case",
)
async def publish_typical_case(body: TypicalCaseCreate, uow: UoW, actor: Writer) -> TypicalCaseRead:
    """Record a published typical case (典型案例)."""
    return TypicalCaseRead.model_validate(await service.record_measure(uow=uow, actor=actor, data=body))


@router.get("/typical-cases", response_model=TypicalCasePage, summary="List typical cases")
async def list_typical_cases(query: Measures, period: Annotated[Period, Depends(published)]) -> Response:
    """Typical cases, newest first."""
    return await query.page_of(TypicalCase, TYPICAL_CASE_ROWS, period)
