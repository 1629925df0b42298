"""Process entry points shared by every service: API, worker and migrations."""

from __future__ import annotations

import errno
import gc
import logging
import socket
import sys
from collections.abc import Callable
from typing import TypeVar

import uvicorn
from fastapi import FastAPI

from shared.db.migrations import upgrade
from shared.logging import configure_logging
from shared.settings import ServiceSettings, load_settings_or_exit
from shared.worker import Worker, run_worker_process

SettingsT = TypeVar("SettingsT", bound=ServiceSettings)


def port_available(host: str, port: int) -> bool:
    """Whether a TCP port can be bound on `host`."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                return False
            raise
    return True


def _exit_if_port_taken(settings: ServiceSettings, port: int, variable: str) -> None:
    if not port_available(settings.api_host, port):
        print(
            f"startup error: port {port} on {settings.api_host} is already in use (set {variable})",
            file=sys.stderr,
        )
        raise SystemExit(2)


def serve_api(settings_cls: type[SettingsT], create_app: Callable[[SettingsT], FastAPI]) -> None:
    """Start the service's API under uvicorn."""
    settings = load_settings_or_exit(settings_cls)
    configure_logging(settings.service_name, settings.log_level)
    _exit_if_port_taken(settings, settings.api_port, f"{settings.env_prefix}API_PORT")
    app = create_app(settings)
    # The modules, routes and schemas built so far live as long as the process: frozen, the collector's
    # full passes no longer walk them, which otherwise stall every request in flight for milliseconds.
    gc.collect()
    gc.freeze()
    uvicorn.run(
        app,
        host=settings.api_host,
        port=settings.api_port,
        # Both come with uvicorn[standard]; named so that a missing one fails loudly instead of running slower.
        loop="uvloop",
        http="httptools",
        log_config=None,
        access_log=False,
        proxy_headers=True,
        forwarded_allow_ips=settings.trusted_proxies,
    )


def serve_worker(settings_cls: type[SettingsT], build_worker: Callable[[SettingsT], Worker]) -> None:
    """Start the service's worker: relay, consumers and scheduled jobs."""
    settings = load_settings_or_exit(settings_cls)
    configure_logging(settings.service_name, settings.log_level)
    port = settings.worker_metrics_port
    if port:
        _exit_if_port_taken(settings, port, f"{settings.env_prefix}WORKER_METRICS_PORT")
    run_worker_process(build_worker(settings), settings.api_host, port)


def run_migrations(settings_cls: type[SettingsT], package: str) -> None:
    """Apply the service's migrations and exit."""
    settings = load_settings_or_exit(settings_cls)
    configure_logging(settings.service_name, settings.log_level)
    upgrade(package, settings.database_url)
    logging.getLogger(__name__).info("migrations applied", extra={"package": package})
