"""pytest plugin: one real PostgreSQL and one real Kafka-protocol broker per test session.

Set DATABASE_URL and KAFKA_BOOTSTRAP_SERVERS to test against external servers instead.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

import pytest

from shared.auth.tokens import ensure_signing_key
from shared.contracts.topics import ALL_TOPICS


@dataclass(frozen=True)
class Stack:
    """Where the test session's servers are."""

    database_url: str
    bootstrap_servers: str
    key_file: Path
    work_dir: Path

    @property
    def signing_key(self) -> bytes:
        """The HS256 key tokens in tests are signed with."""
        return ensure_signing_key(self.key_file)


def _interrupt(signum: int, _frame: FrameType | None) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


@pytest.fixture(scope="session")
def stack() -> Iterator[Stack]:
    """Start (or locate) PostgreSQL and the broker once for the whole session."""
    from shared.embedded import EmbeddedBroker, EmbeddedPostgres, free_port
    from shared.messaging.kafka import ensure_topics

    # A session ended by SIGTERM (a CI or `timeout` limit) still stops its servers: pytest tears fixtures down
    # after a KeyboardInterrupt, and the embedded PostgreSQL runs detached, outliving a killed session otherwise.
    previous_handler = signal.signal(signal.SIGTERM, _interrupt)

    work_dir = Path(tempfile.mkdtemp(prefix="safety-test-"))
    os.environ.setdefault("XDG_RUNTIME_DIR", str(work_dir))
    key_file = work_dir / "signing.key"
    external_db = os.environ.get("DATABASE_URL")
    external_broker = os.environ.get("KAFKA_BOOTSTRAP_SERVERS")
    postgres = broker = None
    try:
        if external_db:
            database_url = external_db
        else:
            postgres = EmbeddedPostgres(work_dir / "pg")
            postgres.start(durable=False)
            database_url = postgres.ensure_database("safety_test")
        if external_broker:
            bootstrap = external_broker
        else:
            broker = EmbeddedBroker(free_port(), log_path=work_dir / "broker.log")
            broker.start()
            bootstrap = broker.bootstrap_servers
        asyncio.run(ensure_topics(bootstrap, ALL_TOPICS, partitions=4))
        yield Stack(database_url=database_url, bootstrap_servers=bootstrap, key_file=key_file, work_dir=work_dir)
    finally:
        if broker is not None:
            broker.stop()
        if postgres is not None:
            postgres.stop()
        # A session's database and broker log take hundreds of megabytes (gigabytes after a benchmark).
        shutil.rmtree(work_dir, ignore_errors=True)
        signal.signal(signal.SIGTERM, previous_handler)
