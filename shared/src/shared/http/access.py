"""Who a route admits, read from its dependencies: the roles of every `require_roles` and `current_principal`.

The OpenAPI description documents it (`x-required-roles`). `ensure_admitted` enforces it before anything else
(create_service_app puts it first on every service route, and the validation handler calls it for a body that
failed to parse), so a caller without a valid token learns nothing from a 422 about what an operation expects.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from weakref import WeakKeyDictionary

from fastapi import Request
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from shared.auth.dependencies import KNOWN_ROLES, current_principal
from shared.errors import Forbidden


@dataclass(frozen=True)
class RouteAccess:
    """Who a route admits: anyone (`authenticated` false), or authenticated callers holding one of `roles`."""

    authenticated: bool
    roles: frozenset[str]


def _calls(dependant: Dependant) -> Iterator[Any]:
    for sub in dependant.dependencies:
        yield sub.call
        yield from _calls(sub)


def access_of(dependant: Dependant) -> RouteAccess:
    """The access a route's dependencies enforce: the roles every `require_roles` in its tree admits."""
    roles = frozenset(KNOWN_ROLES)
    authenticated = False
    for call in _calls(dependant):
        required = getattr(call, "required_roles", None)
        if required is not None:
            roles &= required
            authenticated = True
        elif call is current_principal:
            authenticated = True
    return RouteAccess(authenticated=authenticated, roles=roles if authenticated else frozenset())


# Per endpoint function (routes are not hashable): a route's dependencies never change, so its tree is walked once.
_route_access: WeakKeyDictionary[Callable[..., Any], RouteAccess] = WeakKeyDictionary()


def route_access(route: APIRoute) -> RouteAccess:
    """`access_of` the route's dependencies, remembered per endpoint."""
    access = _route_access.get(route.endpoint)
    if access is None:
        access = _route_access[route.endpoint] = access_of(route.dependant)
    return access


async def ensure_admitted(request: Request) -> None:
    """Raise the 401 or 403 the matched route's dependencies would raise for this request (if any)."""
    route = request.scope.get("route")
    if not isinstance(route, APIRoute):
        return
    access = route_access(route)
    if not access.authenticated:
        return
    principal = await current_principal(request)
    if not principal.has_role(*access.roles):
        raise Forbidden(f"this action needs one of the roles: {', '.join(sorted(access.roles))}")
