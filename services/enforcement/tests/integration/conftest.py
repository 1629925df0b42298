"""Fixtures of the enforcement integration tests: migrated schema, API client, seed data, helpers."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Awaitable, Callable, Iterator
from datetime import date, datetime, time
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from enforcement_service.config import EnforcementSettings
from enforcement_service.db import DATABASE
from enforcement_service.enterprises.models import EnterpriseView
from enforcement_service.main import create_app
from shared import clock
from shared.contracts.hazard import HazardOverdueV1
from shared.testing.broker import publish_event
from shared.testing.helpers import make_settings, migrate, token
from shared.testing.plugin import Stack
from shared.testing.suite import ServiceSuite

CITY = "431281000000"
TOWNSHIP = "431281101000"
OTHER_TOWNSHIP = "431281102000"


@pytest.fixture(scope="session")
async def settings(stack: Stack) -> EnforcementSettings:
    """Enforcement settings on the test stack with a fast clock job."""
    await migrate("enforcement_service", stack.database_url)
    return make_settings(EnforcementSettings, stack, clock_job_interval_s=0.2)


SUITE = ServiceSuite(create_app, DATABASE, EnterpriseView, township=TOWNSHIP, industry="2672", employee_count=20)
client, engine, enterprise_id = SUITE.fixtures()
system_uow = SUITE.system_uow
seed_enterprise = SUITE.seed_enterprise
publish = publish_event
LegalDay = Callable[[str], None]
EnterpriseIn = Callable[[str], Awaitable[uuid.UUID]]


@pytest.fixture
def legal_today() -> Iterator[LegalDay]:
    """Sets the bureau's local day on which the API records a township's act (checked against its delegation):
    the shared clock stands at noon of that day until the test ends."""
    with contextlib.ExitStack() as frozen:

        def set_day(day: str) -> None:
            noon = datetime.combine(date.fromisoformat(day), time(12), tzinfo=clock.timezone())
            frozen.enter_context(clock.frozen_at(noon))

        yield set_day


@pytest.fixture
def enterprise_in(engine: AsyncEngine, settings: EnforcementSettings) -> EnterpriseIn:
    """Seeds an operating enterprise in the given township and answers its id."""

    async def seed(township: str) -> uuid.UUID:
        return await seed_enterprise(engine, settings, township=township)

    return seed


def hazard_overdue(
    hazard_id: str, enterprise_id: uuid.UUID, grade: str, deadline: str = "2026-03-01"
) -> HazardOverdueV1:
    """The hazard service's event that a hazard of `enterprise_id` in the test township missed its rectification
    deadline (a major one opens a case lead)."""
    return HazardOverdueV1(
        hazard_id=hazard_id,
        enterprise_id=str(enterprise_id),
        township_code=TOWNSHIP,
        grade=grade,
        source="department_inspection",
        status="rectifying",
        deadline_kind="rectification",
        deadline=deadline,
        detected_on="2026-03-02",
    )


def simplified_decision(enterprise: uuid.UUID, **overrides: Any) -> dict[str, Any]:
    """The body of a decision on the spot (简易程序) against a unit, by two officers on 1 March 2026."""
    return {
        "party_type": "unit",
        "party_name": "某厂",
        "enterprise_id": str(enterprise),
        "cause": "未佩戴劳保用品",
        "decided_on": "2026-03-01",
        "officers": ["李四", "王五"],
        **overrides,
    }


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
