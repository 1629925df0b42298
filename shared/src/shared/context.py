"""Request- and message-scoped context carried through logs, events and audit entries."""

from __future__ import annotations

import uuid
from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestMeta:
    """Where a write came from: client address, user agent, method and path."""

    client_ip: str | None = None
    user_agent: str | None = None
    method: str | None = None
    path: str | None = None


correlation_id_var: ContextVar[str | None] = ContextVar("correlation_id", default=None)
causation_id_var: ContextVar[str | None] = ContextVar("causation_id", default=None)
request_meta_var: ContextVar[RequestMeta | None] = ContextVar("request_meta", default=None)


def current_correlation_id() -> str:
    """The correlation id of the work in progress, minted when there is none."""
    value = correlation_id_var.get()
    if value is None:
        value = str(uuid.uuid4())
        correlation_id_var.set(value)
    return value
