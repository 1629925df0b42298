"""What the OpenAPI document tells clients beyond routes and errors: stable operation ids and the headers the
platform reads and writes (Idempotency-Key, If-None-Match, ETag, 304), and media types of downloads.

`operation_id` names each operation `<tag>_<verb>` from its router tag and endpoint function name
(`hazards_report`, `cases_file`); generated clients use it as the method name, so it must not change when a
path does. `describe_contract` runs after `shared.http.openapi.describe_operations`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI
from fastapi.routing import APIRoute

from shared.http.idempotency import MAX_KEY_LENGTH

BINARY_SCHEMA = {"type": "string", "format": "binary"}

IDEMPOTENCY_KEY = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "description": "A key unique to this change: a retry with the same key and body returns the first answer "
    "(Idempotent-Replayed: true) and changes nothing; the same key with another body is a 422, and a retry "
    "while the first is still running a 409.",
    "schema": {"type": "string", "minLength": 1, "maxLength": MAX_KEY_LENGTH},
}
IF_NONE_MATCH = {
    "name": "If-None-Match",
    "in": "header",
    "required": False,
    "description": "The ETag of the copy the client holds: an unchanged answer is a 304 without a body.",
    "schema": {"type": "string"},
}
ETAG_HEADER = {
    "description": "The answer's version, for If-None-Match (and If-Match on records).",
    "schema": {"type": "string"},
}
NOT_MODIFIED = {
    "description": "Not modified: the copy named by If-None-Match is current.",
    "headers": {"ETag": ETAG_HEADER},
}


def _words(text: str) -> list[str]:
    return [word for word in re.split(r"[^a-z0-9]+", text.lower()) if word]


def _nouns(words: list[str]) -> set[str]:
    return set(words) | {word.removesuffix("s") for word in words} | {word + "s" for word in words}


def operation_id(route: APIRoute) -> str:
    """`<tag>_<function>` without the tag's noun repeated: report_hazard under `hazards` is hazards_report.

    A tag listing several resources ("crackdowns, interviews") names each operation by the one it is about.
    """
    name = _words(route.name)
    items = [_words(item) for item in str(route.tags[0]).split(",")] if route.tags else [[]]
    tag = next((item for item in items if item and set(item) <= _nouns(name)), items[0])
    verb = [word for word in name if word not in _nouns(tag)] or [sorted(route.methods or {"get"})[0].lower()]
    return "_".join([*tag, *verb])


def download(*media_types: str) -> dict[int | str, dict[str, Any]]:
    """The `responses` of a route answering a file: each media type declared as binary content."""
    return {200: {"content": {media_type: {"schema": BINARY_SCHEMA} for media_type in media_types}}}


def _declares(operation: dict[str, Any], name: str) -> bool:
    return any(
        p.get("in") == "header" and p.get("name", "").lower() == name.lower() for p in operation.get("parameters", [])
    )


def describe_contract(document: dict[str, Any]) -> dict[str, Any]:
    """Declare the bearer token's format and the headers every operation reads or answers."""
    # Relative to where the document was fetched from: the service itself or the gateway in front of it.
    document.setdefault("servers", [{"url": "/", "description": "This service, or the gateway in front of it"}])
    schemes = document.setdefault("components", {}).setdefault("securitySchemes", {})
    for scheme in schemes.values():
        if scheme.get("scheme") == "bearer":
            scheme.setdefault("bearerFormat", "JWT")
    for methods in document.get("paths", {}).values():
        for method, operation in methods.items():
            if method == "post" and not _declares(operation, "Idempotency-Key"):
                operation.setdefault("parameters", []).append(IDEMPOTENCY_KEY)
            if method == "get":
                _describe_conditional_get(operation)
    return document


def _describe_conditional_get(operation: dict[str, Any]) -> None:
    """A GET answering JSON carries an ETag and may be a 304 (shared.http.conditional)."""
    ok = operation.get("responses", {}).get("200", {})
    if not any(media == "application/json" or media.endswith("+json") for media in ok.get("content", {})):
        return
    if not _declares(operation, "If-None-Match"):
        operation.setdefault("parameters", []).append(IF_NONE_MATCH)
    ok.setdefault("headers", {}).setdefault("ETag", ETAG_HEADER)
    operation["responses"]["304"] = NOT_MODIFIED


def install_contract(app: FastAPI) -> None:
    """Wrap the app's OpenAPI generation so the document carries the contract's headers."""
    generate: Callable[[], dict[str, Any]] = app.openapi

    def openapi() -> dict[str, Any]:
        described = app.openapi_schema is not None
        document = generate()
        return document if described else describe_contract(document)

    app.openapi = openapi  # type: ignore[method-assign]
