"""HTTP routes of risk points and the 一图两清单 exports."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Depends, Header, Query, Response, status
from fastapi.responses import JSONResponse
from fastapi.responses import Response as RawResponse

from hazard_service.risks import exports, service
from hazard_service.risks.models import RiskPoint
from hazard_service.risks.schemas import RiskLevel, RiskPointCreate, RiskPointRead, RiskPointRetire, RiskPointUpdate
from shared.auth.dependencies import current_principal, require_roles
from shared.auth.principal import Principal, Role
from shared.db import UnitOfWork
from shared.http.concurrency import etag
from shared.http.dependencies import get_uow
from shared.http.pagination import Page, PageParams, decode_cursor, encode_cursor, page_params

router = APIRouter(prefix="/api/v1/risk-points", tags=["dual prevention"])

EDITORS = (Role.CITY_ADMIN, Role.DEPARTMENT_OFFICER, Role.TOWNSHIP_OFFICER, Role.ENTERPRISE)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _read(point: RiskPoint, response: Response) -> RiskPointRead:
    response.headers["ETag"] = etag(point.version)
    return RiskPointRead.model_validate(point)


@router.post("", status_code=status.HTTP_201_CREATED, response_model=RiskPointRead, summary="Register a risk point")
async def register(
    body: RiskPointCreate,
    response: Response,
    uow: UnitOfWork = Depends(get_uow),
    _: Principal = Depends(require_roles(*EDITORS)),
) -> RiskPointRead:
    """A risk point with its four-colour level, control measures and responsible person."""
    return _read(await service.register(uow=uow, data=body), response)


@router.get("", response_model=Page[RiskPointRead], summary="List risk points")
async def list_points(
    enterprise_id: uuid.UUID | None = Query(None),
    township_code: str | None = Query(None, max_length=12),
    level: RiskLevel | None = Query(None),
    include_retired: bool = Query(False),
    page: PageParams = Depends(page_params),
    uow: UnitOfWork = Depends(get_uow),
    _: Principal = Depends(current_principal),
) -> Page[RiskPointRead]:
    """Risk points the caller may see, in a stable order."""
    after = uuid.UUID(str(decode_cursor(page.cursor)[0])) if page.cursor else None
    rows = await service.search(
        uow=uow,
        enterprise_id=enterprise_id,
        township_code=township_code,
        level=level.value if level else None,
        include_retired=include_retired,
        after=after,
        limit=page.limit + 1,
    )
    items = [RiskPointRead.model_validate(r) for r in rows[: page.limit]]
    cursor = encode_cursor([str(items[-1].id)]) if len(rows) > page.limit else None
    return Page[RiskPointRead](items=items, next_cursor=cursor)


@router.get("/map.geojson", summary="Four-colour risk map (GeoJSON)")
async def risk_map(
    township_code: str | None = Query(None, max_length=12),
    level: RiskLevel | None = Query(None),
    uow: UnitOfWork = Depends(get_uow),
    _: Principal = Depends(current_principal),
) -> JSONResponse:
    """Located risk points as a FeatureCollection with level, label and colour."""
    rows = await service.search(
        uow=uow, enterprise_id=None, township_code=township_code, level=level.value if level else None
    )
    return JSONResponse(exports.geojson(rows), media_type="application/geo+json")


@router.get("/control-list.xlsx", summary="风险管控责任清单 (XLSX)", response_class=RawResponse)
async def control_list(
    township_code: str | None = Query(None, max_length=12),
    enterprise_id: uuid.UUID | None = Query(None),
    uow: UnitOfWork = Depends(get_uow),
    _: Principal = Depends(current_principal),
) -> RawResponse:
    """One row per risk point with its responsible unit and person."""
    rows = await service.search(uow=uow, enterprise_id=enterprise_id, township_code=township_code, level=None)
    return RawResponse(exports.risk_control_xlsx(rows), media_type=XLSX)


@router.get("/measure-list.xlsx", summary="管控措施清单 (XLSX)", response_class=RawResponse)
async def measure_list(
    township_code: str | None = Query(None, max_length=12),
    enterprise_id: uuid.UUID | None = Query(None),
    uow: UnitOfWork = Depends(get_uow),
    _: Principal = Depends(current_principal),
) -> RawResponse:
    """One row per control measure."""
    rows = await service.search(uow=uow, enterprise_id=enterprise_id, township_code=township_code, level=None)
    return RawResponse(exports.control_measure_xlsx(rows), media_type=XLSX)


@router.get("/{point_id}", response_model=RiskPointRead, summary="Get a risk point")
async def get_point(
    point_id: uuid.UUID,
    response: Response,
    uow: UnitOfWork = Depends(get_uow),
    _: Principal = Depends(current_principal),
) -> RiskPointRead:
    """A risk point with its version as ETag."""
    return _read(await service.get(uow=uow, point_id=point_id), response)


@router.patch("/{point_id}", response_model=RiskPointRead, summary="Change a risk point")
async def update_point(
    point_id: uuid.UUID,
    body: RiskPointUpdate,
    response: Response,
    if_match: str | None = Header(None, alias="If-Match"),
    uow: UnitOfWork = Depends(get_uow),
    _: Principal = Depends(require_roles(*EDITORS)),
) -> RiskPointRead:
    """Change level, measures or responsible person; If-Match guards against lost updates."""
    return _read(await service.update(uow=uow, point_id=point_id, if_match=if_match, data=body), response)


@router.post("/{point_id}/retirement", response_model=RiskPointRead, summary="Retire a risk point")
async def retire_point(
    point_id: uuid.UUID,
    body: RiskPointRetire,
    response: Response,
    if_match: str | None = Header(None, alias="If-Match"),
    uow: UnitOfWork = Depends(get_uow),
    _: Principal = Depends(require_roles(*EDITORS)),
) -> RiskPointRead:
    """The risk point no longer exists; it stays in the record."""
    return _read(await service.retire(uow=uow, point_id=point_id, if_match=if_match, data=body), response)
