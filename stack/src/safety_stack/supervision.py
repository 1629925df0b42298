"""`safety up` as the embedded stack's process supervisor: a child that dies is started again.

Each child (an API, a worker, the simulator, PostgreSQL, the broker) is restarted after a backoff that
doubles with every crash; one that keeps crashing (`max_crashes` within `window_s`) is given up on,
loudly. Restarts and give-ups are printed and written to the run file that `safety status` reads.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Child:
    """One supervised process: how to start it, how to tell it is alive, and its crash history."""

    name: str
    start: Callable[[], Any]
    alive: Callable[[], bool]
    describe_exit: Callable[[], str] = lambda: "stopped"
    pid: Callable[[], int | None] = lambda: None
    restarts: int = 0
    crashes: deque[float] = field(default_factory=deque)
    restart_at: float | None = None
    gave_up: bool = False

    @property
    def status(self) -> str:
        """running, restarting or given up."""
        if self.gave_up:
            return "given up"
        return "restarting" if self.restart_at is not None else "running"


@dataclass
class ProcessSupervisor:
    """Watches children and restarts the ones that died, with backoff, within a crash budget."""

    max_crashes: int = 5
    window_s: float = 300.0
    base_backoff_s: float = 1.0
    max_backoff_s: float = 30.0
    say: Callable[[str], None] = print
    clock: Callable[[], float] = time.monotonic
    children: dict[str, Child] = field(default_factory=dict)

    def add(self, child: Child) -> None:
        """Supervise an already started child."""
        self.children[child.name] = child

    def check(self) -> None:
        """Notice children that died, schedule their restart, and restart those whose backoff is over."""
        now = self.clock()
        for child in self.children.values():
            if child.gave_up:
                continue
            if child.restart_at is None:
                if self._alive(child):
                    continue
                self._crashed(child, now)
            elif now >= child.restart_at:
                child.restart_at = None
                try:
                    child.start()
                except Exception as exc:  # a start that fails counts as another crash
                    self.say(f"warning: restarting {child.name} failed: {exc}")
                    self._crashed(child, now)
                    continue
                child.restarts += 1
                self.say(f"restarted {child.name} (restart {child.restarts})")

    def _alive(self, child: Child) -> bool:
        try:
            return child.alive()
        except Exception as exc:  # a probe that cannot tell is not a crash; it is asked again next time
            self.say(f"warning: cannot tell whether {child.name} runs: {exc}")
            return True

    def _crashed(self, child: Child, now: float) -> None:
        child.crashes.append(now)
        while child.crashes and child.crashes[0] < now - self.window_s:
            child.crashes.popleft()
        if len(child.crashes) >= self.max_crashes:
            child.gave_up = True
            self.say(
                f"ERROR: {child.name} crashed {len(child.crashes)} times within {self.window_s:.0f} s "
                f"({child.describe_exit()}); giving up on it. Fix the cause and restart `safety up`."
            )
            return
        delay = min(self.base_backoff_s * 2 ** (len(child.crashes) - 1), self.max_backoff_s)
        child.restart_at = now + delay
        self.say(f"warning: {child.name} {child.describe_exit()}; restarting it in {delay:.0f} s")

    def state(self) -> dict[str, dict[str, Any]]:
        """Each child's pid, status and restart count, for the run file."""
        return {
            name: {"pid": child.pid(), "status": child.status, "restarts": child.restarts}
            for name, child in self.children.items()
        }
