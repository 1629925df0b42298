"""Conditional reads for clients on slow links: an ETag on every JSON answer to a GET, 304 when it still holds.

A route may set its own ETag (a record's version); otherwise a weak one is computed over the body. API JSON
is `Cache-Control: private, no-cache`: a client may keep it but must revalidate, and no shared cache stores it.
"""

from __future__ import annotations

import hashlib

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CACHE_CONTROL = "private, no-cache"
# Headers a 304 keeps (RFC 9110 15.4.5); the body's own headers go with the body.
KEPT_ON_304 = ("cache-control", "content-location", "date", "etag", "expires", "vary", "x-correlation-id")


def weak_etag(body: bytes) -> str:
    """A weak validator over a response body."""
    return 'W/"' + hashlib.blake2b(body, digest_size=16).hexdigest() + '"'


def etag_matches(if_none_match: str, etag: str) -> bool:
    """The weak comparison of If-None-Match against an ETag (RFC 9110 13.1.2)."""
    if if_none_match.strip() == "*":
        return True
    opaque = etag.removeprefix("W/")
    return any(candidate.strip().removeprefix("W/") == opaque for candidate in if_none_match.split(","))


def _is_json(headers: MutableHeaders) -> bool:
    media_type = headers.get("content-type", "").split(";", 1)[0].strip().lower()
    return media_type == "application/json" or media_type.endswith("+json")


class ConditionalGetMiddleware:
    """Adds ETag and Cache-Control to JSON answers of GETs and answers 304 when If-None-Match matches."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        if_none_match = Headers(scope=scope).get("if-none-match")
        start: Message | None = None
        body = bytearray()
        passthrough = False

        async def conditional_send(message: Message) -> None:
            nonlocal start, passthrough
            if passthrough:
                await send(message)
                return
            if message["type"] == "http.response.start":
                headers = MutableHeaders(raw=message.setdefault("headers", []))
                if message["status"] != 200 or not _is_json(headers):
                    passthrough = True
                    await send(message)
                    return
                headers.setdefault("cache-control", CACHE_CONTROL)
                # What a read says depends on who asks (scope, allowed actions) while a record's ETag is its
                # version: a browser must not answer one user's request with another's copy revalidated by 304.
                headers.add_vary_header("Authorization")
                start = message
                return
            body.extend(message.get("body", b""))
            if message.get("more_body", False):
                return
            assert start is not None
            await self._answer(start, bytes(body), if_none_match, send)

        await self.app(scope, receive, conditional_send)

    @staticmethod
    async def _answer(start: Message, body: bytes, if_none_match: str | None, send: Send) -> None:
        """Send the buffered answer with its ETag, or a bodiless 304 when the client's copy is current."""
        headers = MutableHeaders(raw=start["headers"])
        etag = headers.get("etag") or weak_etag(body)
        headers["etag"] = etag
        if if_none_match is not None and etag_matches(if_none_match, etag):
            kept = [(name, value) for name, value in start["headers"] if name.decode("latin-1").lower() in KEPT_ON_304]
            await send({"type": "http.response.start", "status": 304, "headers": kept})
            await send({"type": "http.response.body", "body": b""})
            return
        await send(start)
        await send({"type": "http.response.body", "body": body})
