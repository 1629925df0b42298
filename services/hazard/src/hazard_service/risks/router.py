"""HTTP routes of risk points and the 一图两清单 exports."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response, status
from fastapi.responses import JSONResponse
from fastapi.responses import Response as RawResponse
from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession

from hazard_service.risks import exports, service
from hazard_service.risks.models import RiskPoint
from hazard_service.risks.schemas import (
    RiskLevel,
    RiskMap,
    RiskPointCreate,
    RiskPointRead,
    RiskPointRetire,
    RiskPointUpdate,
)
from shared.auth.dependencies import require_roles
from shared.auth.principal import Principal, Role
from shared.auth.scope import Scope
from shared.db import UnitOfWork
from shared.http.concurrency import etag
from shared.http.dependencies import CurrentScope, IfMatch, ReadSession, UoW
from shared.http.openapi_contract import download
from shared.http.pagination import Page, PageParams, UpdatedSince, page_params

router = APIRouter(prefix="/api/v1/risk-points", tags=["dual prevention"])

EDITORS = (Role.CITY_ADMIN, Role.DEPARTMENT_OFFICER, Role.TOWNSHIP_OFFICER, Role.ENTERPRISE)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
Editor = Annotated[Principal, Depends(require_roles(*EDITORS))]
TownshipCode = Annotated[str | None, Query(max_length=12)]
EnterpriseId = Annotated[uuid.UUID | None, Query()]


def _read(point: RiskPoint, response: Response) -> RiskPointRead:
    response.headers["ETag"] = etag(point.version)
    return RiskPointRead.model_validate(point)


@dataclass(frozen=True)
class _PointChange:
    """An editor's change of one risk point: what each such endpoint takes, and the one way each answers."""

    point_id: uuid.UUID
    response: Response
    uow: UnitOfWork
    actor: Principal
    if_match: str | None

    async def apply(self, change: Callable[..., Awaitable[RiskPoint]], body: BaseModel) -> RiskPointRead:
        """Run the use case `change` on the point and answer it in its new state with its ETag."""
        point = await change(uow=self.uow, actor=self.actor, point_id=self.point_id, if_match=self.if_match, data=body)
        return _read(point, self.response)


async def _point_change(
    point_id: uuid.UUID, response: Response, uow: UoW, actor: Editor, if_match: IfMatch = None
) -> _PointChange:
    return _PointChange(point_id, response, uow, actor, if_match)


PointChange = Annotated[_PointChange, Depends(_point_change)]


@router.post("", status_code=status.HTTP_201_CREATED, response_model=RiskPointRead, summary="Register a risk point")
async def register(body: RiskPointCreate, response: Response, uow: UoW, actor: Editor) -> RiskPointRead:
    """A risk point with its four-colour level, control measures and responsible person."""
    return _read(await service.register(uow=uow, actor=actor, data=body), response)


@router.get("", response_model=Page[RiskPointRead], summary="List risk points")
async def list_points(
    session: ReadSession,
    scope: CurrentScope,
    enterprise_id: EnterpriseId = None,
    township_code: TownshipCode = None,
    level: RiskLevel | None = Query(None),
    include_retired: bool = Query(False),
    page: PageParams = Depends(page_params),
    updated_since: UpdatedSince = None,
) -> Page[RiskPointRead]:
    """Risk points the caller may see, in a stable order (or the change feed)."""
    rows, cursor, total = await service.list_points(
        session=session,
        scope=scope,
        enterprise_id=enterprise_id,
        township_code=township_code,
        level=level.value if level else None,
        include_retired=include_retired,
        page=page,
        updated_since=updated_since,
    )
    items = [RiskPointRead.model_validate(r) for r in rows]
    return Page[RiskPointRead](items=items, next_cursor=cursor, total=total)


@router.get("/map.geojson", response_model=RiskMap, summary="Four-colour risk map (GeoJSON)")
async def risk_map(
    session: ReadSession, scope: CurrentScope, township_code: TownshipCode = None, level: RiskLevel | None = Query(None)
) -> JSONResponse:
    """Located risk points as a FeatureCollection with level, label and colour."""
    rows = await service.search(
        session=session,
        scope=scope,
        enterprise_id=None,
        township_code=township_code,
        level=level.value if level else None,
    )
    return JSONResponse(exports.geojson(rows), media_type="application/geo+json")


async def _xlsx(
    session: AsyncSession,
    scope: Scope,
    township_code: str | None,
    enterprise_id: uuid.UUID | None,
    render: Callable[[Sequence[RiskPoint]], bytes],
) -> RawResponse:
    """The visible risk points of a township or enterprise, rendered as a workbook."""
    rows = await service.search(
        session=session, scope=scope, enterprise_id=enterprise_id, township_code=township_code, level=None
    )
    return RawResponse(render(rows), media_type=XLSX)


@router.get(
    "/control-list.xlsx", summary="风险管控责任清单 (XLSX)", response_class=RawResponse, responses=download(XLSX)
)
async def control_list(
    session: ReadSession, scope: CurrentScope, township_code: TownshipCode = None, enterprise_id: EnterpriseId = None
) -> RawResponse:
    """One row per risk point with its responsible unit and person."""
    return await _xlsx(session, scope, township_code, enterprise_id, exports.risk_control_xlsx)


@router.get("/measure-list.xlsx", summary="管控措施清单 (XLSX)", response_class=RawResponse, responses=download(XLSX))
async def measure_list(
    session: ReadSession, scope: CurrentScope, township_code: TownshipCode = None, enterprise_id: EnterpriseId = None
) -> RawResponse:
    """One row per control measure."""
    return await _xlsx(session, scope, township_code, enterprise_id, exports.control_measure_xlsx)


@router.get("/{point_id}", response_model=RiskPointRead, summary="Get a risk point")
async def get_point(
    point_id: uuid.UUID, response: Response, session: ReadSession, scope: CurrentScope
) -> RiskPointRead:
    """A risk point with its version as ETag."""
    return _read(await service.get(session=session, scope=scope, point_id=point_id), response)


@router.patch("/{point_id}", response_model=RiskPointRead, summary="Change a risk point")
async def update_point(body: RiskPointUpdate, point: PointChange) -> RiskPointRead:
    """Change level, measures or responsible person; If-Match guards against lost updates."""
    return await point.apply(service.update, body)


@router.post("/{point_id}/retirement", response_model=RiskPointRead, summary="Retire a risk point")
async def retire_point(body: RiskPointRetire, point: PointChange) -> RiskPointRead:
    """The risk point no longer exists; it stays in the record."""
    return await point.apply(service.retire, body)
