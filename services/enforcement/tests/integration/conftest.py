"""Fixtures of the enforcement integration tests: migrated schema, API client, seed data, helpers."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import date, datetime, time
from typing import Any

import httpx
import pytest
from aiokafka import AIOKafkaProducer
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from enforcement_service.config import EnforcementSettings
from enforcement_service.db import DATABASE
from enforcement_service.enterprises.models import EnterpriseView
from enforcement_service.main import create_app
from shared import clock
from shared.auth.principal import system_principal
from shared.contracts.envelope import EventPayload, new_envelope
from shared.db import UnitOfWork
from shared.db.engine import create_engine, create_sessionmaker
from shared.testing.helpers import api_client, make_settings, migrate, seed_enterprise_view, token
from shared.testing.plugin import Stack

CITY = "431281000000"
TOWNSHIP = "431281101000"
OTHER_TOWNSHIP = "431281102000"


@pytest.fixture(scope="session")
async def settings(stack: Stack) -> EnforcementSettings:
    """Enforcement settings on the test stack with a fast clock job."""
    await migrate("enforcement_service", stack.database_url)
    return make_settings(EnforcementSettings, stack, clock_job_interval_s=0.2)


@pytest.fixture(scope="session")
async def client(settings: EnforcementSettings) -> AsyncIterator[httpx.AsyncClient]:
    """An in-process client of the enforcement API."""
    async with api_client(create_app(settings)) as c:
        yield c


@pytest.fixture(scope="session")
async def engine(settings: EnforcementSettings) -> AsyncIterator[AsyncEngine]:
    """An engine on the test database for seeding and assertions."""
    engine = create_engine(settings)
    yield engine
    await engine.dispose()


def system_uow(engine: AsyncEngine, settings: EnforcementSettings) -> UnitOfWork:
    """A unit of work acting as the service itself."""
    return UnitOfWork(
        create_sessionmaker(engine), DATABASE, source=settings.service_name, actor=system_principal("test")
    )


async def seed_enterprise(
    engine: AsyncEngine, settings: EnforcementSettings, *, township: str = TOWNSHIP, industry: str = "2672"
) -> uuid.UUID:
    """Put an enterprise in the read model as the supervisor events would."""
    return await seed_enterprise_view(
        system_uow(engine, settings), EnterpriseView, township=township, industry=industry, employee_count=20
    )


@pytest.fixture
async def enterprise_id(engine: AsyncEngine, settings: EnforcementSettings) -> uuid.UUID:
    """A fresh enterprise in the test township."""
    return await seed_enterprise(engine, settings)


@pytest.fixture
def legal_today() -> Iterator[Callable[[str], None]]:
    """Sets the bureau's local day on which the API records a township's act (checked against its delegation):
    the shared clock stands at noon of that day until the test ends."""
    with contextlib.ExitStack() as frozen:

        def set_day(day: str) -> None:
            noon = datetime.combine(date.fromisoformat(day), time(12), tzinfo=clock.timezone())
            frozen.enter_context(clock.frozen_at(noon))

        yield set_day


def admin(stack: Stack) -> dict[str, str]:
    """A city administrator (安委办)."""
    return token(stack, ["city_admin"], jurisdictions=[CITY], name="管理员")


def officer(stack: Stack, department: str = "yjj") -> dict[str, str]:
    """A bureau officer covering the whole city."""
    return token(stack, ["department_officer"], jurisdictions=[CITY], department=department, name="执法员甲")


def township_officer(stack: Stack, township: str = TOWNSHIP) -> dict[str, str]:
    """A township officer."""
    return token(stack, ["township_officer"], jurisdictions=[township], name="乡镇执法员")


def leader(stack: Stack) -> dict[str, str]:
    """A leader (read-only)."""
    return token(stack, ["leader"], name="领导")


async def post(client: httpx.AsyncClient, headers: dict[str, str], path: str, body: dict[str, Any]) -> dict[str, Any]:
    """POST and return the body, asserting success."""
    response = await client.post(path, json=body, headers=headers)
    assert response.status_code in (200, 201), response.text
    return dict(response.json())


async def outbox_count(engine: AsyncEngine, aggregate_id: str | None = None) -> int:
    """Outbox rows (of one aggregate)."""
    stmt = select(func.count()).select_from(DATABASE.outbox)
    if aggregate_id:
        stmt = stmt.where(DATABASE.outbox.c.aggregate_id == aggregate_id)
    async with engine.connect() as conn:
        return int(await conn.scalar(stmt) or 0)


async def outbox_events(engine: AsyncEngine, aggregate_id: str) -> list[dict[str, Any]]:
    """The envelopes written for an aggregate, in order."""
    async with engine.connect() as conn:
        rows = await conn.execute(
            select(DATABASE.outbox.c.payload)
            .where(DATABASE.outbox.c.aggregate_id == aggregate_id)
            .order_by(DATABASE.outbox.c.id)
        )
        return [dict(r[0]) for r in rows]


async def scalar(engine: AsyncEngine, sql: str, **params: Any) -> Any:
    """One value of a query."""
    async with engine.connect() as conn:
        return await conn.scalar(text(sql), params)


async def publish(stack: Stack, payload: EventPayload, aggregate_id: str, aggregate_version: int = 1) -> None:
    """Publish an event of another service the way its relay would."""
    envelope = new_envelope(
        payload,
        source="test",
        aggregate_id=aggregate_id,
        aggregate_version=aggregate_version,
        actor="test",
        jurisdiction=None,
    )
    producer = AIOKafkaProducer(bootstrap_servers=stack.bootstrap_servers)
    await producer.start()
    try:
        await producer.send_and_wait(
            payload.topic,
            value=envelope.model_dump_json().encode(),
            key=aggregate_id.encode(),
            headers=envelope.headers(),
        )
    finally:
        with contextlib.suppress(Exception):
            await producer.stop()
