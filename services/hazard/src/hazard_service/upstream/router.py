"""HTTP routes of the upward direct report: target status, alerts, the outbox and its parked messages, the
published message schemas, the targets' status callback and the daily reconciliation."""

from __future__ import annotations

import json
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Path, Query, Request
from sqlalchemy.ext.asyncio import AsyncSession

from hazard_service.config import HazardSettings, UpstreamTargetConfig
from hazard_service.upstream import repository, service, signing
from hazard_service.upstream.adapters import Receipt
from hazard_service.upstream.messages import SCHEMAS, schema_path
from hazard_service.upstream.schemas import (
    MessageRead,
    ReceiptsApplied,
    ReceiptsIn,
    ReconciliationReport,
    TargetReconciliation,
    TargetStatus,
)
from shared import clock
from shared.auth.dependencies import require_roles
from shared.auth.principal import Principal, Role
from shared.errors import NotFound, Unauthorized
from shared.http.dependencies import ReadSession, UoW
from shared.http.list_rows import count_of
from shared.http.pagination import Page, PageParams, decode_cursor, encode_cursor, page_params

router = APIRouter(prefix="/api/v1/hazard-upstream", tags=["upward direct report"])

OPERATORS = (Role.CITY_ADMIN, Role.LEADER, Role.INTEGRATION)
Operator = Annotated[Principal, Depends(require_roles(*OPERATORS))]
# Retrying or discarding a parked message changes what goes upstream: administrators and integrators only.
Fixer = Annotated[Principal, Depends(require_roles(Role.CITY_ADMIN, Role.INTEGRATION))]
Integration = Annotated[Principal, Depends(require_roles(Role.INTEGRATION))]
ParkedId = Annotated[int, Path(description="The parked message's id (`id` in the list).")]


def _settings(request: Request) -> HazardSettings:
    settings: HazardSettings = request.app.state.settings
    return settings


async def _statuses(session: AsyncSession, settings: HazardSettings) -> list[TargetStatus]:
    states = {s.target: s for s in await repository.target_states(session)}
    backlog = await repository.backlog(session)
    result = []
    for target in settings.upstream_targets:
        state = states.get(target.code)
        count, oldest, parked = backlog.get(target.code, (0, None, 0))
        result.append(
            TargetStatus(
                target=target.code,
                kind=target.kind,
                url=target.url,
                enabled=target.enabled,
                backlog=count,
                parked=parked,
                oldest_unsent_at=oldest,
                consecutive_failures=state.consecutive_failures if state else 0,
                failing_since=state.failing_since if state else None,
                last_error=state.last_error if state else None,
                last_success_at=state.last_success_at if state else None,
                last_contact_at=state.last_contact_at if state else None,
                alerting=bool(state and state.alerting),
            )
        )
    return result


@router.get("/targets", response_model=Page[TargetStatus], summary="Delivery status per upstream target")
async def targets(request: Request, session: ReadSession, _: Operator) -> Page[TargetStatus]:
    """Every configured target with its backlog and failure state (credentials are never shown), in one page."""
    return Page[TargetStatus].whole(await _statuses(session, _settings(request)))


@router.get("/alerts", response_model=Page[TargetStatus], summary="Targets that keep failing")
async def alerts(request: Request, session: ReadSession, _: Operator) -> Page[TargetStatus]:
    """Targets whose consecutive failures reached the alert threshold, in one page."""
    return Page[TargetStatus].whole(s for s in await _statuses(session, _settings(request)) if s.alerting)


async def _page(session: AsyncSession, page: PageParams, **filters: Any) -> Page[MessageRead]:
    after = decode_cursor(page.cursor)[0] if page.cursor else None
    stmt = repository.outbox(**filters)
    rows = await repository.messages(
        session, stmt, after_id=int(after) if after is not None else None, limit=page.limit + 1
    )
    items = [MessageRead.model_validate(r) for r in rows[: page.limit]]
    cursor = encode_cursor([items[-1].id]) if len(rows) > page.limit else None
    total = await count_of(session, stmt) if page.include_total else None
    return Page[MessageRead](items=items, next_cursor=cursor, total=total)


@router.get("/messages", response_model=Page[MessageRead], summary="The upstream outbox, newest first")
async def messages(
    session: ReadSession,
    _: Operator,
    target: str | None = Query(None),
    unsent_only: bool = Query(False),
    page: PageParams = Depends(page_params),
) -> Page[MessageRead]:
    """What was and is to be sent, with attempts and the last error."""
    return await _page(session, page, target=target, unsent_only=unsent_only)


@router.get("/parked", response_model=Page[MessageRead], summary="Messages a target refused, newest first")
async def parked(
    session: ReadSession, _: Operator, target: str | None = Query(None), page: PageParams = Depends(page_params)
) -> Page[MessageRead]:
    """Messages parked with the target's answer (or why they could not be mapped), waiting for an operator."""
    return await _page(session, page, target=target, unsent_only=False, parked_only=True)


@router.post("/parked/{message_id}/retry", response_model=MessageRead, summary="Send a parked message again")
async def retry_parked(message_id: ParkedId, uow: UoW, actor: Fixer) -> MessageRead:
    """Put the message back in its target's queue once its cause is fixed."""
    return MessageRead.model_validate(await service.retry_parked(uow=uow, actor=actor, message_id=message_id))


@router.post("/parked/{message_id}/discard", response_model=MessageRead, summary="Give up on a parked message")
async def discard_parked(message_id: ParkedId, uow: UoW, actor: Fixer) -> MessageRead:
    """Never send the message; it stays listed in the outbox as discarded."""
    return MessageRead.model_validate(await service.discard_parked(uow=uow, actor=actor, message_id=message_id))


@router.get("/schemas/{kind}", summary="The JSON Schema of a target's message")
async def message_schema(kind: str, _: Operator) -> dict[str, Any]:
    """The published schema (also in the repository: hazard_service/upstream/contract/)."""
    if kind not in SCHEMAS:
        raise NotFound(f"no schema for {kind}; known: {', '.join(SCHEMAS)}")
    schema: dict[str, Any] = json.loads(schema_path(kind).read_text("utf-8"))
    return schema


def _target(settings: HazardSettings, code: str) -> UpstreamTargetConfig:
    for target in settings.upstream_targets:
        if target.code == code and target.enabled:
            return target
    raise NotFound(f"no enabled upstream target {code}")


@router.post("/targets/{code}/receipts", response_model=ReceiptsApplied, summary="A target's status callback")
async def receipts(code: str, sent: ReceiptsIn, request: Request, uow: UoW, _: Integration) -> ReceiptsApplied:
    """A target says what became of messages it took; rejected or corrected ones enter the hazard's timeline.
    The request is signed with the target's secret (headers as for our requests, see the schema README)."""
    target = _target(_settings(request), code)
    body = await request.body()
    if target.hmac_secret is not None:
        try:
            signing.verify(
                secrets_by_key={target.hmac_key_id: target.hmac_secret.get_secret_value()},
                headers=request.headers,
                method=request.method,
                path=request.url.path,
                body=body,
                seen_nonces=set(),
            )
        except signing.BadSignature as exc:
            raise Unauthorized(f"bad signature: {exc}") from None
    found = [Receipt(r.messageId, r.status, r.reason, r.remoteId) for r in sent.receipts]
    return ReceiptsApplied(applied=await service.apply_receipts(uow=uow, target=code, receipts=found))


@router.get("/reconciliation", response_model=ReconciliationReport, summary="The daily reconciliation report")
async def reconciliation(
    session: ReadSession,
    _: Operator,
    day: date | None = Query(None, description="The day in the regulator's zone; today when omitted."),
) -> ReconciliationReport:
    """Per target: what we sent that day and what the target acknowledged, rejected or corrected since, what was
    parked or discarded, and the messages still without a receipt."""
    when = day or clock.today()
    start, end = service.day_bounds(when)
    totals, missing = await repository.reconciliation(session, start, end, limit=100)
    return ReconciliationReport(
        day=when,
        generated_at=clock.now(),
        targets=[
            TargetReconciliation(target=t, unacknowledged_message_ids=missing.get(t, []), **counts)
            for t, counts in sorted(totals.items())
        ],
    )


async def readiness(app: FastAPI) -> dict[str, str]:
    """/readyz checks: each enabled target answered something within `upstream_unreachable_after_s`."""
    settings: HazardSettings = app.state.settings
    if not any(t.enabled for t in settings.upstream_targets):
        return {}
    async with app.state.read_sessionmaker() as session:
        states = await repository.target_states(session)
    problems = service.unreachable(states, settings, clock.now())
    return {f"upstream:{t.code}": problems.get(t.code, "ok") for t in settings.upstream_targets if t.enabled}
