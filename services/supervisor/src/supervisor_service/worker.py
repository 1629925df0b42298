"""What the supervisor worker runs."""

from shared.worker import Worker
from supervisor_service.config import SupervisorSettings
from supervisor_service.db import DATABASE


def build_worker(settings: SupervisorSettings) -> Worker:
    """The supervisor worker: its outbox relay (it consumes no other service's events yet)."""
    return Worker(settings=settings, database=DATABASE)
