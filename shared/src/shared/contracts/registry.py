"""Registry of payload classes by (event_type, event_version), with upcasters to the newest version."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from shared.contracts.envelope import EventEnvelope, EventPayload

PayloadT = TypeVar("PayloadT", bound=type[EventPayload])
Upcaster = Callable[[dict[str, Any]], dict[str, Any]]


@dataclass
class EventRegistry:
    """Known payload classes and the upcasters between their versions."""

    classes: dict[tuple[str, int], type[EventPayload]] = field(default_factory=dict)
    upcasters: dict[tuple[str, int], Upcaster] = field(default_factory=dict)

    def register(self, cls: type[EventPayload]) -> None:
        """Add a payload class; a (type, version) may be registered once."""
        key = (cls.event_type, cls.event_version)
        if key in self.classes and self.classes[key] is not cls:
            raise ValueError(f"event {key} registered twice")
        self.classes[key] = cls

    def register_upcaster(self, event_type: str, from_version: int, fn: Upcaster) -> None:
        """Register a function turning version n data into version n+1 data."""
        self.upcasters[(event_type, from_version)] = fn

    def latest_version(self, event_type: str) -> int | None:
        """The newest registered version of an event type."""
        versions = [v for (t, v) in self.classes if t == event_type]
        return max(versions) if versions else None

    def knows(self, event_type: str, version: int) -> bool:
        """Whether this registry can decode the event."""
        return (event_type, version) in self.classes

    def decode(self, envelope: EventEnvelope) -> EventPayload:
        """Upcast the envelope's data to the latest version and parse it."""
        version = envelope.event_version
        data = dict(envelope.data)
        latest = self.latest_version(envelope.event_type)
        if latest is None or (envelope.event_type, version) not in self.classes:
            raise KeyError(f"unknown event {envelope.event_type} v{version}")
        while version < latest:
            data = self.upcasters[(envelope.event_type, version)](data)
            version += 1
        return self.classes[(envelope.event_type, version)].model_validate(data)


REGISTRY = EventRegistry()


def event(event_type: str, version: int, *, aggregate: str, topic: str) -> Callable[[PayloadT], PayloadT]:
    """Class decorator declaring a payload's type, version, aggregate and topic."""

    def decorate(cls: PayloadT) -> PayloadT:
        cls.event_type = event_type
        cls.event_version = version
        cls.aggregate_type = aggregate
        cls.topic = topic
        REGISTRY.register(cls)
        return cls

    return decorate
