"""Request-scoped dependencies: the unit of work bound to the caller and the request."""

from __future__ import annotations

from typing import Any

from fastapi import Depends, Request

from shared.auth.dependencies import current_principal
from shared.auth.principal import Principal
from shared.context import RequestMeta
from shared.db.uow import DriverUnitOfWork, UnitOfWork


def request_meta(request: Request) -> RequestMeta:
    """Where the request came from, for the audit trail.

    The client address is uvicorn's: the peer's, or the one a trusted proxy (`trusted_proxies`) put in
    X-Forwarded-For. The header's first entry is whatever the client sent, so it is never read here.
    """
    return RequestMeta(
        client_ip=request.client.host if request.client else None,
        user_agent=request.headers.get("user-agent"),
        method=request.method,
        path=request.scope["path"],  # what `request.url.path` gives, without building the whole URL
    )


def _acting_for(request: Request, principal: Principal) -> dict[str, Any]:
    """Who a request's unit of work acts as, for which request, with its Idempotency-Key claim."""
    return {
        "source": request.app.state.settings.service_name,
        "actor": principal,
        "request": request_meta(request),
        "idempotency": getattr(request.state, "idempotency_claim", None),
    }


async def get_uow(request: Request, principal: Principal = Depends(current_principal)) -> UnitOfWork:
    """A unit of work acting as the caller, carrying the request's Idempotency-Key claim."""
    state = request.app.state
    return UnitOfWork(state.sessionmaker, state.database, **_acting_for(request, principal))


async def get_driver_uow(request: Request) -> DriverUnitOfWork:
    """Like `get_uow`, for a use case that writes on the driver connection (see `DriverUnitOfWork`).

    It takes only the request (the principal is verified once per request and kept on it), so that a
    `CommandRoute` can serve the endpoint.
    """
    principal = await current_principal(request)
    state = request.app.state
    return DriverUnitOfWork(state.engine, state.database, **_acting_for(request, principal))
