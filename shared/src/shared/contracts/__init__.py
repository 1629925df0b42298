"""The published language between services: envelope, payload classes, topics and registry."""

from shared.contracts.envelope import EventEnvelope, EventPayload, new_envelope
from shared.contracts.registry import REGISTRY, EventRegistry, event

__all__ = ["REGISTRY", "EventEnvelope", "EventPayload", "EventRegistry", "event", "new_envelope"]
