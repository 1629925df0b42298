"""`safety up` does not call a service ready while its worker cannot start (its API alone answers /readyz)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator

import pytest

from safety_stack.cli import _wait_ready
from safety_stack.services import ServiceProcess

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
