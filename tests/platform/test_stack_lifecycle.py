"""`safety up` (what `make run` starts): all four services reach ready; Ctrl-C leaves no process
behind; the next start finds the old data, and an event committed just before Ctrl-C (its consumer
frozen so it could not apply it) is applied after the restart, though the embedded broker kept nothing."""

from __future__ import annotations

import contextlib
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from safety_stack.cli import DEFAULT_BROKER_PORT, UPSTREAM_SIMULATOR_PORT
from safety_stack.services import SERVICES
from shared.auth.tokens import ensure_signing_key, mint_token
from shared.entrypoints import port_available


def _free_offset() -> int:
    """A SAFETY_PORT_OFFSET whose ports are all free, so the test runs beside a developer's stack or beside
    another test session (the start is random to keep two sessions that look at once apart)."""
    bases = [port for s in SERVICES for port in (s.api_port, s.metrics_port)]
    bases += [DEFAULT_BROKER_PORT, UPSTREAM_SIMULATOR_PORT]
    start = random.randrange(1000, 1900)  # below the fault suite's offsets (3000 and up)
    for offset in range(start, start + 1000, 13):
        if all(port_available("127.0.0.1", port + offset) for port in bases):
            return offset
    raise AssertionError("no free port range for a second `safety up`")


def _credit_code(base: str) -> str:
    charset = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    weights = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
    total = sum(charset.index(c) * w for c, w in zip(base, weights, strict=True))
    return base + charset[(31 - total % 31) % 31]


class Stack:
    """A running `safety up` process and its output."""

    def __init__(self, data_dir: Path, offset: int, log: Path, process: subprocess.Popen[bytes]) -> None:
        self.data_dir = data_dir
        self.log = log
        self.process = process
        self.ports = {s.name: s.api_port + offset for s in SERVICES}

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def wait_for_output(self, text: str, timeout_s: float) -> None:
        deadline = time.monotonic() + timeout_s
        while text not in self.output():
            if self.process.poll() is not None:
                raise AssertionError(f"safety up exited ({self.process.returncode}):\n{self.output()}")
            if time.monotonic() > deadline:
                raise AssertionError(f"{text!r} not seen within {timeout_s}s:\n{self.output()}")
            time.sleep(0.2)

    def children(self) -> dict[str, int]:
        """The pid of each running child `safety up` supervises, from its run file."""
        processes = json.loads((self.data_dir / "run.json").read_text(encoding="utf-8"))["processes"]
        return {name: int(child["pid"]) for name, child in processes.items() if child["pid"] is not None}

    def ctrl_c(self) -> None:
        self.process.send_signal(signal.SIGINT)
        assert self.process.wait(120) == 0, self.output()

    def stop(self) -> None:
        """Stop `safety up` and everything it started, whatever state it is in."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(120)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(30)
        # A clean stop removes run.json (its children run in sessions of their own) and PostgreSQL's pid file;
        # whatever is still listed there was left behind.
        if (self.data_dir / "run.json").exists():
            for pid in self.children().values():
                _kill(pid)
        with contextlib.suppress(FileNotFoundError, ValueError, IndexError):
            _kill(int((self.data_dir / "pg" / "postmaster.pid").read_text().split()[0]))


@contextlib.contextmanager
def safety_up(data_dir: Path, offset: int) -> Iterator[Stack]:
    """Start `safety up` on a data folder and wait until all services are ready; on the way out (also when the
    start itself failed) stop it and everything it started."""
    log = data_dir / f"up-{time.monotonic_ns()}.log"
    env = {k: v for k, v in os.environ.items() if not k.endswith(("DATABASE_URL", "KAFKA_BOOTSTRAP_SERVERS"))}
    env.update({"SAFETY_DATA_DIR": str(data_dir), "SAFETY_PORT_OFFSET": str(offset)})
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "safety_stack.cli", "up"], env=env, stdout=out, stderr=subprocess.STDOUT
        )
    stack = Stack(data_dir, offset, log, process)
    try:
        stack.wait_for_output("all services ready", timeout_s=240)
        yield stack
    finally:
        stack.stop()


def _kill(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    status = Path(f"/proc/{pid}/status")
    return status.exists() and "State:\tZ" not in status.read_text()


@pytest.fixture
def stack_data_dir() -> Iterator[Path]:
    """A data folder outside pytest's temporary root, which every pytest session starting beside this one closes
    to other users (PostgreSQL runs as a user of its own and must traverse the folders above its data)."""
    with tempfile.TemporaryDirectory(prefix="safety-lifecycle-", ignore_cleanup_errors=True) as folder:
        yield Path(folder)


def test_make_run_lifecycle(stack_data_dir: Path) -> None:
    data_dir = stack_data_dir
    offset = _free_offset()
    with safety_up(data_dir, offset) as first:
        for service, port in first.ports.items():
            assert httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=5).status_code == 200, service
        key = ensure_signing_key(data_dir / "signing.key")
        headers = {"Authorization": f"Bearer {mint_token(key, subject='t', roles=['city_admin'])}"}
        os.kill(first.children()["hazard-worker"], signal.SIGSTOP)  # the consumer can no longer apply anything
        created = httpx.post(
            f"http://127.0.0.1:{first.ports['supervisor']}/api/v1/enterprises",
            json={
                "name": "洪江市重启测试有限公司",
                "credit_code": _credit_code(f"91431281{time.time_ns() % 10**9:09d}"),
                "industry_code": "30",
                "township_code": "431281101000",
                "employee_count": 12,
            },
            headers=headers,
            timeout=10,
        )
        assert created.status_code == 201, created.text
        enterprise_id = created.json()["id"]
        children = first.children()
        first.ctrl_c()
    assert "upstream-simulator" in children
    leftovers = {name: pid for name, pid in children.items() if _alive(pid)}
    assert not leftovers
    assert not (data_dir / "pg" / "postmaster.pid").exists()
    assert "stopped." in first.output()

    with safety_up(data_dir, offset) as second:
        kept = httpx.get(
            f"http://127.0.0.1:{second.ports['supervisor']}/api/v1/enterprises/{enterprise_id}",
            headers=headers,
            timeout=10,
        )
        assert kept.status_code == 200
        hazard = {
            "enterprise_id": enterprise_id,
            "grade": "general",
            "source": "department_inspection",
            "description": "重启后隐患",
            "reported_on": "2026-11-28",
        }
        deadline = time.monotonic() + 60
        while True:
            reported = httpx.post(
                f"http://127.0.0.1:{second.ports['hazard']}/api/v1/hazards", json=hazard, headers=headers, timeout=10
            )
            if reported.status_code == 201 or time.monotonic() > deadline:
                break
            time.sleep(0.5)
        assert reported.status_code == 201, reported.text
        second.ctrl_c()
