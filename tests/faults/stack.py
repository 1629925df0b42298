"""A `safety up` of the fault suite's own, on its own data folder and ports, and how to reach its parts.

Started and torn down by `safety_stack.testing` (the one helper that starts a stack in tests): on the way out
everything it started is killed, also when the start or a test failed.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from safety_stack.testing import StackProcess, safety_up
from safety_stack.testing import free_offset as _free_offset
from shared.auth.tokens import ensure_signing_key, mint_token

SERVICES = ("supervisor", "hazard", "enforcement", "reporting")
PUBLISHERS = ("supervisor", "hazard", "enforcement")


def free_offset() -> int:
    """A SAFETY_PORT_OFFSET whose ports are all free (the lifecycle test uses 1000-1900, a developer's stack 0)."""
    return _free_offset(3000, 6000)


class FaultStack(StackProcess):
    """A running `safety up`: its output, children, URLs, a token and a DSN for direct SQL."""

    def pid(self, child: str) -> int:
        """The current pid of a supervised child."""
        return int(str(self.children()[child]["pid"]))

    def restarts(self, child: str) -> int:
        """How often the supervisor restarted a child."""
        return int(str(self.children()[child]["restarts"]))

    @property
    def bootstrap_servers(self) -> str:
        """The embedded broker's address, as `safety up` printed it."""
        return self.printed("broker:").strip()

    @property
    def dsn(self) -> str:
        """A libpq DSN of the stack's database (asyncpg connects with it)."""
        return self.printed("database:").strip().replace("postgresql+asyncpg://", "postgresql://")

    def headers(self) -> dict[str, str]:
        """A city administrator's bearer token, signed with the stack's key."""
        key = ensure_signing_key(self.data_dir / "signing.key")
        token = mint_token(key, subject="fault-suite", roles=["city_admin"], jurisdictions=["431281000000"])
        return {"Authorization": f"Bearer {token}"}


@contextlib.contextmanager
def fault_stack(data_dir: Path, *, ready_timeout_s: float = 240) -> Iterator[FaultStack]:
    """Start `safety up` on `data_dir` and wait for "all services ready"; always leave nothing running."""
    with safety_up(data_dir, free_offset(), ready_timeout_s=ready_timeout_s, graceful_stop=False) as stack:
        # The same process and the same set of pids seen, which the stop on the way out kills.
        yield FaultStack(stack.data_dir, stack.offset, stack.log, stack.process, stack.seen_pids)
