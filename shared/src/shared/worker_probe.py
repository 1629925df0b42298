"""The worker's own HTTP port: `/metrics` for Prometheus and `/healthz` for liveness.

Served on the worker's event loop (not on a side thread), so a stuck loop fails the probe too. A worker
is unhealthy when one of its tasks (relay, a consumer, a job) has ended, or a consumer has made no
progress (no poll came back) for longer than the stall limit.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Callable

from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

Health = Callable[[], tuple[bool, dict[str, str]]]
_REASONS = {200: b"OK", 404: b"Not Found", 405: b"Method Not Allowed", 503: b"Service Unavailable"}


async def _answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, health: Health) -> None:
    try:
        request_line = await asyncio.wait_for(reader.readline(), 5)
        while (await asyncio.wait_for(reader.readline(), 5)).strip():
            pass  # headers are not needed
        method, _, rest = request_line.decode("latin-1").partition(" ")
        path = rest.split(" ", 1)[0].split("?", 1)[0]
        if method != "GET":
            status, content_type, body = 405, "text/plain", b"GET only\n"
        elif path == "/metrics":
            status, content_type, body = 200, CONTENT_TYPE_LATEST, generate_latest()
        elif path == "/healthz":
            ok, checks = health()
            status, content_type = (200 if ok else 503), "application/json"
            body = json.dumps({"status": "ok" if ok else "unhealthy", "checks": checks}).encode()
        else:
            status, content_type, body = 404, "text/plain", b"not found\n"
        head = (
            f"HTTP/1.1 {status} {_REASONS[status].decode()}\r\nContent-Type: {content_type}\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
        ).encode()
        writer.write(head + body)
        await writer.drain()
    except (TimeoutError, ConnectionError):
        pass
    finally:
        writer.close()
        with contextlib.suppress(ConnectionError):
            await writer.wait_closed()


async def start_probe_server(host: str, port: int, health: Health) -> asyncio.Server:
    """Listen for `/metrics` and `/healthz` on the running loop."""
    return await asyncio.start_server(lambda r, w: _answer(r, w, health), host, port)
