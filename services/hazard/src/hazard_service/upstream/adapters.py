"""One adapter per upstream target: how a hazard change is shaped and sent, and the id it gets back.

No public interface specification exists for either system; each adapter keeps its target's
format in one place so it can be changed when the real specification arrives.
"""

from __future__ import annotations

from typing import Any, Protocol

import httpx

from hazard_service.config import UpstreamTargetConfig
from hazard_service.reference import GRADE_LABELS, STATUS_LABELS


class UpstreamError(Exception):
    """The target did not accept the message (network error, 5xx, or a malformed answer)."""


class UpstreamAdapter(Protocol):
    """Sends one hazard change to a target and returns the target's id of the hazard."""

    config: UpstreamTargetConfig

    async def send(self, client: httpx.AsyncClient, message: dict[str, Any], external_id: str | None) -> str:
        """Deliver a message; the target deduplicates by its message id."""


async def _post(
    client: httpx.AsyncClient, config: UpstreamTargetConfig, path: str, body: dict[str, Any], **kwargs: Any
) -> dict[str, Any]:
    try:
        response = await client.post(config.url.rstrip("/") + path, json=body, timeout=config.timeout_s, **kwargs)
    except httpx.HTTPError as exc:
        raise UpstreamError(f"{type(exc).__name__}: {exc}") from exc
    if response.status_code >= 300:
        raise UpstreamError(f"HTTP {response.status_code}: {response.text[:300]}")
    try:
        answer = response.json()
    except ValueError as exc:
        raise UpstreamError("the answer is not JSON") from exc
    if not isinstance(answer, dict):
        raise UpstreamError("the answer is not a JSON object")
    return answer


class NationalDirectReportAdapter:
    """应急管理部重大事故隐患直报系统: bearer token, one record per hazard, updates by its id."""

    def __init__(self, config: UpstreamTargetConfig) -> None:
        self.config = config

    async def send(self, client: httpx.AsyncClient, message: dict[str, Any], external_id: str | None) -> str:
        """POST /direct-report/hazards with the hazard's current state and the change."""
        hazard = message["hazard"]
        body = {
            "msgId": message["message_id"],
            "localId": hazard["id"],
            "remoteId": external_id,
            "changeType": message["event_type"],
            "occurredAt": message["occurred_at"],
            "areaCode": hazard["township_code"],
            "enterpriseName": hazard.get("enterprise_name"),
            "industryCode": hazard.get("industry_code"),
            "gradeName": GRADE_LABELS.get(hazard["grade"], hazard["grade"]),
            "statusName": STATUS_LABELS.get(hazard["status"], hazard["status"]),
            "description": hazard["description"],
            "standard": hazard.get("standard_code"),
            "clause": hazard.get("clause_code"),
            "ledgerNo": hazard.get("ledger_number"),
            "deadline": hazard.get("rectification_deadline"),
            "fundsFen": hazard.get("funds_fen"),
            "listed": hazard.get("listed"),
            "data": message["event"],
        }
        headers = {"Authorization": f"Bearer {self.config.token}"} if self.config.token else {}
        answer = await _post(client, self.config, "/direct-report/hazards", body, headers=headers)
        remote = answer.get("id")
        if not remote:
            raise UpstreamError("the answer has no id")
        return str(remote)


class ProvincialOneListAdapter:
    """湖南省一单四制系统: basic auth, records keyed by our id, the change as an action."""

    def __init__(self, config: UpstreamTargetConfig) -> None:
        self.config = config

    async def send(self, client: httpx.AsyncClient, message: dict[str, Any], external_id: str | None) -> str:
        """POST /one-list/records with the record and the action it reports."""
        hazard = message["hazard"]
        body = {
            "requestId": message["message_id"],
            "sourceSystem": "hongjiang-hazard",
            "sourceId": hazard["id"],
            "recordId": external_id,
            "action": message["event_type"],
            "record": hazard,
            "change": message["event"],
        }
        auth = (self.config.username or "", self.config.password or "") if self.config.username else None
        answer = await _post(client, self.config, "/one-list/records", body, auth=auth)
        remote = answer.get("recordId")
        if not remote:
            raise UpstreamError("the answer has no recordId")
        return str(remote)


ADAPTERS: dict[str, type[NationalDirectReportAdapter] | type[ProvincialOneListAdapter]] = {
    "national_direct_report": NationalDirectReportAdapter,
    "provincial_one_list": ProvincialOneListAdapter,
}


def adapter_for(config: UpstreamTargetConfig) -> UpstreamAdapter:
    """The adapter of a configured target."""
    try:
        return ADAPTERS[config.kind](config)
    except KeyError:
        raise ValueError(f"unknown upstream target kind {config.kind!r}; known: {sorted(ADAPTERS)}") from None
