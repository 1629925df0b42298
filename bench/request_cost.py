"""The fixed CPU cost of a request, in process: GET /healthz, GET /api/v1/hazards?limit=50, POST /api/v1/hazards.

The hazard API (as `create_service_app` builds it, lifespan and all) is driven directly over ASGI, without a
server or an HTTP client, so the CPU this process spends per request is the platform's own: middlewares,
dependency solving, token, session checkout, the SQL client side, encoding. PostgreSQL runs in its own process
and is not counted. CPU time, unlike a latency, does not grow when other processes share the cores; a bare
FastAPI route driven the same way is the floor. With `--profile KIND` it writes a cProfile of that request
kind and prints its heaviest functions. No thresholds.

Run: .venv/bin/python -m bench.request_cost [--requests 400] [--profile list|healthz|create]
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import pstats
import time
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import asyncpg
from fastapi import FastAPI
from starlette.types import ASGIApp, Message

from bench.common import BenchStack, embedded_stack
from bench.hazard_create import hazard_body, seed_enterprises
from shared.auth.tokens import ensure_signing_key, mint_token
from shared.db.migrations import upgrade

LISTED = 200  # hazards in the table before the list is measured, so a page of 50 is full
WARMUP = 30


async def call(app: ASGIApp, method: str, path: str, query: str = "", body: bytes = b"", headers: Any = ()) -> int:
    """One request straight into the ASGI app; its status (the body is read and dropped)."""
    raw = [(b"host", b"bench"), *headers]
    if body:
        raw += [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": query.encode(),
        "headers": raw,
        "client": ("127.0.0.1", 50000),
        "server": ("bench", 80),
        "state": {},
    }
    sent = False
    status = 0

    async def receive() -> Message:
        nonlocal sent
        if sent:
            await asyncio.Event().wait()  # a client that stays connected
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: Message) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    await app(scope, receive, send)
    return status


def _bare_app() -> FastAPI:
    app = FastAPI()

    @app.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    return app


Request = Callable[[int], Awaitable[int]]


async def cpu_per_request(request: Request, count: int, profile: str | None = None) -> float:
    """CPU µs of this process per request over `count` sequential requests, after a warm-up."""
    for i in range(WARMUP):
        await _expect_ok(request, i)
    profiler = cProfile.Profile(time.process_time) if profile else None
    before = time.process_time()
    if profiler:
        profiler.enable()
    for i in range(count):
        await _expect_ok(request, WARMUP + i)
    if profiler:
        profiler.disable()
    spent = time.process_time() - before
    if profiler and profile:
        profiler.dump_stats(profile)
        stats = pstats.Stats(profiler).strip_dirs().sort_stats("cumulative")
        stats.print_stats(45)
        stats.sort_stats("tottime").print_stats(30)
    return spent / count * 1e6


async def _expect_ok(request: Request, i: int) -> None:
    status = await request(i)
    if status >= 300:
        raise RuntimeError(f"request {i} answered {status}")


async def _seed(dsn: str) -> list[uuid.UUID]:
    conn = await asyncpg.connect(dsn.replace("postgresql+asyncpg://", "postgresql://", 1))
    try:
        return await seed_enterprises(conn)
    finally:
        await conn.close()


async def run(stack: BenchStack, count: int, profile: str | None) -> None:
    """Measure the bare floor and the three requests of the hazard API."""
    from hazard_service.config import HazardSettings
    from hazard_service.main import create_app

    enterprises = await _seed(stack.database_url)
    token = mint_token(
        ensure_signing_key(stack.key_file), subject="bench", roles=["city_admin"], jurisdictions=["431281000000"]
    )
    auth = [(b"authorization", f"Bearer {token}".encode())]
    settings = HazardSettings(
        database_url=stack.database_url,
        kafka_bootstrap_servers=stack.bootstrap_servers,
        auth_hs256_key_file=stack.key_file,
        log_level="WARNING",
    )
    app = create_app(settings)
    bare = _bare_app()

    def create(i: int) -> Awaitable[int]:
        body = json.dumps(hazard_body(enterprises[i % len(enterprises)], i)).encode()
        return call(app, "POST", "/api/v1/hazards", body=body, headers=auth)

    kinds: dict[str, Request] = {
        "bare": lambda i: call(bare, "GET", "/healthz"),
        "healthz": lambda i: call(app, "GET", "/healthz"),
        "create": create,
        "list": lambda i: call(app, "GET", "/api/v1/hazards", "limit=50", headers=auth),
    }
    async with app.router.lifespan_context(app):
        for _ in range(LISTED // (count + WARMUP) + 1):
            await cpu_per_request(create, count)  # fills the table for the list
        print(f"CPU µs per request in process ({count} sequential requests each, after {WARMUP} warm-up):")
        for kind, request in kinds.items():
            target = f"request_cost.{kind}.prof" if profile == kind else None
            print(f"  {kind:8} {await cpu_per_request(request, count, target):8.0f}")


def main() -> None:
    """Run the measurements on a fresh embedded stack."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--profile", choices=["bare", "healthz", "list", "create"])
    args = parser.parse_args()
    with embedded_stack() as stack:
        upgrade("hazard_service", stack.database_url)
        asyncio.run(run(stack, args.requests, args.profile))


if __name__ == "__main__":
    main()
