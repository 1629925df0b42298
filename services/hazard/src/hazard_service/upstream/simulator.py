"""A simulator of both upstream endpoints, for tests and `make run`:

    python -m hazard_service.upstream.simulator --port 8091 [--secret hazard-service=SECRET]

It answers like the national direct-report system (POST /direct-report/hazards) and the provincial 一单四制
system (POST /one-list/records): it validates every message against the published schema (422 otherwise),
verifies the request signature when given secrets (401 otherwise; also from UPSTREAM_SIMULATOR_SECRETS, a JSON
object of key id to secret), deduplicates by message id and issues receipts (GET /direct-report/receipts,
GET /one-list/receipts?after=CURSOR). It can be told to fail: POST /_control/fail {"count": N} or
{"seconds": S} (503), {"status": 429, "retry_after": 1} or {"status": 400} (a rejection); POST
/_control/receipt {"system", "messageId", "status", "reason"} issues a later receipt (a rejection or
correction); GET /_control/received lists what it accepted.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from dataclasses import dataclass, field
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ValidationError

from hazard_service.upstream import signing
from hazard_service.upstream.messages import NationalMessageV1, ProvincialMessageV1

SYSTEMS = ("national", "provincial")


class FailOrder(BaseModel):
    """Fail the next `count` requests, or every request for `seconds`, with `status` (and Retry-After)."""

    count: int = 0
    seconds: float = 0.0
    status: int = 503
    retry_after: int | None = None


class ReceiptOrder(BaseModel):
    """Issue a receipt for a message already accepted."""

    system: str
    messageId: str
    status: str
    reason: str | None = None


@dataclass
class SimulatorState:
    """Messages accepted per endpoint (by message id), duplicates seen, receipts issued and the failure plan."""

    secrets: dict[str, str] = field(default_factory=dict)
    received: dict[str, dict[str, dict[str, Any]]] = field(default_factory=lambda: {s: {} for s in SYSTEMS})
    duplicates: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SYSTEMS, 0))
    ids: dict[str, dict[str, str]] = field(default_factory=lambda: {s: {} for s in SYSTEMS})
    receipts: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: {s: [] for s in SYSTEMS})
    invalid: list[dict[str, Any]] = field(default_factory=list)
    nonces: set[str] = field(default_factory=set)
    fail_count: int = 0
    fail_until: float = 0.0
    fail_status: int = 503
    fail_retry_after: int | None = None
    failures_answered: int = 0
    receipt_polls: int = 0

    def should_fail(self) -> bool:
        """Whether the current request is to fail."""
        if self.fail_count > 0:
            self.fail_count -= 1
            return True
        return time.monotonic() < self.fail_until

    def receipt(self, system: str, message_id: str, status: str, reason: str | None = None) -> None:
        """Issue a receipt (its cursor is its position)."""
        remote = self.received[system].get(message_id, {})
        local = str(remote.get("localId") or remote.get("sourceId"))
        entry = {"messageId": message_id, "status": status, "reason": reason, "remoteId": self.ids[system].get(local)}
        self.receipts[system].append({"seq": len(self.receipts[system]) + 1, **entry})


def create_simulator(secrets: dict[str, str] | None = None) -> FastAPI:
    """The simulator app (state in app.state.sim); with `secrets`, every request must be signed."""
    app = FastAPI(title="Upstream simulator")
    state = SimulatorState(secrets=dict(secrets or {}))
    app.state.sim = state

    async def check(request: Request) -> JSONResponse | bytes:
        body = await request.body()
        if state.secrets:
            try:
                signing.verify(
                    secrets_by_key=state.secrets,
                    headers=request.headers,
                    method=request.method,
                    path=request.url.path + (f"?{request.url.query}" if request.url.query else ""),
                    body=body,
                    seen_nonces=state.nonces,
                )
            except signing.BadSignature as exc:
                return JSONResponse({"error": f"bad signature: {exc}"}, status_code=401)
        if state.should_fail():
            state.failures_answered += 1
            headers = {"Retry-After": str(state.fail_retry_after)} if state.fail_retry_after is not None else {}
            return JSONResponse({"error": "simulated failure"}, status_code=state.fail_status, headers=headers)
        return body

    def accept(system: str, schema: type[BaseModel], body: bytes, keys: tuple[str, str]) -> JSONResponse | str:
        try:
            message = schema.model_validate_json(body).model_dump(mode="json")
        except ValidationError as exc:
            state.invalid.append({"system": system, "errors": exc.errors(include_url=False)})
            return JSONResponse({"error": "invalid message", "errors": json.loads(exc.json())}, status_code=422)
        message_id, local_id = message[keys[0]], message[keys[1]]
        seen = state.received[system]
        if message_id in seen:
            state.duplicates[system] += 1
        else:
            seen[message_id] = message
        prefix = "NAT" if system == "national" else "PRV"
        ids = state.ids[system]
        remote = ids.setdefault(local_id, f"{prefix}-{len(ids) + 1:06d}")
        if message_id not in {r["messageId"] for r in state.receipts[system]}:
            state.receipt(system, message_id, "accepted")
        return remote

    async def take(request: Request, system: str, schema: type[BaseModel], keys: tuple[str, str]) -> Any:
        checked = await check(request)
        if isinstance(checked, JSONResponse):
            return checked
        return accept(system, schema, checked, keys)

    @app.post("/direct-report/hazards")
    async def national(request: Request) -> JSONResponse:
        remote = await take(request, "national", NationalMessageV1, ("msgId", "localId"))
        return remote if isinstance(remote, JSONResponse) else JSONResponse({"id": remote, "accepted": True})

    @app.post("/one-list/records")
    async def provincial(request: Request) -> JSONResponse:
        remote = await take(request, "provincial", ProvincialMessageV1, ("requestId", "sourceId"))
        return remote if isinstance(remote, JSONResponse) else JSONResponse({"recordId": remote, "status": "ok"})

    async def receipts(request: Request, system: str) -> JSONResponse:
        checked = await check(request)
        if isinstance(checked, JSONResponse):
            return checked
        state.receipt_polls += 1
        after = int(request.query_params.get("after") or 0)
        issued = [r for r in state.receipts[system] if r["seq"] > after]
        cursor = str(issued[-1]["seq"]) if issued else str(after)
        return JSONResponse({"receipts": issued, "cursor": cursor})

    @app.get("/direct-report/receipts")
    async def national_receipts(request: Request) -> JSONResponse:
        return await receipts(request, "national")

    @app.get("/one-list/receipts")
    async def provincial_receipts(request: Request) -> JSONResponse:
        return await receipts(request, "provincial")

    @app.post("/_control/fail")
    async def fail(order: FailOrder) -> dict[str, Any]:
        state.fail_count = order.count
        state.fail_until = time.monotonic() + order.seconds if order.seconds else 0.0
        state.fail_status, state.fail_retry_after = order.status, order.retry_after
        return {"fail_count": state.fail_count, "seconds": order.seconds, "status": order.status}

    @app.post("/_control/recover")
    async def recover() -> dict[str, Any]:
        state.fail_count = 0
        state.fail_until = 0.0
        state.fail_status, state.fail_retry_after = 503, None
        return {"ok": True}

    @app.post("/_control/receipt")
    async def issue_receipt(order: ReceiptOrder) -> dict[str, Any]:
        state.receipt(order.system, order.messageId, order.status, order.reason)
        return {"ok": True}

    @app.get("/_control/received")
    async def received() -> dict[str, Any]:
        return {
            system: {
                "messages": list(messages.values()),
                "duplicates": state.duplicates[system],
                "ids": state.ids[system],
                "receipts": state.receipts[system],
            }
            for system, messages in state.received.items()
        }

    return app


def main() -> None:
    """Serve the simulator."""
    import uvicorn

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8091)
    parser.add_argument("--secret", action="append", default=[], help="KEY_ID=SECRET; requests must be signed")
    args = parser.parse_args()
    secrets = json.loads(os.environ.get("UPSTREAM_SIMULATOR_SECRETS") or "{}")
    secrets |= dict(item.split("=", 1) for item in args.secret)
    uvicorn.run(create_simulator(secrets), host=args.host, port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
