"""Idempotency-Key for POSTs: a retried request returns the first result and changes nothing.

The key is claimed inside the write's own transaction (see UnitOfWork), so a write and its
key commit together; this middleware replays stored results and stores the first response.
"""

from __future__ import annotations

import asyncio
import email.policy
import hashlib
import json
import logging
import time
from email.message import EmailMessage
from email.parser import BytesHeaderParser
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.sql import func
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.db.uow import IdempotencyClaim
from shared.errors import Unauthorized
from shared.http.problems import database_unavailable

log = logging.getLogger(__name__)
IDEMPOTENCY_HEADER = b"idempotency-key"
MAX_KEY_LENGTH = 255


class IdempotencyMiddleware:
    """Replays the stored response of a POST whose Idempotency-Key was already used."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = dict(scope.get("headers", [])) if scope["type"] == "http" else {}
        key_bytes = headers.get(IDEMPOTENCY_HEADER)
        if scope["type"] != "http" or scope["method"] != "POST" or key_bytes is None:
            await self.app(scope, receive, send)
            return
        key = key_bytes.decode("latin-1").strip()
        if not key or len(key) > MAX_KEY_LENGTH:
            await _send_json(
                send,
                400,
                _problem(
                    400,
                    "bad-request",
                    "Bad request",
                    f"Idempotency-Key must be 1 to {MAX_KEY_LENGTH} characters",
                ),
            )
            return
        body = await _read_body(receive)
        subject = await _subject(scope, headers)
        if subject is None:
            await self.app(scope, _replay_body(body), send)
            return
        request_hash = hashlib.sha256(
            b"\n".join(
                [
                    scope["method"].encode(),
                    scope["path"].encode(),
                    scope.get("query_string", b""),
                    request_content(headers.get(b"content-type", b"").decode("latin-1"), body),
                ]
            )
        ).hexdigest()
        app_state = scope["app"].state
        table = app_state.database.idempotency
        async with app_state.engine.connect() as conn:
            row = (
                await conn.execute(
                    select(table.c.request_hash, table.c.status_code, table.c.response_body).where(
                        table.c.subject == subject, table.c.key == key
                    )
                )
            ).first()
        if row is not None:
            if row.request_hash != request_hash:
                await _send_json(
                    send,
                    422,
                    _problem(
                        422,
                        "idempotency-key-reused",
                        "Idempotency-Key reused",
                        "this Idempotency-Key was used for a different request",
                    ),
                )
            elif row.status_code is None:
                await _send_json(
                    send,
                    409,
                    _problem(
                        409,
                        "conflict",
                        "Conflict",
                        "a request with this Idempotency-Key is still being processed",
                    ),
                )
            else:
                await _send_raw(send, row.status_code, row.response_body or "", replayed=True)
            return

        scope.setdefault("state", {})["idempotency_claim"] = IdempotencyClaim(subject, key, request_hash)
        status = 0
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if not message.get("more_body", False) and status < 500:
                    # Stored before the last byte leaves: a client that retries as soon as it has the
                    # answer must find it, not a claim "still being processed".
                    await _store_or_keep_trying(app_state.engine, table, subject, key, status, b"".join(chunks))
            await send(message)

        await self.app(scope, _replay_body(body), capture)


def request_content(content_type: str, body: bytes) -> bytes:
    """What makes two bodies the same request: a multipart form's parts, or else the bytes themselves.

    Every multipart send draws a new random boundary, so a retried upload differs from the first in bytes;
    its parts (names, filenames, content types and content digests) are the same.
    """
    header = _header("content-type", content_type)
    boundary = header.get_param("boundary")
    if header.get_content_type() != "multipart/form-data" or not isinstance(boundary, str) or not boundary:
        return body
    parts = _form_parts(body, boundary.encode("latin-1"))
    return body if parts is None else json.dumps(parts).encode()


def _header(name: str, value: str) -> EmailMessage:
    message = EmailMessage()
    message[name] = value
    return message


def _form_parts(body: bytes, boundary: bytes) -> list[list[str | None]] | None:
    """Each part as [name, filename, content type, SHA-256 of the content]; None for a malformed body."""
    # A delimiter is CRLF, "--" and the boundary; the first one may open the body without its CRLF.
    sections = (b"\r\n" + body).split(b"\r\n--" + boundary)
    parts: list[list[str | None]] = []
    for section in sections[1:]:
        if section.startswith(b"--"):
            return parts
        head, separator, content = section.partition(b"\r\n\r\n")
        if not separator:
            return None
        headers = BytesHeaderParser(policy=email.policy.HTTP).parsebytes(head.lstrip(b" \t\r\n") + b"\r\n\r\n")
        disposition = headers.get("content-disposition")
        parts.append(
            [
                _param(disposition, "name"),
                _param(disposition, "filename"),
                str(headers.get("content-type", "")) or None,
                hashlib.sha256(content).hexdigest(),
            ]
        )
    return None  # no closing delimiter: a truncated body


def _param(header: Any, name: str) -> str | None:
    value = header.params.get(name) if header is not None and hasattr(header, "params") else None
    return None if value is None else str(value)


async def _store_or_keep_trying(engine: Any, table: Any, subject: str, key: str, status: int, body: bytes) -> None:
    """Store the answer; while the database cannot be reached, keep trying in the background.

    The write has committed by now: an answer that is never stored would leave the key "still being processed"
    for every retry, so the client could never learn the outcome. The answer itself is not held back.
    """
    try:
        await _store(engine, table, subject, key, status, body)
    except Exception as exc:
        if not database_unavailable(exc):
            raise
        task = asyncio.create_task(_retry_store(engine, table, subject, key, status, body))
        _PENDING_STORES.add(task)
        task.add_done_callback(_PENDING_STORES.discard)


_PENDING_STORES: set[asyncio.Task[None]] = set()
STORE_RETRY_S = 1.0
STORE_GIVE_UP_S = 600.0


async def _retry_store(engine: Any, table: Any, subject: str, key: str, status: int, body: bytes) -> None:
    deadline = time.monotonic() + STORE_GIVE_UP_S
    while time.monotonic() < deadline:
        await asyncio.sleep(STORE_RETRY_S)
        try:
            await _store(engine, table, subject, key, status, body)
            return
        except Exception as exc:
            if not database_unavailable(exc):
                log.exception("storing an Idempotency-Key's answer failed", extra={"key": key})
                return
    log.error("gave up storing an Idempotency-Key's answer: the database stayed unreachable", extra={"key": key})


async def _store(engine: Any, table: Any, subject: str, key: str, status: int, body: bytes) -> None:
    async with engine.begin() as conn:
        # Only a committed write has a claimed row; failed requests leave nothing behind.
        await conn.execute(
            update(table)
            .where(table.c.subject == subject, table.c.key == key, table.c.status_code.is_(None))
            .values(status_code=status, response_body=body.decode(), completed_at=func.now())
        )


async def _subject(scope: Scope, headers: dict[bytes, bytes]) -> str | None:
    auth = headers.get(b"authorization", b"").decode("latin-1")
    scheme, _, token = auth.partition(" ")
    if scheme.lower() != "bearer" or not token:
        return None
    try:
        principal = await scope["app"].state.token_verifier.verify(token.strip())
    except Unauthorized:
        return None
    return principal.identity


async def _read_body(receive: Receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def _replay_body(body: bytes) -> Receive:
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return {"type": "http.disconnect"}

    return receive


def _problem(status: int, slug: str, title: str, detail: str) -> dict[str, Any]:
    return {"type": f"https://errors.safety.local/{slug}", "title": title, "status": status, "detail": detail}


async def _send_json(send: Send, status: int, body: dict[str, Any]) -> None:
    await _send_raw(send, status, json.dumps(body, ensure_ascii=False), content_type=b"application/problem+json")


async def _send_raw(
    send: Send, status: int, body: str, *, replayed: bool = False, content_type: bytes = b"application/json"
) -> None:
    encoded = body.encode()
    headers = [(b"content-type", content_type), (b"content-length", str(len(encoded)).encode())]
    if replayed:
        headers.append((b"idempotent-replayed", b"true"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": encoded})
