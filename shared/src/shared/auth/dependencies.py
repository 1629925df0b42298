"""FastAPI dependencies: the verified principal and role checks."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import Request

from shared.auth.principal import Principal, Role
from shared.auth.tokens import TokenVerifier
from shared.errors import Forbidden, Unauthorized

KNOWN_ROLES = tuple(role.value for role in Role)


async def current_principal(request: Request) -> Principal:
    """The caller, from a verified `Authorization: Bearer` token; 401 otherwise."""
    cached = getattr(request.state, "principal", None)
    if isinstance(cached, Principal):
        return cached
    header = request.headers.get("authorization")
    if not header:
        raise Unauthorized("an Authorization: Bearer token is required")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("the Authorization header must be `Bearer <token>`")
    verifier: TokenVerifier = request.app.state.token_verifier
    principal = await verifier.verify(token.strip())
    if not principal.has_role(*KNOWN_ROLES):
        # Deny by default: a valid token without a role this system knows may read nothing.
        raise Forbidden("the token carries no role this system knows")
    request.state.principal = principal
    return principal


def require_roles(*roles: str) -> Callable[[Request], Awaitable[Principal]]:
    """A dependency that admits callers holding one of `roles` and answers 403 otherwise."""

    async def dependency(request: Request) -> Principal:
        principal = await current_principal(request)
        if not principal.has_role(*roles):
            raise Forbidden(f"this action needs one of the roles: {', '.join(sorted(roles))}")
        return principal

    # Read by the OpenAPI description (`x-required-roles`) and by the validation handler (auth before 422).
    dependency.required_roles = frozenset(str(role) for role in roles)  # type: ignore[attr-defined]
    return dependency
