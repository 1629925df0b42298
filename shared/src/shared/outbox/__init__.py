"""Transactional outbox: events are written with the change and published by one relay."""

from shared.outbox.relay import OutboxRelay, republish_retained

__all__ = ["OutboxRelay", "republish_retained"]
