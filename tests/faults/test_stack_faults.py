"""Faults of the stack's own parts, without a whole `safety up`: a worker that cannot start, a PostgreSQL that
must be started again after its data folder's parents were closed to its system user, and the run file read
while the supervisor rewrites it."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from safety_stack.cli import _wait_ready, _write_run_file
from safety_stack.services import ServiceProcess
from safety_stack.supervision import Child, ProcessSupervisor
from shared.embedded import EmbeddedPostgres

from .stack import free_offset

pytestmark = pytest.mark.fault


@pytest.fixture
def api_up_worker_dead() -> Iterator[dict[str, subprocess.Popen[bytes]]]:
    """A service whose API process runs and whose worker process exited at start with code 3."""
    api = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    worker = subprocess.Popen([sys.executable, "-c", "raise SystemExit(3)"])
    worker.wait(30)
    try:
        yield {"hazard-api": api, "hazard-worker": worker}
    finally:
        api.kill()
        api.wait(10)


def test_a_worker_that_exits_at_start_stops_safety_up_naming_it(
    api_up_worker_dead: dict[str, subprocess.Popen[bytes]],
) -> None:
    offset = free_offset()
    service = ServiceProcess("hazard", 8001 + offset, 9101 + offset)
    with pytest.raises(SystemExit, match=r"hazard worker exited with code 3; see .*hazard-worker\.log"):
        _wait_ready((service,), api_up_worker_dead, timeout_s=30)


@pytest.mark.skipif(os.geteuid() != 0, reason="only as root does PostgreSQL run as a system user of its own")
def test_postgresql_is_revived_after_its_parent_folder_was_closed() -> None:
    with tempfile.TemporaryDirectory(prefix="safety-revive-") as parent:
        postgres = EmbeddedPostgres(Path(parent) / "pg")
        postgres.start(durable=False)
        try:
            pid = postgres.pid()
            assert pid is not None
            Path(parent).chmod(0o700)  # what a concurrent pytest session does to /tmp/pytest-of-root
            os.kill(pid, signal.SIGQUIT)  # immediate shutdown: the server is gone, crash recovery on start
            _wait(lambda: not postgres.running())
            postgres.revive()
            assert postgres.running()
            assert "(1 row)" in postgres.server.psql("SELECT 1;")
        finally:
            postgres.stop()


def _wait(condition: Callable[[], bool], timeout_s: float = 30) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, "condition not reached in time"
        time.sleep(0.1)


def test_the_run_file_is_never_read_half_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SAFETY_DATA_DIR", str(tmp_path))
    supervisor = ProcessSupervisor(say=lambda _: None)
    for n in range(50):
        supervisor.add(Child(f"child-{n}", start=lambda: None, alive=lambda: True, pid=lambda: 12345))
    _write_run_file(supervisor)
    done = threading.Event()

    def rewrite() -> None:
        while not done.is_set():
            _write_run_file(supervisor)

    writer = threading.Thread(target=rewrite)
    writer.start()
    try:
        for _ in range(3000):
            assert len(json.loads((tmp_path / "run.json").read_text("utf-8"))["processes"]) == 50
    finally:
        done.set()
        writer.join()
