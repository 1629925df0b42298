"""One client per upstream target: its paths, its authentication (signature, mutual TLS, or the simulator's
static credentials) and how its answers are read.

An answer is one of three outcomes: delivered (2xx with the target's id), worth retrying (no answer, a timeout,
408, 429 or 5xx; Retry-After is honoured) or rejected for good (any other status): a rejected message is parked.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any

import httpx

from hazard_service.config import UpstreamTargetConfig
from hazard_service.upstream import signing
from shared import clock

RETRYABLE = frozenset({408, 425, 429})
ANSWER_KEPT = 2000


@dataclass(frozen=True)
class Kind:
    """Where a kind of target takes messages and gives receipts, and the key of its id in an answer."""

    path: str
    id_key: str
    receipts_path: str


KINDS = {
    "national_direct_report": Kind("/direct-report/hazards", "id", "/direct-report/receipts"),
    "provincial_one_list": Kind("/one-list/records", "recordId", "/one-list/receipts"),
}


@dataclass(frozen=True)
class Delivered:
    """The target took the message and gave its id of the hazard."""

    external_id: str


@dataclass(frozen=True)
class Retry:
    """The target could not take it now; try again after `after_s` (its Retry-After) or the backoff."""

    error: str
    after_s: float | None = None


@dataclass(frozen=True)
class Rejected:
    """The target refused the message for good: it is parked with the answer."""

    status: int
    body: str


Outcome = Delivered | Retry | Rejected


@dataclass(frozen=True)
class Receipt:
    """What the target later says of a message it took: accepted, rejected or corrected."""

    message_id: str
    status: str
    reason: str | None
    external_id: str | None


class UpstreamUnreachable(Exception):
    """The target gave no usable answer."""


def retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header (delta seconds or an HTTP date); None when absent or unreadable."""
    if not value:
        return None
    if value.strip().isdigit():
        return float(value.strip())
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max((moment - clock.now()).total_seconds(), 0.0)


class TargetClient:
    """A target's HTTP client, kept for the life of the worker process (connections are reused)."""

    def __init__(self, config: UpstreamTargetConfig, transport: httpx.AsyncBaseTransport | None = None) -> None:
        try:
            self.kind = KINDS[config.kind]
        except KeyError:
            raise ValueError(f"unknown upstream target kind {config.kind!r}; known: {sorted(KINDS)}") from None
        self.config = config
        cert = (str(config.client_cert), str(config.client_key)) if config.client_cert and config.client_key else None
        verify: Any = str(config.ca_bundle) if config.ca_bundle else True
        self.http = httpx.AsyncClient(
            base_url=config.url.rstrip("/"), timeout=config.timeout_s, cert=cert, verify=verify, transport=transport
        )

    async def aclose(self) -> None:
        """Close the connections."""
        await self.http.aclose()

    def _headers(self, method: str, url: httpx.URL, body: bytes) -> dict[str, str]:
        config = self.config
        headers = {"Content-Type": "application/json"} if body else {}
        if config.hmac_secret is not None:
            target = url.raw_path.decode()
            secret = config.hmac_secret.get_secret_value()
            headers |= signing.sign(key_id=config.hmac_key_id, secret=secret, method=method, path=target, body=body)
        if config.token:
            headers["Authorization"] = f"Bearer {config.token}"
        return headers

    async def _request(
        self, method: str, path: str, body: bytes = b"", params: dict[str, str] | None = None
    ) -> httpx.Response:
        url = self.http.build_request(method, path, params=params).url
        auth = (self.config.username, self.config.password or "") if self.config.username else None
        return await self.http.request(
            method,
            url,
            content=body or None,
            headers=self._headers(method, url, body),
            auth=auth or httpx.USE_CLIENT_DEFAULT,
        )

    async def send(self, message: dict[str, Any]) -> Outcome:
        """Deliver one message; the target deduplicates by its message id."""
        body = json.dumps(message, ensure_ascii=False, separators=(",", ":")).encode()
        try:
            response = await self._request("POST", self.kind.path, body)
        except httpx.HTTPError as exc:
            return Retry(f"{type(exc).__name__}: {exc}")
        status = response.status_code
        if status >= 500 or status in RETRYABLE:
            return Retry(f"HTTP {status}: {response.text[:300]}", retry_after(response.headers.get("Retry-After")))
        if status >= 300:
            return Rejected(status, response.text[:ANSWER_KEPT])
        try:
            answer = response.json()
            return Delivered(str(answer[self.kind.id_key]))
        except (ValueError, KeyError, TypeError):
            return Retry(f"HTTP {status} without {self.kind.id_key}: {response.text[:300]}")

    async def receipts(self, cursor: str | None) -> tuple[list[Receipt], str | None]:
        """The receipts the target issued after `cursor`, and the cursor to ask from next time."""
        try:
            response = await self._request("GET", self.kind.receipts_path, params={"after": cursor} if cursor else None)
            response.raise_for_status()
            answer = response.json()
            receipts = [
                Receipt(str(r["messageId"]), str(r["status"]), r.get("reason"), r.get("remoteId"))
                for r in answer["receipts"]
            ]
        except (httpx.HTTPError, ValueError, KeyError, TypeError) as exc:
            raise UpstreamUnreachable(f"{type(exc).__name__}: {exc}") from exc
        return receipts, answer.get("cursor") or cursor
