"""A simulator of both upstream endpoints, for tests and `make run`:

    python -m hazard_service.upstream.simulator --port 8091

It answers like the national direct-report system (POST /direct-report/hazards) and the provincial
一单四制 system (POST /one-list/records), deduplicates by message id, and can be told to fail:
POST /_control/fail {"count": N} or {"seconds": S}; GET /_control/received lists what it accepted.
"""

from __future__ import annotations

import argparse
import time
from dataclasses import dataclass, field
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel


class FailOrder(BaseModel):
    """Fail the next `count` requests, or every request for `seconds`."""

    count: int = 0
    seconds: float = 0.0


@dataclass
class SimulatorState:
    """Messages accepted per endpoint (by message id), duplicates seen, and the failure plan."""

    received: dict[str, dict[str, dict[str, Any]]] = field(default_factory=lambda: {"national": {}, "provincial": {}})
    duplicates: dict[str, int] = field(default_factory=lambda: {"national": 0, "provincial": 0})
    ids: dict[str, dict[str, str]] = field(default_factory=lambda: {"national": {}, "provincial": {}})
    fail_count: int = 0
    fail_until: float = 0.0
    failures_answered: int = 0

    def should_fail(self) -> bool:
        """Whether the current request is to fail."""
        if self.fail_count > 0:
            self.fail_count -= 1
            return True
        return time.monotonic() < self.fail_until


def create_simulator() -> FastAPI:
    """The simulator app (state in app.state.sim)."""
    app = FastAPI(title="Upstream simulator")
    state = SimulatorState()
    app.state.sim = state

    def accept(system: str, message_id: str, local_id: str, body: dict[str, Any]) -> str:
        seen = state.received[system]
        if message_id in seen:
            state.duplicates[system] += 1
        else:
            seen[message_id] = body
        prefix = "NAT" if system == "national" else "PRV"
        ids = state.ids[system]
        return ids.setdefault(local_id, f"{prefix}-{len(ids) + 1:06d}")

    @app.post("/direct-report/hazards")
    async def national(request: Request) -> JSONResponse:
        if state.should_fail():
            state.failures_answered += 1
            return JSONResponse({"error": "simulated outage"}, status_code=503)
        body = await request.json()
        remote = accept("national", body["msgId"], body["localId"], body)
        return JSONResponse({"id": remote, "accepted": True})

    @app.post("/one-list/records")
    async def provincial(request: Request) -> JSONResponse:
        if state.should_fail():
            state.failures_answered += 1
            return JSONResponse({"error": "simulated outage"}, status_code=503)
        body = await request.json()
        remote = accept("provincial", body["requestId"], body["sourceId"], body)
        return JSONResponse({"recordId": remote, "status": "ok"})

    @app.post("/_control/fail")
    async def fail(order: FailOrder) -> dict[str, Any]:
        state.fail_count = order.count
        state.fail_until = time.monotonic() + order.seconds if order.seconds else 0.0
        return {"fail_count": state.fail_count, "seconds": order.seconds}

    @app.post("/_control/recover")
    async def recover() -> dict[str, Any]:
        state.fail_count = 0
        state.fail_until = 0.0
        return {"ok": True}

    @app.get("/_control/received")
    async def received() -> dict[str, Any]:
        return {
            system: {
                "messages": list(messages.values()),
                "duplicates": state.duplicates[system],
                "ids": state.ids[system],
            }
            for system, messages in state.received.items()
        }

    return app


def main() -> None:
    """Serve the simulator."""
    import uvicorn

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8091)
    args = parser.parse_args()
    uvicorn.run(create_simulator(), host=args.host, port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
