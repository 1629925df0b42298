"""What every service's integration suite builds the same way: its API client and an engine (session fixtures
made from the suite's own `settings` fixture), a unit of work acting as the service, and an enterprise put into
the service's read model as the supervisor's events would."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncEngine

from shared.auth.principal import system_principal
from shared.db.engine import create_engine, create_sessionmaker
from shared.db.tables import ServiceDatabase
from shared.db.uow import UnitOfWork
from shared.readmodels.enterprises import EnterpriseViewColumns
from shared.settings import ServiceSettings
from shared.testing.helpers import api_client, seed_enterprise_view


def client_fixture(create_app: Callable[[Any], FastAPI]) -> Any:
    """A session fixture `client`: an in-process client of the app built from the suite's `settings` fixture."""

    @pytest.fixture(scope="session", name="client")
    async def client(settings: ServiceSettings) -> AsyncIterator[httpx.AsyncClient]:
        """An in-process client of the service's API, its lifespan running."""
        async with api_client(create_app(settings)) as c:
            yield c

    return client


@pytest.fixture(scope="session", name="engine")
async def _engine(settings: ServiceSettings) -> AsyncIterator[AsyncEngine]:
    """An engine on the test database for seeding and assertions."""
    engine = create_engine(settings)
    yield engine
    await engine.dispose()


@dataclass(frozen=True)
class ServiceSuite:
    """A service's integration suite: its app, its schema and its enterprise read model with the defaults of the
    enterprises its tests seed."""

    create_app: Callable[[Any], FastAPI]
    database: ServiceDatabase
    enterprise_view: type[EnterpriseViewColumns]
    township: str
    industry: str
    employee_count: int

    def fixtures(self) -> tuple[Any, Any, Any]:
        """The suite's fixtures `client`, `engine` and `enterprise_id` (a fresh enterprise per test), to be
        assigned to those names in its conftest."""

        @pytest.fixture(name="enterprise_id")
        async def enterprise_id(engine: AsyncEngine, settings: ServiceSettings) -> uuid.UUID:
            """A fresh enterprise in the test township."""
            return await self.seed_enterprise(engine, settings)

        return client_fixture(self.create_app), _engine, enterprise_id

    def system_uow(self, engine: AsyncEngine, settings: ServiceSettings) -> UnitOfWork:
        """A unit of work acting as the service itself."""
        return UnitOfWork(
            create_sessionmaker(engine), self.database, source=settings.service_name, actor=system_principal("test")
        )

    async def seed_enterprise(
        self,
        engine: AsyncEngine,
        settings: ServiceSettings,
        *,
        township: str | None = None,
        industry: str | None = None,
    ) -> uuid.UUID:
        """Put an enterprise in the read model as the supervisor events would."""
        return await seed_enterprise_view(
            self.system_uow(engine, settings),
            self.enterprise_view,
            township=township or self.township,
            industry=industry or self.industry,
            employee_count=self.employee_count,
        )

    async def give_credit_code(self, engine: AsyncEngine, enterprise_id: uuid.UUID) -> str:
        """Give a seeded enterprise a credit code of its own (the seed gives every one the same); returns it."""
        code = f"91431281{uuid.uuid4().int % 10**10:010d}"
        view = self.enterprise_view
        async with engine.begin() as connection:
            await connection.execute(update(view).where(view.enterprise_id == enterprise_id).values(credit_code=code))
        return code
