"""Events as the projections read them, and the checks that send a malformed one to the dead letters."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from shared import clock
from shared.contracts import enforcement, hazard, supervisor
from shared.contracts.registry import REGISTRY

# Importing the producers' contract modules registers their payload classes: the consumer logs every
# registered event type of their topics, and the hazard rules cover every `hazard.*` type.
CONTRACT_MODULES = (enforcement, hazard, supervisor)


class PoisonEvent(ValueError):
    """The event cannot be projected (missing or malformed data); it goes to the dead letters."""


@dataclass(frozen=True)
class EventRecord:
    """The parts of an envelope the projection reads (from the broker or from the event log)."""

    event_id: str
    event_type: str
    event_version: int
    aggregate_type: str
    aggregate_id: str
    aggregate_version: int
    occurred_at: datetime
    data: Mapping[str, Any]
    topic: str

    @classmethod
    def from_envelope_dict(cls, envelope: Mapping[str, Any]) -> EventRecord:
        """Build from the JSON form of an envelope, upcasting old payload versions."""
        event_type = envelope["event_type"]
        version = int(envelope["event_version"])
        data = upcast(event_type, version, dict(envelope["data"]))
        occurred = envelope["occurred_at"]
        if isinstance(occurred, str):
            occurred = datetime.fromisoformat(occurred)
        cls_ = REGISTRY.classes.get((event_type, version))
        return cls(
            event_id=str(envelope["event_id"]),
            event_type=event_type,
            event_version=version,
            aggregate_type=envelope["aggregate_type"],
            aggregate_id=str(envelope["aggregate_id"]),
            aggregate_version=int(envelope["aggregate_version"]),
            occurred_at=occurred if occurred.tzinfo else occurred.replace(tzinfo=UTC),
            data=data,
            topic=cls_.topic if cls_ is not None else "",
        )

    @property
    def local_day(self) -> date:
        """The bureau's calendar day on which the event occurred."""
        return clock.local_date(self.occurred_at)


def upcast(event_type: str, version: int, data: dict[str, Any]) -> dict[str, Any]:
    """Bring old payload data to the newest registered version (as the registry would)."""
    if (event_type, version + 1) not in REGISTRY.classes:
        return data
    latest = REGISTRY.latest_version(event_type)
    while latest is not None and version < latest:
        data = REGISTRY.upcasters[(event_type, version)](data)
        version += 1
    return data


def parse_day(value: Any) -> date:
    """A YYYY-MM-DD date (or the date part of an ISO timestamp)."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, datetime):
        return clock.local_date(value)
    text = str(value)
    try:
        if len(text) > 10:
            return clock.local_date(datetime.fromisoformat(text))
        return date.fromisoformat(text)
    except ValueError as exc:
        raise PoisonEvent(f"not a date: {text!r}") from exc


def require(data: Mapping[str, Any], *names: str) -> None:
    """Raise PoisonEvent naming the fields of `names` the payload lacks."""
    for name in names:
        if data.get(name) in (None, ""):
            raise PoisonEvent(f"missing {', '.join(n for n in names if data.get(n) in (None, ''))}")
