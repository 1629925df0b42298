"""The whole system in one process: the four services' APIs and workers on the test stack."""

from __future__ import annotations

import contextlib
import random
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from enforcement_service.config import EnforcementSettings
from enforcement_service.main import create_app as enforcement_app
from enforcement_service.worker import build_worker as enforcement_worker
from hazard_service.config import HazardSettings
from hazard_service.main import create_app as hazard_app
from hazard_service.worker import build_worker as hazard_worker
from reporting_service.config import ReportingSettings
from reporting_service.main import create_app as reporting_app
from reporting_service.worker import build_worker as reporting_worker
from shared.db.engine import create_engine, create_sessionmaker
from shared.testing.helpers import api_client, make_settings, migrate, running_worker
from shared.testing.plugin import Stack
from supervisor_service.config import SupervisorSettings
from supervisor_service.main import create_app as supervisor_app
from supervisor_service.reference.service import import_bundled_reference_data
from supervisor_service.worker import build_worker as supervisor_worker

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_code() -> str:
    """A fresh unified social credit code with a correct check character."""
    base = f"91431281{random.randrange(10**9):09d}"
    total = sum(CHARSET.index(c) * w for c, w in zip(base, WEIGHTS, strict=True))
    return base + CHARSET[(31 - total % 31) % 31]


@pytest.fixture
async def system(stack: Stack) -> AsyncIterator[dict[str, httpx.AsyncClient]]:
    """All four services' APIs and workers, in this process, on the test stack."""
    services: list[tuple[str, Any, Any, Any, str]] = [
        ("supervisor", SupervisorSettings, supervisor_app, supervisor_worker, "supervisor_service"),
        ("hazard", HazardSettings, hazard_app, hazard_worker, "hazard_service"),
        ("enforcement", EnforcementSettings, enforcement_app, enforcement_worker, "enforcement_service"),
        ("reporting", ReportingSettings, reporting_app, reporting_worker, "reporting_service"),
    ]
    async with contextlib.AsyncExitStack() as exits:
        clients = {}
        for name, settings_cls, app, worker, package in services:
            await migrate(package, stack.database_url)
            settings = make_settings(settings_cls, stack)
            if name == "supervisor":
                await _load_reference_data(settings)
            await exits.enter_async_context(running_worker(worker(settings)))
            clients[name] = await exits.enter_async_context(api_client(app(settings)))
        yield clients


async def _load_reference_data(settings: SupervisorSettings) -> None:
    """Jurisdictions, departments and industries, as `make run` loads them (re-importing changes nothing)."""
    engine = create_engine(settings, pool_size=1)
    try:
        async with create_sessionmaker(engine)() as session, session.begin():
            await import_bundled_reference_data(session)
    finally:
        await engine.dispose()
