"""Request-scoped dependencies, and the `Annotated` aliases every router declares its parameters with.

Writes go through the unit of work (`UoW`), reads through one read session (`ReadSession`), the caller
is `CurrentPrincipal` and its reach `CurrentScope`. Action endpoints take `IfMatch`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Header, Request
from sqlalchemy.ext.asyncio import AsyncSession

from shared.auth.dependencies import current_principal
from shared.auth.principal import Principal
from shared.auth.scope import Scope
from shared.context import RequestMeta
from shared.db.uow import UnitOfWork


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


async def get_uow(request: Request, principal: Principal = Depends(current_principal)) -> UnitOfWork:
    """A unit of work acting as the caller, carrying the request's Idempotency-Key claim."""
    state = request.app.state
    return UnitOfWork(
        state.sessionmaker,
        state.database,
        source=state.settings.service_name,
        actor=principal,
        request=request_meta(request),
        idempotency=getattr(request.state, "idempotency_claim", None),
    )


async def read_session(request: Request) -> AsyncIterator[AsyncSession]:
    """A session for reads only, on an autocommit connection: no BEGIN/ROLLBACK round trips per request."""
    async with request.app.state.read_sessionmaker() as session:
        yield session


async def current_scope(principal: Principal = Depends(current_principal)) -> Scope:
    """The caller's reach with the platform's default jurisdiction roles."""
    return Scope(principal)


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]
CurrentScope = Annotated[Scope, Depends(current_scope)]
UoW = Annotated[UnitOfWork, Depends(get_uow)]
ReadSession = Annotated[AsyncSession, Depends(read_session)]
IfMatch = Annotated[
    str | None,
    Header(alias="If-Match", description="The ETag (or version) the change is based on; a stale one is a 409."),
]
