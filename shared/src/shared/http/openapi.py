"""What each operation admits and answers, read from its routes and written into the OpenAPI document.

- Access: `require_roles` marks its dependency with the roles it admits; walking a route's dependant finds
  them (and `current_principal`), so every operation documents `x-required-roles` (every known role when any
  authenticated caller is admitted) or, for a public one, an empty `security`.
- Errors: the body of every error is problem+json, so the statuses a route can answer are documented with
  the problem schema (422 with its per-field `errors`) instead of FastAPI's `{detail: [...]}`.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute, iter_route_contexts

from shared.http.access import RouteAccess, access_of

PROBLEM_JSON = "application/problem+json"
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

PROBLEM_SCHEMA: dict[str, Any] = {
    "title": "Problem",
    "type": "object",
    "description": "RFC 9457 problem details.",
    "required": ["type", "title", "status"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["field", "reason"],
                "properties": {"field": {"type": "string"}, "reason": {"type": "string"}},
            },
        },
    },
}
PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}

STATUS_DESCRIPTIONS = {
    401: "Missing or invalid bearer token",
    403: "The caller's role may not act",
    404: "Not found, or outside the caller's jurisdiction",
    409: "An illegal transition, a conflict or a stale If-Match",
    413: "The body is too large",
    422: "Invalid input, each bad field named in `errors`",
    503: "The database cannot be reached right now",
}


def _answers(dependant: Dependant, methods: set[str], access: RouteAccess) -> set[int]:
    """The error statuses a route can answer, from what it declares and what the platform enforces."""
    statuses = {503}
    if access.authenticated:
        statuses |= {401, 403}
    if dependant.path_params:
        statuses.add(404)
    if dependant.path_params or dependant.query_params or dependant.header_params:
        statuses.add(422)
    if methods & WRITE_METHODS:
        # A write may name items in its body (an enterprise, a supervisor): missing or out of reach, a 404.
        statuses |= {404, 409, 413, 422}
    return statuses


def _problem_response(status: int, existing: dict[str, Any] | None) -> dict[str, Any]:
    description = (existing or {}).get("description") or STATUS_DESCRIPTIONS.get(status, "Error")
    return {"description": description, "content": {PROBLEM_JSON: {"schema": PROBLEM_REF}}}


def describe_operations(app: FastAPI, document: dict[str, Any]) -> dict[str, Any]:
    """Add access (`x-required-roles`, `security`) and problem+json error responses to each operation."""
    document.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
    document["components"].setdefault("securitySchemes", {})["bearer"] = {"type": "http", "scheme": "bearer"}
    for route in iter_route_contexts(app.routes):
        if not isinstance(route.original_route, APIRoute) or not route.include_in_schema:
            continue
        access = access_of(route.dependant)
        methods = set(route.methods or ())
        for method in methods:
            operation = document["paths"].get(route.path_format, {}).get(method.lower())
            if operation is None:
                continue
            responses = operation.setdefault("responses", {})
            if access.authenticated:
                operation["security"] = [{"bearer": []}]
                operation["x-required-roles"] = sorted(access.roles)
            else:
                operation["security"] = []
            declared = {int(code) for code in responses if code.isdigit() and int(code) >= 400}
            for status in sorted(declared | _answers(route.dependant, methods, access)):
                responses[str(status)] = _problem_response(status, responses.get(str(status)))
    # FastAPI's validation error schemas describe a body no route answers with; drop them once unreferenced.
    schemas = document["components"]["schemas"]
    for unused in ("HTTPValidationError", "ValidationError"):
        if f'"#/components/schemas/{unused}"' not in json.dumps(document):
            schemas.pop(unused, None)
    return document


def install_openapi(app: FastAPI) -> None:
    """Generate the app's OpenAPI document once, with access and problem+json responses described."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = get_openapi(
                title=app.title,
                version=app.version,
                openapi_version=app.openapi_version,
                description=app.description,
                routes=app.routes,
                tags=app.openapi_tags,
                servers=app.servers,
            )
            app.openapi_schema = describe_operations(app, document)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
