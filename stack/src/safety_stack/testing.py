"""A `safety up` for tests: on its own data folder and free ports, and nothing left running afterwards.

Used by the stack lifecycle test, the fault suite and the web console's end-to-end run. The children of
`safety up` run in sessions of their own (so a Ctrl-C in a terminal reaches only `safety up`), which is why
leaving nothing behind takes more than stopping one process: on the way out every process that carries the
stack's data folder in its environment, every pid the run file ever listed and the postmaster are killed,
also when the start or a test failed.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from safety_stack.cli import DEFAULT_BROKER_PORT, UPSTREAM_SIMULATOR_PORT
from safety_stack.console import CONSOLE_BASE_PORT
from safety_stack.services import SERVICES, port_offset
from shared.entrypoints import port_available

READY_LINE = "all services ready"


def _base_ports() -> list[int]:
    """Every port a stack binds, at offset 0."""
    shift = port_offset()
    ports = [port - shift for s in SERVICES for port in (s.api_port, s.metrics_port)]
    return [*ports, DEFAULT_BROKER_PORT, UPSTREAM_SIMULATOR_PORT, CONSOLE_BASE_PORT]


def free_offset(low: int, high: int) -> int:
    """A SAFETY_PORT_OFFSET in [low, high) whose ports are all free.

    The search starts at a random offset: two test sessions starting at once would otherwise both find the
    first range free before either stack has bound its ports.
    """
    bases = _base_ports()
    start = random.randrange(low, high)
    for offset in [*range(start, high, 13), *range(low, start, 13)]:
        if all(port_available("127.0.0.1", port + offset) for port in bases):
            return offset
    raise AssertionError(f"no free port range for a `safety up` between offsets {low} and {high}")


@dataclass
class StackProcess:
    """A running `safety up`: its output, its children and its URLs."""

    data_dir: Path
    offset: int
    log: Path
    process: subprocess.Popen[bytes]
    seen_pids: set[int] = field(default_factory=set)

    def output(self) -> str:
        """Everything `safety up` printed so far."""
        return self.log.read_text(encoding="utf-8", errors="replace")

    def wait_for_output(self, text: str, timeout_s: float) -> None:
        """Wait until `safety up` printed `text`; fail early if it exited."""
        deadline = time.monotonic() + timeout_s
        while text not in self.output():
            if self.process.poll() is not None:
                raise AssertionError(f"safety up exited ({self.process.returncode}):\n{self.output()}")
            if time.monotonic() > deadline:
                raise AssertionError(f"{text!r} not seen within {timeout_s}s:\n{self.output()}")
            time.sleep(0.2)

    def children(self) -> dict[str, dict[str, object]]:
        """Each supervised child's pid, status and restart count, from the run file."""
        processes: dict[str, dict[str, object]] = json.loads((self.data_dir / "run.json").read_text("utf-8"))[
            "processes"
        ]
        self.seen_pids.update(int(str(p["pid"])) for p in processes.values() if p["pid"] is not None)
        return processes

    def pids(self) -> dict[str, int]:
        """The pid of each running child."""
        return {name: int(str(child["pid"])) for name, child in self.children().items() if child["pid"] is not None}

    def api(self, service: str) -> str:
        """Base URL of a service's API."""
        return f"http://127.0.0.1:{self._port(service, 'api_port')}"

    def worker_probe(self, service: str) -> str:
        """Base URL of a worker's /healthz and /metrics."""
        return f"http://127.0.0.1:{self._port(service, 'metrics_port')}"

    @property
    def console(self) -> str:
        """Base URL of the web console."""
        return f"http://127.0.0.1:{CONSOLE_BASE_PORT + self.offset}"

    def printed(self, label: str) -> str:
        """The rest of the first line `safety up` printed starting with `label`."""
        for line in self.output().splitlines():
            if line.startswith(label):
                return line.removeprefix(label)
        raise AssertionError(f"`safety up` printed no {label!r} line:\n{self.output()}")

    def _port(self, service: str, kind: str) -> int:
        port: int = next(getattr(s, kind) for s in SERVICES if s.name == service)
        return port - port_offset() + self.offset

    def ctrl_c(self, timeout_s: float = 120) -> int:
        """Press Ctrl-C and wait for `safety up` to stop; its exit code."""
        with contextlib.suppress(FileNotFoundError, json.JSONDecodeError, KeyError):
            self.children()
        self.process.send_signal(signal.SIGINT)
        return self.process.wait(timeout_s)

    def stop(self, *, graceful: bool = True) -> None:
        """Stop `safety up` (with Ctrl-C first when `graceful`), then kill whatever it left running."""
        if graceful and self.process.poll() is None:
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.ctrl_c()
        # A clean stop removes the run file; the pids it listed may belong to other processes by now.
        clean = self.process.poll() == 0 and not (self.data_dir / "run.json").exists()
        self.kill_everything(listed=not clean)

    def kill_everything(self, *, listed: bool = True) -> None:
        """Kill `safety up` and whatever it started (with `listed`, also every pid its run file ever named),
        whether or not it is still supervising them."""
        with contextlib.suppress(FileNotFoundError, json.JSONDecodeError, KeyError):
            self.children()
        pids = {*(self.seen_pids if listed else ()), *_carrying(self.data_dir)}
        if self.process.poll() is None:
            pids.add(self.process.pid)
        with contextlib.suppress(FileNotFoundError, ValueError, IndexError):
            pids.add(int((self.data_dir / "pg" / "postmaster.pid").read_text().split()[0]))
        for pid in pids:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(pid, signal.SIGKILL)
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(10)


def _carrying(data_dir: Path) -> set[int]:
    """Processes whose environment names this stack's data folder (every child inherits it)."""
    marker = f"SAFETY_DATA_DIR={data_dir}".encode()
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        with contextlib.suppress(OSError):
            if marker in (entry / "environ").read_bytes().split(b"\0"):
                found.add(int(entry.name))
    return found


@contextlib.contextmanager
def safety_up(
    data_dir: Path,
    offset: int,
    *,
    demo: bool = False,
    ready_timeout_s: float = 240,
    graceful_stop: bool = True,
    env: dict[str, str] | None = None,
) -> Iterator[StackProcess]:
    """Start `safety up` on `data_dir` at a port offset, wait for it to say all services are ready, and on the
    way out (also when the start itself failed) stop it and everything it started."""
    log = data_dir / f"up-{time.monotonic_ns()}.log"
    # The stack's own embedded servers, never the ones a surrounding test session names.
    environment = {k: v for k, v in os.environ.items() if not k.endswith(("DATABASE_URL", "KAFKA_BOOTSTRAP_SERVERS"))}
    environment |= (env or {}) | {"SAFETY_DATA_DIR": str(data_dir), "SAFETY_PORT_OFFSET": str(offset)}
    command = [sys.executable, "-m", "safety_stack.cli", "up", "--timeout", str(ready_timeout_s)]
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [*command, *(["--demo"] if demo else [])],
            env=environment,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    stack = StackProcess(data_dir, offset, log, process)
    try:
        stack.wait_for_output(READY_LINE, timeout_s=ready_timeout_s + 60)
        yield stack
    finally:
        stack.stop(graceful=graceful_stop)
