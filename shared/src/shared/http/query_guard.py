"""Unknown query parameters are a 422, not silently ignored: `?stauts=open` must not list every status."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from weakref import WeakKeyDictionary

from fastapi import Request
from fastapi.dependencies.models import Dependant
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from pydantic import BaseModel


def _query_names(dependant: Dependant) -> set[str]:
    names: set[str] = set()
    for field in dependant.query_params:
        annotation = field.field_info.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            names.update(sub.alias or name for name, sub in annotation.model_fields.items())
        else:
            names.add(field.alias)
    for sub_dependant in dependant.dependencies:
        names |= _query_names(sub_dependant)
    return names


# Per endpoint function: routes are not hashable, and what a route declares never changes.
_declared: WeakKeyDictionary[Callable[..., Any], frozenset[str]] = WeakKeyDictionary()


def declared_query_parameters(route: APIRoute) -> frozenset[str]:
    """The query parameter names a route and its dependencies declare (a query model's fields included)."""
    names = _declared.get(route.endpoint)
    if names is None:
        names = _declared[route.endpoint] = frozenset(_query_names(route.dependant))
    return names


async def reject_unknown_query(request: Request) -> None:
    """Refuse a request naming a query parameter its route does not declare."""
    route = request.scope.get("route")
    if not isinstance(route, APIRoute):
        return
    unknown = sorted(set(request.query_params) - declared_query_parameters(route))
    if unknown:
        raise RequestValidationError(
            [
                {"type": "extra_forbidden", "loc": ("query", name), "msg": "unknown query parameter", "input": None}
                for name in unknown
            ]
        )
