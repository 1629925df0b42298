"""Command line: `safety up | down | status | migrate | token | revision`.

The server-side libraries (SQLAlchemy, Alembic, aiokafka, uvicorn) are imported by the commands that use them,
so that `safety token` starts in a fraction of a second.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from safety_stack.console import console_origins, console_port
from safety_stack.services import SERVICES, ServiceProcess, by_name, port_offset
from safety_stack.supervision import Child, ProcessSupervisor
from shared.auth.principal import Role
from shared.auth.tokens import ensure_signing_key, mint_token
from shared.embedded import EmbeddedBroker, EmbeddedPostgres, free_port

DEFAULT_CITY = "431281000000"
DEFAULT_BROKER_PORT = 9092
UPSTREAM_SIMULATOR_PORT = 8091
# The web console, served by the stack and by its development server (Vite's default port), may call the APIs
# from a browser.
CONSOLE_ORIGINS = ",".join([*console_origins(), "http://localhost:5173", "http://127.0.0.1:5173"])


def data_dir() -> Path:
    """Where the embedded servers keep their data (survives restarts)."""
    return Path(os.environ.get("SAFETY_DATA_DIR", ".data")).resolve()


@dataclass
class Infrastructure:
    """Database and broker the services connect to; embedded unless the environment names them."""

    database_url: str
    bootstrap_servers: str
    embedded_broker: bool
    stoppers: list[object] = field(default_factory=list)
    postgres: EmbeddedPostgres | None = None
    broker: EmbeddedBroker | None = None

    def stop(self) -> None:
        """Stop whatever was started, last first."""
        for stopper in reversed(self.stoppers):
            stopper.stop()  # type: ignore[attr-defined]
        self.stoppers.clear()


def start_infrastructure(*, with_broker: bool = True) -> Infrastructure:
    """Use DATABASE_URL / KAFKA_BOOTSTRAP_SERVERS when set; start embedded servers otherwise."""
    from shared.entrypoints import port_available

    root = data_dir()
    root.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("XDG_RUNTIME_DIR", str(root))
    infra = Infrastructure(database_url="", bootstrap_servers="", embedded_broker=False)
    try:
        if os.environ.get("DATABASE_URL"):
            infra.database_url = os.environ["DATABASE_URL"]
        else:
            postgres = EmbeddedPostgres(root / "pg")
            postgres.start(durable=True)
            infra.stoppers.append(postgres)
            infra.postgres = postgres
            infra.database_url = postgres.ensure_database("safety")
        if os.environ.get("KAFKA_BOOTSTRAP_SERVERS"):
            infra.bootstrap_servers = os.environ["KAFKA_BOOTSTRAP_SERVERS"]
        elif with_broker:
            port = int(os.environ.get("SAFETY_BROKER_PORT", DEFAULT_BROKER_PORT + port_offset()))
            if not port_available("127.0.0.1", port):
                port = free_port()
            (root / "logs").mkdir(exist_ok=True)
            broker = EmbeddedBroker(port, log_path=root / "logs" / "broker.log")
            broker.start()
            infra.stoppers.append(broker)
            infra.broker = broker
            infra.bootstrap_servers = broker.bootstrap_servers
            infra.embedded_broker = True
    except BaseException:
        infra.stop()
        raise
    return infra


def migrate_all(database_url: str, services: tuple[ServiceProcess, ...] = SERVICES) -> None:
    """Apply every service's migrations."""
    from shared.db.migrations import upgrade

    for service in services:
        upgrade(service.package, database_url)
        print(f"  migrated {service.name}")


async def _republish(database_url: str, days: int) -> dict[str, int]:
    from sqlalchemy.ext.asyncio import create_async_engine

    from shared.db.tables import make_service_database
    from shared.outbox.relay import republish_retained
    from shared.settings import ServiceSettings

    url = ServiceSettings._async_driver(database_url)
    engine = create_async_engine(url)
    counts = {}
    try:
        for service in SERVICES:
            if service.publishes:
                counts[service.name] = await republish_retained(
                    engine, make_service_database(service.schema), retention_days=days
                )
    finally:
        await engine.dispose()
    return counts


def _service_env(service: ServiceProcess, infra: Infrastructure) -> dict[str, str]:
    p = service.env_prefix
    env = dict(os.environ)
    env.update(
        {
            f"{p}DATABASE_URL": infra.database_url,
            f"{p}KAFKA_BOOTSTRAP_SERVERS": infra.bootstrap_servers,
            f"{p}API_PORT": str(service.api_port),
            f"{p}WORKER_METRICS_PORT": str(service.metrics_port),
            "AUTH_HS256_KEY_FILE": str(data_dir() / "signing.key"),
        }
    )
    env.setdefault("CORS_ALLOW_ORIGINS", CONSOLE_ORIGINS)
    if infra.embedded_broker:
        # Short fetch waits while events flow (the embedded broker answers a fetch only when its wait ends),
        # and idle consumers rest between polls so an idle stack stays quiet.
        env[f"{p}KAFKA_FETCH_MAX_WAIT_MS"] = "20"
        env[f"{p}CONSUMER_IDLE_PAUSE_MS"] = "500"
    if service.name == "hazard" and f"{p}UPSTREAM_TARGETS" not in os.environ:
        env[f"{p}UPSTREAM_TARGETS"] = json.dumps(_simulated_upstream_targets())
        env[f"{p}PHOTO_DIR"] = str(data_dir() / "photos")
    return env


def simulator_port() -> int:
    """Port of the simulated upstream systems (national direct report, provincial 一单四制)."""
    return UPSTREAM_SIMULATOR_PORT + port_offset()


def _simulated_upstream_targets() -> list[dict[str, str]]:
    url = f"http://127.0.0.1:{simulator_port()}"
    return [
        {"code": "national_direct_report", "kind": "national_direct_report", "url": url, "token": "dev"},
        {
            "code": "provincial_one_list",
            "kind": "provincial_one_list",
            "url": url,
            "username": "dev",
            "password": "dev",
        },
    ]


def _spawn_module(name: str, module: str, *args: str, env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    """Start `python -m module` in a session of its own, its output in logs/<name>.log."""
    log_file = data_dir() / "logs" / f"{name}.log"
    log_file.parent.mkdir(parents=True, exist_ok=True)
    with open(log_file, "ab") as out:
        return subprocess.Popen(
            [sys.executable, "-m", module, *args],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def _spawn_simulator() -> subprocess.Popen[bytes]:
    return _spawn_module("upstream-simulator", "hazard_service.upstream.simulator", "--port", str(simulator_port()))


def _spawn_console() -> subprocess.Popen[bytes]:
    return _spawn_module("web-console", "safety_stack.console", "--port", str(console_port()))


def _spawn(service: ServiceProcess, kind: str, env: dict[str, str]) -> subprocess.Popen[bytes]:
    return _spawn_module(f"{service.name}-{kind}", f"{service.package}.entrypoints.{kind}", env=env)


def _wait_ready(
    services: tuple[ServiceProcess, ...], procs: dict[str, subprocess.Popen[bytes]], timeout_s: float
) -> None:
    """Wait until each service's API is ready and its worker healthy (a worker that cannot start leaves the API
    ready, so the worker's own probe is asked too); stop at the first process that exits."""
    import httpx

    deadline = time.monotonic() + timeout_s
    pending = {s.name: s for s in services}
    while pending:
        for name, service in list(pending.items()):
            for kind in ("api", "worker"):
                proc = procs[f"{name}-{kind}"]
                if proc.poll() is not None:
                    log = data_dir() / "logs" / f"{name}-{kind}.log"
                    raise SystemExit(f"{name} {kind} exited with code {proc.returncode}; see {log}")
            probes = (f"{service.api_port}/readyz", f"{service.metrics_port}/healthz")
            try:
                if all(httpx.get(f"http://127.0.0.1:{probe}", timeout=2).status_code == 200 for probe in probes):
                    print(f"  {name} ready")
                    del pending[name]
            except httpx.HTTPError:
                pass
        if time.monotonic() > deadline:
            raise SystemExit(f"not ready after {timeout_s:.0f}s: {', '.join(pending)}")
        time.sleep(0.3)


def _wait_console(proc: subprocess.Popen[bytes], timeout_s: float) -> None:
    """Wait until the console answers; stop if its process exits."""
    import httpx

    deadline = time.monotonic() + timeout_s
    while True:
        if proc.poll() is not None:
            raise SystemExit(f"the web console exited with code {proc.returncode}; see {data_dir() / 'logs'}")
        try:
            if httpx.get(f"http://127.0.0.1:{console_port()}/healthz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            raise SystemExit(f"the web console did not answer within {timeout_s:.0f}s")
        time.sleep(0.3)


def _stop_processes(procs: dict[str, subprocess.Popen[bytes]]) -> None:
    # The console and APIs first (no new writes), then workers (the relay drains the outbox), then the simulator.
    for suffix in ("-console", "-api", "-worker", "-simulator"):
        group = {k: p for k, p in procs.items() if k.endswith(suffix) and p.poll() is None}
        for proc in group.values():
            proc.send_signal(signal.SIGTERM)
            proc.send_signal(signal.SIGCONT)  # a paused process (SIGSTOP) could not act on the SIGTERM
        for name, proc in group.items():
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                print(f"  {name} did not stop in time; killing it")
                proc.kill()
                proc.wait(5)


def cmd_up(args: argparse.Namespace) -> None:
    """Start everything and wait for Ctrl-C."""
    from shared.contracts.topics import ALL_TOPICS
    from shared.entrypoints import port_available

    root = data_dir()
    print(f"data folder: {root}")
    ports = {f"{s.name} API": s.api_port for s in SERVICES} | {
        f"{s.name} worker metrics": s.metrics_port for s in SERVICES
    }
    ports["upstream simulator"] = simulator_port()
    ports["web console"] = console_port()
    for name, port in ports.items():
        if not port_available("127.0.0.1", port):
            raise SystemExit(f"port {port} ({name}) is already in use; is `safety up` already running?")
    stop_requested = False

    def request_stop(*_: object) -> None:
        nonlocal stop_requested
        stop_requested = True

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    infra = start_infrastructure()
    procs: dict[str, subprocess.Popen[bytes]] = {}
    try:
        print(f"database: {infra.database_url}\nbroker:   {infra.bootstrap_servers}")
        from shared.messaging.kafka import ensure_topics

        asyncio.run(ensure_topics(infra.bootstrap_servers, ALL_TOPICS, partitions=4))
        print("migrating:")
        migrate_all(infra.database_url)
        if infra.embedded_broker:
            # The embedded broker starts empty; re-send retained events, consumers skip what they applied.
            counts = asyncio.run(_republish(infra.database_url, days=int(os.environ.get("SAFETY_REPLAY_DAYS", "7"))))
            print(f"re-publishing retained events to the fresh broker: {counts}")
        ensure_signing_key(root / "signing.key")
        if "HAZARD_UPSTREAM_TARGETS" not in os.environ:
            procs["upstream-simulator"] = _spawn_simulator()
        procs["web-console"] = _spawn_console()
        for service in SERVICES:
            env = _service_env(service, infra)
            procs[f"{service.name}-worker"] = _spawn(service, "worker", env)
            procs[f"{service.name}-api"] = _spawn(service, "api", env)
        supervisor = _supervise(infra, procs)
        _write_run_file(supervisor)
        print("starting services:")
        _wait_ready(SERVICES, procs, timeout_s=args.timeout)
        _wait_console(procs["web-console"], timeout_s=args.timeout)
        _seed(infra, demo=args.demo)
        _print_banner()
        while not stop_requested:
            before = supervisor.state()
            supervisor.check()
            if supervisor.state() != before:
                _write_run_file(supervisor)
            time.sleep(0.5)
        print("\nstopping…")
    finally:
        _stop_processes(procs)
        infra.stop()
        (root / "run.json").unlink(missing_ok=True)
        print("stopped.")


def _supervise(infra: Infrastructure, procs: dict[str, subprocess.Popen[bytes]]) -> ProcessSupervisor:
    """Put every child of the stack under supervision: services, the simulator and the embedded servers."""
    supervisor = ProcessSupervisor()
    for name in procs:
        supervisor.add(_process_child(name, procs, _respawner(name, infra)))
    if infra.postgres is not None:
        postgres = infra.postgres
        supervisor.add(Child("postgresql", start=postgres.revive, alive=postgres.running, pid=postgres.pid))
    if infra.broker is not None:
        broker = infra.broker
        supervisor.add(
            Child(
                "broker",
                start=lambda: _restart_broker(broker, infra.database_url),
                alive=broker.running,
                describe_exit=lambda: f"exited with code {broker.returncode}",
                pid=lambda: broker.process.pid if broker.process else None,
            )
        )
    return supervisor


def _respawner(name: str, infra: Infrastructure) -> Callable[[], subprocess.Popen[bytes]]:
    if name == "upstream-simulator":
        return _spawn_simulator
    if name == "web-console":
        return _spawn_console
    service_name, _, kind = name.rpartition("-")
    service = by_name(service_name)
    return lambda: _spawn(service, kind, _service_env(service, infra))


def _process_child(
    name: str, procs: dict[str, subprocess.Popen[bytes]], spawn: Callable[[], subprocess.Popen[bytes]]
) -> Child:
    def start() -> None:
        procs[name] = spawn()

    return Child(
        name,
        start=start,
        alive=lambda: procs[name].poll() is None,
        describe_exit=lambda: f"exited with code {procs[name].returncode}; see {data_dir() / 'logs' / (name + '.log')}",
        pid=lambda: procs[name].pid,
    )


def _restart_broker(broker: EmbeddedBroker, database_url: str) -> None:
    """The embedded broker keeps nothing: a restarted one gets its topics and the retained outbox again."""
    from shared.contracts.topics import ALL_TOPICS
    from shared.messaging.kafka import ensure_topics

    broker.stop()
    broker.start()
    asyncio.run(ensure_topics(broker.bootstrap_servers, ALL_TOPICS, partitions=4))
    asyncio.run(_republish(database_url, days=int(os.environ.get("SAFETY_REPLAY_DAYS", "7"))))


def _write_run_file(supervisor: ProcessSupervisor) -> None:
    # Written aside and renamed over: `safety status` (or a test) reading it meanwhile sees the old or the new
    # file, never an empty or half-written one.
    written = data_dir() / "run.json.tmp"
    written.write_text(json.dumps({"pid": os.getpid(), "processes": supervisor.state()}), encoding="utf-8")
    written.replace(data_dir() / "run.json")


def _seed(infra: Infrastructure, *, demo: bool) -> None:
    """Load the reference data, and the demo data of 洪江市 into an empty registry when asked to (`--demo`)."""
    try:
        from importlib import import_module

        seed = import_module("supervisor_service.entrypoints.seed")
    except ModuleNotFoundError:
        return
    env = _service_env(by_name("supervisor"), infra)
    which = "--if-empty" if demo else "--reference-only"
    result = subprocess.run([sys.executable, "-m", seed.__name__, which], env=env, check=False)
    if result.returncode != 0:
        print("warning: loading the reference or demo data failed; see the output above")


def _print_banner() -> None:
    key = ensure_signing_key(data_dir() / "signing.key")
    token = mint_token(
        key,
        subject="dev-admin",
        roles=[Role.CITY_ADMIN.value],
        jurisdictions=[DEFAULT_CITY],
        department="yjj",
        name="开发管理员",
    )
    print("\nall services ready:")
    for service in SERVICES:
        base = f"http://127.0.0.1:{service.api_port}"
        print(f"  {service.name:<12} {base}/api/v1   docs {base}/docs   metrics {base}/metrics")
    print(f"  upstream simulator (national direct report, provincial 一单四制): http://127.0.0.1:{simulator_port()}")
    print(f"\nweb console (development sign-in): http://127.0.0.1:{console_port()}/")
    print(f"\ndevelopment token (city_admin, 8 h):\n  {token}\n")
    print("mint others with: uv run safety token --role township_officer --jurisdiction 431281101000")
    print("Ctrl-C stops everything.")


def cmd_down(_: argparse.Namespace) -> None:
    """Ask a running `safety up` to stop."""
    run_file = data_dir() / "run.json"
    if not run_file.exists():
        print("nothing is running")
        return
    pid = json.loads(run_file.read_text(encoding="utf-8"))["pid"]
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        run_file.unlink(missing_ok=True)
        print("nothing is running (stale run file removed)")
        return
    for _attempt in range(120):
        if not run_file.exists():
            print("stopped")
            return
        time.sleep(0.5)
    raise SystemExit("the stack did not stop within 60 s")


def cmd_status(_: argparse.Namespace) -> None:
    """Print each process and each API's readiness."""
    import httpx

    run_file = data_dir() / "run.json"
    if not run_file.exists():
        print("not running")
        raise SystemExit(1)
    state = json.loads(run_file.read_text(encoding="utf-8"))
    healthy = True
    for name, process in sorted(state["processes"].items()):
        pid = process["pid"]
        alive = pid is not None and Path(f"/proc/{pid}").exists()
        healthy &= alive and process["status"] == "running"
        shown = process["status"] if process["status"] != "running" or alive else "STOPPED"
        print(f"  {name:<20} pid {pid!s:<8} {shown:<11} restarts {process['restarts']}")
    probes = {s.name: f"http://127.0.0.1:{s.api_port}/readyz" for s in SERVICES}
    probes["web-console"] = f"http://127.0.0.1:{console_port()}/healthz"
    for name, url in probes.items():
        try:
            code = httpx.get(url, timeout=3).status_code
        except httpx.HTTPError:
            code = 0
        healthy &= code == 200
        print(f"  {name:<20} {url.rpartition('/')[2]} {code or 'unreachable'}")
    raise SystemExit(0 if healthy else 1)


def cmd_migrate(args: argparse.Namespace) -> None:
    """Apply migrations (embedded database unless DATABASE_URL is set)."""
    services = (by_name(args.service),) if args.service else SERVICES
    infra = start_infrastructure(with_broker=False)
    try:
        migrate_all(infra.database_url, services)
    finally:
        infra.stop()


def development_subject(args: argparse.Namespace, jurisdictions: list[str]) -> str:
    """A subject of its own for each role, jurisdiction and organisation, so two development callers
    never share one (an Idempotency-Key, an audit entry and a visit log belong to a subject)."""
    parts = [*sorted(args.role), *sorted(jurisdictions)]
    parts += [p for p in (args.department, args.enterprise_id, args.supervisor_id) if p]
    return "dev-" + "-".join(parts)


def cmd_token(args: argparse.Namespace) -> None:
    """Print a development JWT signed with the local key."""
    key = ensure_signing_key(data_dir() / "signing.key")
    jurisdictions = args.jurisdiction or [DEFAULT_CITY]
    print(
        mint_token(
            key,
            subject=args.subject or development_subject(args, jurisdictions),
            roles=args.role,
            jurisdictions=jurisdictions,
            department=args.department,
            name=args.name,
            enterprise_id=args.enterprise_id,
            supervisor_id=args.supervisor_id,
            ttl_seconds=args.ttl,
        )
    )


def cmd_revision(args: argparse.Namespace) -> None:
    """Autogenerate a migration for a service against the embedded database."""
    from alembic import command

    from shared.db.migrations import alembic_config

    service = by_name(args.service)
    infra = start_infrastructure(with_broker=False)
    try:
        url = infra.database_url
        config = alembic_config(service.package, url)
        command.upgrade(config, "head")
        command.revision(config, message=args.message, autogenerate=True, rev_id=args.rev_id)
    finally:
        infra.stop()


def main(argv: list[str] | None = None) -> None:
    """Entry point of the `safety` command."""
    parser = argparse.ArgumentParser(prog="safety", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    up = sub.add_parser("up", help="start PostgreSQL, the broker and every service; Ctrl-C stops all")
    up.add_argument("--timeout", type=float, default=90.0, help="seconds to wait for readiness")
    up.add_argument(
        "--demo", action="store_true", help="load the demo data of 洪江市 into an empty registry (never into real data)"
    )
    up.set_defaults(fn=cmd_up)
    sub.add_parser("down", help="stop a running `safety up`").set_defaults(fn=cmd_down)
    sub.add_parser("status", help="show processes and readiness").set_defaults(fn=cmd_status)
    migrate = sub.add_parser("migrate", help="apply migrations")
    migrate.add_argument("--service", choices=[s.name for s in SERVICES])
    migrate.set_defaults(fn=cmd_migrate)
    token = sub.add_parser("token", help="mint a development token")
    token.add_argument("--role", action="append", required=True, choices=[r.value for r in Role])
    token.add_argument("--jurisdiction", action="append", help="division code (repeatable)")
    token.add_argument("--department")
    token.add_argument("--subject", help="default: one per role, jurisdiction and organisation")
    token.add_argument("--name")
    token.add_argument("--enterprise-id")
    token.add_argument("--supervisor-id")
    token.add_argument("--ttl", type=int, default=8 * 3600, help="lifetime in seconds")
    token.set_defaults(fn=cmd_token)
    revision = sub.add_parser("revision", help="autogenerate a migration for a service")
    revision.add_argument("service", choices=[s.name for s in SERVICES])
    revision.add_argument("-m", "--message", required=True)
    revision.add_argument("--rev-id", required=True, help="revision id, e.g. 0002")
    revision.set_defaults(fn=cmd_revision)
    args = parser.parse_args(argv)
    args.fn(args)


if __name__ == "__main__":
    main()
