"""Contract payloads filled from the row they are about."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any, TypeVar

from shared.contracts.envelope import EventPayload

PayloadT = TypeVar("PayloadT", bound=EventPayload)


def on_wire(value: Any) -> Any:
    """A column value as the contracts carry it: days and times as ISO text, ids as text."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    return value


def from_row(payload: type[PayloadT], row: object, **values: Any) -> PayloadT:
    """`payload` with `values`, every other field taken from the row's attribute of the same name, so an
    event states the row as stored and names only what the row does not hold."""
    stored = {
        name: on_wire(getattr(row, name)) for name in payload.model_fields if name not in values and hasattr(row, name)
    }
    return payload(**stored, **values)
