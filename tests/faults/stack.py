"""A `safety up` of the fault suite's own, on its own data folder and ports, and how to reach its parts.

Its children run in sessions of their own (so a Ctrl-C in a terminal reaches only `safety up`), which is why
leaving nothing behind takes more than killing one process group: on the way out every process that carries
this stack's data folder in its environment, every pid the run file ever listed and the postmaster are
killed with their process groups, also when the start or a test failed.
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

from shared.auth.tokens import ensure_signing_key, mint_token
from shared.entrypoints import port_available

SERVICES = ("supervisor", "hazard", "enforcement", "reporting")
PUBLISHERS = ("supervisor", "hazard", "enforcement")
_API_BASE, _METRICS_BASE = {"hazard": 8001, "enforcement": 8002, "supervisor": 8003, "reporting": 8004}, 9100
_OTHER_BASES = (9092, 8091)  # the broker and the upstream simulator


def _ports(offset: int) -> list[int]:
    apis = [port + offset for port in _API_BASE.values()]
    return [*apis, *(port + 1100 for port in apis), *(port + offset for port in _OTHER_BASES)]


def free_offset() -> int:
    """A SAFETY_PORT_OFFSET whose ports are all free (the lifecycle test uses 1000-2900, a developer's stack 0).

    The search starts at a random offset: two test sessions starting at once would otherwise both find the
    first range free before either stack has bound its ports.
    """
    start = random.randrange(3000, 6000)
    for offset in range(start, start + 3000, 37):
        if all(port_available("127.0.0.1", port) for port in _ports(offset)):
            return offset
    raise RuntimeError("no free port range for the fault suite's stack")


@dataclass
class FaultStack:
    """A running `safety up`: its output, children, URLs, a token and a DSN for direct SQL."""

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

    def pid(self, child: str) -> int:
        """The current pid of a supervised child."""
        return int(str(self.children()[child]["pid"]))

    def restarts(self, child: str) -> int:
        """How often the supervisor restarted a child."""
        return int(str(self.children()[child]["restarts"]))

    def api(self, service: str) -> str:
        """Base URL of a service's API."""
        return f"http://127.0.0.1:{_API_BASE[service] + self.offset}"

    def worker_probe(self, service: str) -> str:
        """Base URL of a worker's /healthz and /metrics."""
        return f"http://127.0.0.1:{_API_BASE[service] + self.offset + 1100}"

    @property
    def bootstrap_servers(self) -> str:
        """The embedded broker's address, as `safety up` printed it."""
        return self._printed("broker:").strip()

    @property
    def dsn(self) -> str:
        """A libpq DSN of the stack's database (asyncpg connects with it)."""
        return self._printed("database:").strip().replace("postgresql+asyncpg://", "postgresql://")

    def _printed(self, label: str) -> str:
        for line in self.output().splitlines():
            if line.startswith(label):
                return line.removeprefix(label)
        raise AssertionError(f"`safety up` printed no {label!r} line:\n{self.output()}")

    def headers(self) -> dict[str, str]:
        """A city administrator's bearer token, signed with the stack's key."""
        key = ensure_signing_key(self.data_dir / "signing.key")
        token = mint_token(key, subject="fault-suite", roles=["city_admin"], jurisdictions=["431281000000"])
        return {"Authorization": f"Bearer {token}"}

    def kill_everything(self) -> None:
        """Kill `safety up` and whatever it started, whether or not it is still supervising them."""
        with contextlib.suppress(FileNotFoundError, json.JSONDecodeError, KeyError):
            self.children()
        pids = {self.process.pid, *self.seen_pids, *_carrying(self.data_dir)}
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
def fault_stack(data_dir: Path, *, ready_timeout_s: float = 240) -> Iterator[FaultStack]:
    """Start `safety up` on `data_dir` and wait for "all services ready"; always leave nothing running."""
    offset = free_offset()
    log = data_dir / "up.log"
    env = {k: v for k, v in os.environ.items() if not k.endswith(("DATABASE_URL", "KAFKA_BOOTSTRAP_SERVERS"))}
    env.update({"SAFETY_DATA_DIR": str(data_dir), "SAFETY_PORT_OFFSET": str(offset)})
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "safety_stack.cli", "up", "--timeout", str(ready_timeout_s)],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    stack = FaultStack(data_dir, offset, log, process)
    try:
        stack.wait_for_output("all services ready", timeout_s=ready_timeout_s + 60)
        yield stack
    finally:
        stack.kill_everything()
