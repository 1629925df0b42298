"""Idle cost of the whole stack: CPU per process of a `safety up` that serves no traffic.

Starts `safety up` in a temporary data folder (ports shifted so it can run beside another stack), waits until
every service is ready and the start-up work has settled, then samples each process's CPU time over a window
and prints the share of one core each process used, and the total.

    python -m bench.idle_cost [--window 60] [--settle 30]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import psutil


@contextlib.contextmanager
def safety_up(port_offset: int, timeout_s: float = 300.0) -> Iterator[Path]:
    """A `safety up` in a fresh data folder, ready; stopped (its whole process group) on leaving."""
    data_dir = Path(tempfile.mkdtemp(prefix="safety-idle-"))
    env = {**os.environ, "SAFETY_DATA_DIR": str(data_dir), "SAFETY_PORT_OFFSET": str(port_offset)}
    log = open(data_dir / "up.log", "wb")  # noqa: SIM115 - closed below, after the process
    process = subprocess.Popen(
        [sys.executable, "-m", "safety_stack.cli", "up"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + timeout_s
        while "all services ready" not in (data_dir / "up.log").read_text(errors="replace"):
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(
                    "safety up did not become ready:\n" + (data_dir / "up.log").read_text(errors="replace")
                )
            time.sleep(0.5)
        yield data_dir
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(90)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(10)
        log.close()
        shutil.rmtree(data_dir, ignore_errors=True)


def stack_processes(data_dir: Path) -> dict[str, psutil.Process]:
    """The stack's processes by name: services, simulator, PostgreSQL (with its backends) and the broker."""
    state = json.loads((data_dir / "run.json").read_text(encoding="utf-8"))
    found: dict[str, psutil.Process] = {}
    for name, child in state["processes"].items():
        if child["pid"]:
            with contextlib.suppress(psutil.NoSuchProcess):
                found[name] = psutil.Process(child["pid"])
    return found


def cpu_seconds(process: psutil.Process) -> float:
    """CPU time of a process and all its descendants (PostgreSQL's backends are children of the postmaster)."""
    total = 0.0
    for each in [process, *process.children(recursive=True)]:
        with contextlib.suppress(psutil.NoSuchProcess):
            times = each.cpu_times()
            total += times.user + times.system
    return total


def main() -> None:
    """Start an idle stack and print CPU per process over the window."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--window", type=float, default=60.0, help="seconds to measure")
    parser.add_argument("--settle", type=float, default=30.0, help="seconds to wait after ready")
    parser.add_argument("--port-offset", type=int, default=700)
    args = parser.parse_args()
    with safety_up(args.port_offset) as data_dir:
        time.sleep(args.settle)  # start-up work (migrations, re-publication, demo data) is not idle cost
        processes = stack_processes(data_dir)
        before = {name: cpu_seconds(p) for name, p in processes.items()}
        started = time.monotonic()
        time.sleep(args.window)
        elapsed = time.monotonic() - started
        after = {name: cpu_seconds(p) for name, p in processes.items()}
    print(f"idle stack, {elapsed:.0f} s window, share of one core:")
    shares = {name: (after[name] - before[name]) / elapsed for name in processes}
    for name, share in sorted(shares.items(), key=lambda item: -item[1]):
        print(f"  {name:<22} {share * 100:5.1f}%")
    print(f"  {'total':<22} {sum(shares.values()) * 100:5.1f}%")


if __name__ == "__main__":
    main()
