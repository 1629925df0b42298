"""Fixtures of the supervisor integration tests: migrated schema with reference data, API client,
worker, tokens per role and factories of enterprises and supervisors."""

from __future__ import annotations

import itertools
import random
import uuid
from collections.abc import AsyncIterator, Callable
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import httpx
import pytest

from shared.auth.principal import Role
from shared.db import create_engine, create_sessionmaker
from shared.testing.helpers import make_settings, migrate, running_worker, token
from shared.testing.plugin import Stack
from shared.testing.suite import client_fixture
from supervisor_service.config import SupervisorSettings
from supervisor_service.enterprises.domain import CREDIT_CODE_CHARSET, CREDIT_CODE_WEIGHTS
from supervisor_service.main import create_app
from supervisor_service.reference.service import import_bundled_reference_data
from supervisor_service.worker import build_worker

CITY = "431281000000"
QIANCHENG = "431281101000"  # 黔城镇
ANJIANG = "431281102000"  # 安江镇
TUOKOU = "431281103000"  # 托口镇
QIANCHENG_VILLAGE = "431281101203"
MAX_PER_SUPERVISOR = 4

_rng = random.Random(20231)
_seen: set[str] = set()


def credit_code() -> str:
    """A fresh unified social credit code with a valid check character."""
    while True:
        body = "91431281" + "".join(_rng.choice(CREDIT_CODE_CHARSET[:10] + "ABCDEFGH") for _ in range(9))
        total = sum(CREDIT_CODE_CHARSET.index(c) * w for c, w in zip(body, CREDIT_CODE_WEIGHTS, strict=True))
        code = body + CREDIT_CODE_CHARSET[(31 - total % 31) % 31]
        if code not in _seen:
            _seen.add(code)
            return code


_names = itertools.count(1)


def enterprise_body(**overrides: Any) -> dict[str, Any]:
    """A valid registration body (a wood-processing company in 黔城镇 by default)."""
    body: dict[str, Any] = {
        "name": f"洪江市测试木业有限公司{next(_names):05d}",
        "credit_code": credit_code(),
        "industry_code": "20",
        "township_code": QIANCHENG,
        "village_code": QIANCHENG_VILLAGE,
        "address": "湖南省怀化市洪江市黔城镇株山村1组",
        "employee_count": 12,
        "high_risk": False,
        "risk_level": "general",
        "supervising_department": "yjj",
    }
    body.update(overrides)
    return body


@pytest.fixture(scope="session")
async def settings(stack: Stack) -> SupervisorSettings:
    """Supervisor settings on the test stack (small supervisor capacity to exercise the rule)."""
    await migrate("supervisor_service", stack.database_url)
    settings = make_settings(SupervisorSettings, stack, max_enterprises_per_supervisor=MAX_PER_SUPERVISOR)
    engine = create_engine(settings, pool_size=1)
    async with create_sessionmaker(engine)() as session, session.begin():
        await import_bundled_reference_data(session)
    await engine.dispose()
    return settings


client = client_fixture(create_app)


@pytest.fixture(scope="session")
async def worker(settings: SupervisorSettings) -> AsyncIterator[None]:
    """The supervisor worker (outbox relay) running for the session."""
    async with running_worker(build_worker(settings)):
        yield


@pytest.fixture(scope="session")
def auth(stack: Stack) -> Callable[..., dict[str, str]]:
    """Authorization headers for a role: auth("township_officer", jurisdictions=[...])."""

    def make(role: str, **claims: Any) -> dict[str, str]:
        return token(stack, [role], **claims)

    return make


@pytest.fixture(scope="session")
def admin(auth: Callable[..., dict[str, str]]) -> dict[str, str]:
    """The city administrator."""
    return auth(Role.CITY_ADMIN, jurisdictions=[CITY], department="aqb")


@pytest.fixture
def register(client: httpx.AsyncClient, admin: dict[str, str]) -> Callable[..., Any]:
    """Register an enterprise as the city administrator and return its JSON."""

    async def make(**overrides: Any) -> dict[str, Any]:
        response = await client.post("/api/v1/enterprises", json=enterprise_body(**overrides), headers=admin)
        assert response.status_code == 201, response.text
        return dict(response.json())

    return make


@pytest.fixture
def new_supervisor(client: httpx.AsyncClient, admin: dict[str, str]) -> Callable[..., Any]:
    """Register a supervisor (of the bureau by default) and return its JSON."""

    async def make(**overrides: Any) -> dict[str, Any]:
        body = {
            "name": f"测试监督员{uuid.uuid4().hex[:4]}",
            "org_kind": "department",
            "org_code": "yjj",
            "position": "安全生产监督员",
            "phone": "0745-0000000",
        }
        body.update(overrides)
        response = await client.post("/api/v1/supervisors", json=body, headers=admin)
        assert response.status_code == 201, response.text
        return dict(response.json())

    return make


@pytest.fixture
def assign(client: httpx.AsyncClient, admin: dict[str, str]) -> Callable[..., Any]:
    """Assign a supervisor to enterprises as the city administrator."""

    async def make(supervisor_id: str, *enterprise_ids: str, **extra: Any) -> list[dict[str, Any]]:
        body = {"supervisor_id": supervisor_id, "enterprise_ids": list(enterprise_ids), **extra}
        response = await client.post("/api/v1/assignments", json=body, headers=admin)
        assert response.status_code == 201, response.text
        return list(response.json())

    return make


@pytest.fixture
async def fresh_database_url(stack: Stack) -> str:
    """A new, migrated database on the test server (for tests that need an exactly known data set)."""
    parts = urlsplit(stack.database_url)
    name = f"supervisor_{uuid.uuid4().hex[:10]}"
    admin_url = urlunsplit(("postgresql", parts.netloc, parts.path, parts.query, ""))
    connection = await asyncpg.connect(admin_url)
    try:
        await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()
    url = urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, ""))
    await migrate("supervisor_service", url)
    return url
