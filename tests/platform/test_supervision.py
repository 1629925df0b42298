"""`safety up` restarts a crashed child with backoff and gives up loudly on one that keeps crashing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest

from safety_stack.supervision import Child, ProcessSupervisor

SLEEPER = [sys.executable, "-c", "import time; time.sleep(120)"]
CRASHER = [sys.executable, "-c", "raise SystemExit(3)"]


def _child(name: str, command: list[str], procs: dict[str, subprocess.Popen[bytes]]) -> Child:
    def start() -> None:
        procs[name] = subprocess.Popen(command)

    start()
    return Child(
        name,
        start=start,
        alive=lambda: procs[name].poll() is None,
        describe_exit=lambda: f"exited with code {procs[name].returncode}",
        pid=lambda: procs[name].pid,
    )


@pytest.fixture
def procs() -> Iterator[dict[str, subprocess.Popen[bytes]]]:
    started: dict[str, subprocess.Popen[bytes]] = {}
    try:
        yield started
    finally:
        for proc in started.values():
            if proc.poll() is None:
                proc.kill()
                proc.wait(10)


def _until(supervisor: ProcessSupervisor, condition: object, timeout_s: float = 30.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, f"condition not met; state {supervisor.state()}"
        supervisor.check()
        time.sleep(0.02)


def test_a_killed_child_is_started_again_and_says_so(procs: dict[str, subprocess.Popen[bytes]]) -> None:
    said: list[str] = []
    supervisor = ProcessSupervisor(base_backoff_s=0.05, say=said.append)
    supervisor.add(_child("hazard-worker", SLEEPER, procs))
    first_pid = procs["hazard-worker"].pid
    os.kill(first_pid, signal.SIGKILL)
    _until(supervisor, lambda: supervisor.state()["hazard-worker"]["restarts"] == 1)
    assert procs["hazard-worker"].pid != first_pid
    assert procs["hazard-worker"].poll() is None
    assert supervisor.state()["hazard-worker"]["status"] == "running"
    assert said[0] == f"warning: hazard-worker exited with code {-signal.SIGKILL}; restarting it in 0 s"
    assert said[1] == "restarted hazard-worker (restart 1)"


def test_a_child_that_keeps_crashing_is_given_up_on_loudly(procs: dict[str, subprocess.Popen[bytes]]) -> None:
    said: list[str] = []
    supervisor = ProcessSupervisor(max_crashes=3, base_backoff_s=0.01, say=said.append)
    supervisor.add(_child("broken-api", CRASHER, procs))
    _until(supervisor, lambda: supervisor.state()["broken-api"]["status"] == "given up")
    assert supervisor.state()["broken-api"]["restarts"] == 2
    assert said[-1].startswith("ERROR: broken-api crashed 3 times within 300 s (exited with code 3); giving up")
    supervisor.check()
    assert supervisor.state()["broken-api"]["restarts"] == 2


def test_backoff_doubles_with_each_crash_in_the_window() -> None:
    now = [0.0]
    alive = [False]
    said: list[str] = []
    supervisor = ProcessSupervisor(base_backoff_s=1.0, max_backoff_s=4.0, say=said.append, clock=lambda: now[0])
    supervisor.add(Child("w", start=lambda: None, alive=lambda: alive[0]))
    for expected_delay in (1, 2, 4, 4):
        supervisor.check()
        assert said[-1].endswith(f"restarting it in {expected_delay} s")
        now[0] += expected_delay
        supervisor.check()
        assert said[-1].startswith("restarted w")
