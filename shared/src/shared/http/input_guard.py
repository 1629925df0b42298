"""Input no service can store, refused at the edge with a 422 naming the field.

PostgreSQL text cannot hold the NUL character and its bigint stops at 2^63-1; a value beyond either
would otherwise reach the driver and end as a 500 after the request was accepted. The check runs on
the raw request once, for every route of every service, before any framework parsing.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl

from starlette.types import Message, Receive, Scope, Send

from shared.http.middleware import HttpMiddleware
from shared.http.problems import validation_problem

INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
# Cheap byte tests first: the JSON is parsed again only when one of them may apply.
_NUL_ESCAPE = b"\\u0000"
_LONG_NUMBER = re.compile(rb"\d{19,}")
NUL_REASON = "must not contain the NUL character (\\u0000)"
INT64_REASON = f"must be an integer between {INT64_MIN} and {INT64_MAX}"


def _walk(value: Any, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        if "\x00" in value:
            yield path, NUL_REASON
    elif isinstance(value, bool):
        return
    elif isinstance(value, int):
        if not INT64_MIN <= value <= INT64_MAX:
            yield path, INT64_REASON
    elif isinstance(value, dict):
        for key, item in value.items():
            if "\x00" in key:
                yield f"{path}.{key!r}", NUL_REASON
            yield from _walk(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _walk(item, f"{path}.{index}")


def body_problems(body: bytes) -> list[tuple[str, str]]:
    """Fields of a JSON body that no column can hold (NUL in text, integers beyond int64)."""
    if _NUL_ESCAPE not in body and not _LONG_NUMBER.search(body):
        return []
    try:
        document = json.loads(body)
    except ValueError:
        return []  # not JSON: the route's own validation answers it
    return list(_walk(document, "body"))


def query_problems(query_string: bytes) -> list[tuple[str, str]]:
    """Query parameters carrying the NUL character."""
    if b"%00" not in query_string and b"\x00" not in query_string:
        return []
    pairs = parse_qsl(query_string.decode("latin-1"), keep_blank_values=True)
    return [(f"query.{name}", NUL_REASON) for name, value in pairs if "\x00" in name + value]


class InputGuardMiddleware(HttpMiddleware):
    """Answers 422 problem+json for a path, query parameter or JSON field no column can hold."""

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        problems = query_problems(scope.get("query_string", b""))
        if "\x00" in scope["path"]:
            problems.append(("path", NUL_REASON))
        message = await receive()
        if message["type"] == "http.request" and not problems:
            problems = body_problems(message.get("body", b""))
        if problems:
            await _reject(send, scope["path"], problems)
            return
        pending = [message]

        async def replayed() -> Message:
            return pending.pop() if pending else await receive()

        await self.app(scope, replayed, send)


async def _reject(send: Send, path: str, problems: list[tuple[str, str]]) -> None:
    body = json.dumps(
        validation_problem([{"field": field, "reason": reason} for field, reason in problems], path),
        ensure_ascii=False,
    ).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 422,
            "headers": [(b"content-type", b"application/problem+json"), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})
