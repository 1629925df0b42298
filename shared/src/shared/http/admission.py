"""Admission control: a bounded number of requests in flight per process, a short bounded wait, then 503.

A process that accepts every request shares one core and one connection pool among all of them: at 64 in
flight each waits seconds for the pool and the event loop, and the rate falls (more connections, more
switching, longer-lived objects for the collector). Admitting a few at a time keeps each one fast; those over
the limit wait in order for a short while, and past that, or when the queue is full, they get a quick
503 problem+json with Retry-After, which a client or the gateway can retry elsewhere. The metrics middleware,
outside this one, counts those 503s like any other answer.
"""

from __future__ import annotations

import asyncio
from collections.abc import Collection

from starlette.types import ASGIApp, Receive, Scope, Send

from shared.errors import ServiceUnavailable
from shared.http.problems import problem_response

# Probes and scrapes answer whatever the load: an orchestrator must not restart a busy process as a dead one.
EXEMPT_PATHS = frozenset({"/healthz", "/readyz", "/metrics"})


class Overloaded(ServiceUnavailable):
    """The process is already serving as many requests as it admits; retry after a moment."""

    type_slug = "overloaded"

    def __init__(self, retry_after_s: int) -> None:
        super().__init__("the service is at capacity; retry shortly")
        self.retry_after_s = retry_after_s


class AdmissionControlMiddleware:
    """At most `max_in_flight` requests run at once; up to `max_queued` more wait in arrival order for at most
    `max_wait_s`; any other request is answered 503 with Retry-After at once."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        max_in_flight: int,
        max_queued: int,
        max_wait_s: float,
        retry_after_s: int = 1,
        exempt: Collection[str] = EXEMPT_PATHS,
    ) -> None:
        self.app = app
        self.max_queued = max_queued
        self.max_wait_s = max_wait_s
        self.retry_after_s = retry_after_s
        self.exempt = exempt
        self._slots = asyncio.Semaphore(max_in_flight)
        self._queued = 0

    @property
    def queued(self) -> int:
        """Requests waiting for a slot now."""
        return self._queued

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in self.exempt:
            await self.app(scope, receive, send)
            return
        if not await self._admitted():
            error = Overloaded(self.retry_after_s)
            await problem_response(error.status, error.to_problem(scope["path"]), error.headers())(scope, receive, send)
            return
        try:
            await self.app(scope, receive, send)
        finally:
            self._slots.release()

    async def _admitted(self) -> bool:
        """Take a slot, waiting in line for one if the line is short enough; False when none came in time."""
        if not self._slots.locked():
            await self._slots.acquire()  # a free slot: returns without suspending
            return True
        if self._queued >= self.max_queued:
            return False
        self._queued += 1
        try:
            async with asyncio.timeout(self.max_wait_s):
                await self._slots.acquire()
            return True
        except TimeoutError:
            return False
        finally:
            self._queued -= 1
