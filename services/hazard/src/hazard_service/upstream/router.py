"""HTTP routes of the upward direct report: target status, alerts and the outbox."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from sqlalchemy.ext.asyncio import AsyncSession

from hazard_service.config import HazardSettings
from hazard_service.upstream import repository
from hazard_service.upstream.schemas import MessageRead, TargetStatus
from shared.auth.dependencies import require_roles
from shared.auth.principal import Principal, Role
from shared.http.dependencies import ReadSession
from shared.http.pagination import Page, PageParams, decode_cursor, encode_cursor, page_params

router = APIRouter(prefix="/api/v1/hazard-upstream", tags=["upward direct report"])

OPERATORS = (Role.CITY_ADMIN, Role.LEADER, Role.INTEGRATION)
Operator = Annotated[Principal, Depends(require_roles(*OPERATORS))]


async def _statuses(session: AsyncSession, settings: HazardSettings) -> list[TargetStatus]:
    states = {s.target: s for s in await repository.target_states(session)}
    backlog = await repository.backlog(session)
    result = []
    for target in settings.upstream_targets:
        state = states.get(target.code)
        count, oldest = backlog.get(target.code, (0, None))
        result.append(
            TargetStatus(
                target=target.code,
                kind=target.kind,
                url=target.url,
                enabled=target.enabled,
                backlog=count,
                oldest_unsent_at=oldest,
                consecutive_failures=state.consecutive_failures if state else 0,
                failing_since=state.failing_since if state else None,
                last_error=state.last_error if state else None,
                last_success_at=state.last_success_at if state else None,
                alerting=bool(state and state.alerting),
            )
        )
    return result


@router.get("/targets", response_model=list[TargetStatus], summary="Delivery status per upstream target")
async def targets(request: Request, session: ReadSession, _: Operator) -> list[TargetStatus]:
    """Every configured target with its backlog and failure state (credentials are never shown)."""
    return await _statuses(session, request.app.state.settings)


@router.get("/alerts", response_model=list[TargetStatus], summary="Targets that keep failing")
async def alerts(request: Request, session: ReadSession, _: Operator) -> list[TargetStatus]:
    """Targets whose consecutive failures reached the alert threshold."""
    return [s for s in await _statuses(session, request.app.state.settings) if s.alerting]


@router.get("/messages", response_model=Page[MessageRead], summary="The upstream outbox, newest first")
async def messages(
    session: ReadSession,
    _: Operator,
    target: str | None = Query(None),
    unsent_only: bool = Query(False),
    page: PageParams = Depends(page_params),
) -> Page[MessageRead]:
    """What was and is to be sent, with attempts and the last error."""
    after = decode_cursor(page.cursor)[0] if page.cursor else None
    rows = await repository.messages(
        session,
        target=target,
        unsent_only=unsent_only,
        after_id=int(after) if after is not None else None,
        limit=page.limit + 1,
    )
    items = [MessageRead.model_validate(r) for r in rows[: page.limit]]
    cursor = encode_cursor([items[-1].id]) if len(rows) > page.limit else None
    return Page[MessageRead](items=items, next_cursor=cursor)
