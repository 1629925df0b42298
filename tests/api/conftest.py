"""All four services' APIs served in this process on the test stack, with a little data in two townships.

Each app runs under uvicorn on a free port (its lifespan running on the session's event loop), so tests reach it
over HTTP both from async tests (`Service.client`) and from a worker thread (schemathesis, which is synchronous).
Items are registered through the services' own APIs; the hazard and enforcement services learn of enterprises
through their read models, seeded as the supervisor's events would.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncEngine

from enforcement_service.config import EnforcementSettings
from enforcement_service.db import DATABASE as ENFORCEMENT_DATABASE
from enforcement_service.enterprises.models import EnterpriseView as EnforcementEnterprise
from enforcement_service.main import create_app as enforcement_app
from hazard_service.config import HazardSettings
from hazard_service.db import DATABASE as HAZARD_DATABASE
from hazard_service.enterprises.models import EnterpriseView as HazardEnterprise
from hazard_service.main import create_app as hazard_app
from reporting_service.config import ReportingSettings
from reporting_service.main import create_app as reporting_app
from shared.auth.principal import system_principal
from shared.db.engine import create_engine, create_sessionmaker
from shared.db.tables import ServiceDatabase
from shared.db.uow import UnitOfWork
from shared.embedded import free_port
from shared.readmodels.enterprises import EnterpriseViewColumns
from shared.settings import ServiceSettings
from shared.testing.helpers import make_settings, migrate, seed_enterprise_view, token
from shared.testing.plugin import Stack
from supervisor_service.config import SupervisorSettings
from supervisor_service.main import create_app as supervisor_app
from supervisor_service.reference.service import import_bundled_reference_data

CITY = "431281000000"
INSIDE = "431281101000"  # 黔城镇: the township officer's jurisdiction
OUTSIDE = "431281102000"  # 安江镇
CREDIT_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)

Headers = dict[str, str]
SERVICES: dict[str, tuple[type[ServiceSettings], Callable[[Any], FastAPI]]] = {
    "supervisor": (SupervisorSettings, supervisor_app),
    "hazard": (HazardSettings, hazard_app),
    "enforcement": (EnforcementSettings, enforcement_app),
    "reporting": (ReportingSettings, reporting_app),
}
# The path parameters whose seeded items lie in a township (one inside `INSIDE`, one outside), per service.
JURISDICTIONAL = {
    "supervisor": {"enterprise_id", "supervisor_id", "assignment_id", "township_code"},
    "hazard": {"hazard_id", "point_id"},
    "enforcement": {"inspection_id", "case_id", "delegation_id", "unit_code"},
    "reporting": set(),
}


def openapi_documents() -> dict[str, dict[str, Any]]:
    """Each service's OpenAPI document, from an app built on placeholder settings (nothing is connected)."""
    placeholders: dict[str, Any] = {
        "database_url": "postgresql+asyncpg://nobody@127.0.0.1:1/none",
        "kafka_bootstrap_servers": "127.0.0.1:1",
        "auth_hs256_key_file": Path("unused.key"),
    }
    return {name: create_app(settings(**placeholders)).openapi() for name, (settings, create_app) in SERVICES.items()}


@dataclass
class Service:
    """A running service: its app, an HTTP client of it, and the ids of its items in and out of `INSIDE`.

    `inside`/`outside` map a path parameter to a value naming an item in the inside/outside township;
    `global_params` name items that belong to no township (a standard, a campaign, a dataset kind).
    """

    name: str
    app: FastAPI
    base_url: str
    client: httpx.AsyncClient
    enterprise_id: str = ""
    inside: dict[str, str] = field(default_factory=dict)
    outside: dict[str, str] = field(default_factory=dict)
    global_params: dict[str, str] = field(default_factory=dict)


def credit_code() -> str:
    """A fresh unified social credit code with a valid check character."""
    body = "91431281" + uuid.uuid4().int.__str__()[:9]
    total = sum(CREDIT_CHARSET.index(c) * w for c, w in zip(body, CREDIT_WEIGHTS, strict=True))
    return body + CREDIT_CHARSET[(31 - total % 31) % 31]


def admin(stack: Stack) -> Headers:
    """The city administrator (安委办), acting for the emergency bureau."""
    return token(stack, ["city_admin"], jurisdictions=[CITY], department="yjj", name="管理员")


async def created(client: httpx.AsyncClient, headers: Headers, path: str, body: Any) -> Any:
    """POST and return the JSON body, asserting success."""
    response = await client.post(path, json=body, headers=headers)
    assert response.status_code in (200, 201), f"{path}: {response.status_code} {response.text}"
    return response.json()


@contextlib.asynccontextmanager
async def serve(name: str, app: FastAPI) -> AsyncIterator[Service]:
    """Serve an app with uvicorn on a free port until the block ends."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on"))
    task = asyncio.create_task(server.serve())
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 60
    while not server.started:  # uvicorn exposes no start event
        assert not task.done(), f"{name} did not start"
        assert loop.time() < deadline, f"{name} did not start within 60s"
        await asyncio.sleep(0.05)
    base_url = f"http://127.0.0.1:{port}"
    try:
        async with httpx.AsyncClient(base_url=base_url, timeout=60) as client:
            yield Service(name=name, app=app, base_url=base_url, client=client)
    finally:
        server.should_exit = True
        await task


async def enterprise_views(
    engine: AsyncEngine, database: ServiceDatabase, model: type[EnterpriseViewColumns], industry: str
) -> tuple[str, str]:
    """Enterprises inside and outside the township in a service's read model, as the supervisor's events would."""
    uow = UnitOfWork(create_sessionmaker(engine), database, source="test", actor=system_principal("test"))
    ids = [await seed_enterprise_view(uow, model, township=t, industry=industry) for t in (INSIDE, OUTSIDE)]
    return str(ids[0]), str(ids[1])


async def seed_supervisor(service: Service, headers: Headers) -> None:
    """Enterprises, a township supervisor assigned to each, and a visit inside."""
    client = service.client
    enterprises, supervisors, assignments = [], [], []
    for township in (INSIDE, OUTSIDE):
        enterprise = await created(
            client,
            headers,
            "/api/v1/enterprises",
            {
                "name": f"洪江市接口测试{uuid.uuid4().hex[:6]}有限公司",
                "credit_code": credit_code(),
                "industry_code": "20",
                "township_code": township,
                "employee_count": 12,
            },
        )
        supervisor = await created(
            client,
            headers,
            "/api/v1/supervisors",
            {"name": f"监督员{uuid.uuid4().hex[:4]}", "org_kind": "township", "org_code": township},
        )
        assigned = await created(
            client,
            headers,
            "/api/v1/assignments",
            {"supervisor_id": supervisor["id"], "enterprise_ids": [enterprise["id"]]},
        )
        enterprises.append(enterprise["id"])
        supervisors.append(supervisor["id"])
        assignments.append(assigned[0]["id"])
    service.enterprise_id = enterprises[0]
    service.inside = {"enterprise_id": enterprises[0], "supervisor_id": supervisors[0], "township_code": INSIDE}
    service.outside = {"enterprise_id": enterprises[1], "supervisor_id": supervisors[1], "township_code": OUTSIDE}
    service.inside["assignment_id"], service.outside["assignment_id"] = assignments
    service.global_params = {"kind": "industries", "import_kind": "enterprises"}


async def seed_hazard(service: Service, headers: Headers, engine: AsyncEngine) -> None:
    """A hazard and a risk point in each township, and the bundled judgment standards."""
    client = service.client
    enterprises = await enterprise_views(engine, HAZARD_DATABASE, HazardEnterprise, "3311")
    hazards, points = [], []
    for enterprise_id in enterprises:
        hazard = await created(
            client,
            headers,
            "/api/v1/hazards",
            {
                "enterprise_id": enterprise_id,
                "grade": "general",
                "source": "department_inspection",
                "description": "配电箱未接地",
                "reported_on": "2026-03-01",
            },
        )
        point = await created(
            client,
            headers,
            "/api/v1/risk-points",
            {
                "enterprise_id": enterprise_id,
                "name": "配电房",
                "level": "general",
                "control_measures": [{"kind": "management", "measure": "每班巡检"}],
                "responsible_person": "周八",
            },
        )
        hazards.append(hazard["id"])
        points.append(point["id"])
    await created(client, headers, "/api/v1/hazard-standards/import-bundled", None)
    standards = (await client.get("/api/v1/hazard-standards", headers=headers)).json()["items"]
    service.enterprise_id = enterprises[0]
    service.inside = {"hazard_id": hazards[0], "point_id": points[0]}
    service.outside = {"hazard_id": hazards[1], "point_id": points[1]}
    service.global_params = {"standard_code": standards[0]["code"]}


async def seed_enforcement(service: Service, headers: Headers, engine: AsyncEngine) -> None:
    """An inspection, a case and a delegation in each township."""
    client = service.client
    enterprises = await enterprise_views(engine, ENFORCEMENT_DATABASE, EnforcementEnterprise, "2672")
    ids: dict[str, list[str]] = {"inspection_id": [], "case_id": [], "delegation_id": [], "unit_code": []}
    for township, enterprise_id in zip((INSIDE, OUTSIDE), enterprises, strict=True):
        inspection = await created(
            client,
            headers,
            "/api/v1/inspections",
            {
                "kind": "routine",
                "unit_code": "yjj",
                "inspected_on": "2026-03-02",
                "team_members": ["执法员甲", "执法员乙"],
                "enterprise_ids": [enterprise_id],
            },
        )
        case = await created(
            client,
            headers,
            "/api/v1/cases",
            {
                "party_type": "unit",
                "party_name": "某烟花爆竹经营部",
                "unit_code": "yjj",
                "enterprise_id": enterprise_id,
                "cause": "未按规定储存烟花爆竹",
                "source": "inspection",
                "filed_on": "2026-03-02",
            },
        )
        delegation = await created(
            client,
            headers,
            "/api/v1/delegations",
            {
                "township_code": township,
                "scope": ["general_procedure", "fine"],
                "starts_on": "2026-01-01",
                "ends_on": "2026-12-31",
                "document_number": f"洪应急委〔2026〕{uuid.uuid4().hex[:6]}号",
                "document_title": "行政执法委托书",
                "published_on": "2025-12-20",
            },
        )
        for name, value in (
            ("inspection_id", inspection["id"]),
            ("case_id", case["id"]),
            ("delegation_id", delegation["id"]),
            ("unit_code", township),
        ):
            ids[name].append(value)
    service.enterprise_id = enterprises[0]
    service.inside = {name: values[0] for name, values in ids.items()}
    service.outside = {name: values[1] for name, values in ids.items()}
    service.global_params = {"year": "2026", "unit_type": "township"}


def first_campaign() -> str:
    """The code of a campaign the reporting service knows."""
    campaigns = json.loads(resources.files("shared.reference_data").joinpath("campaigns.json").read_text())
    return str(campaigns["items"][0]["code"])


async def load_reference_data(settings: SupervisorSettings) -> None:
    """Jurisdictions, departments and industries (re-importing changes nothing)."""
    engine = create_engine(settings, pool_size=1)
    try:
        async with create_sessionmaker(engine)() as session, session.begin():
            await import_bundled_reference_data(session)
    finally:
        await engine.dispose()


@pytest.fixture(scope="session")
async def services(stack: Stack, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[dict[str, Service]]:
    """The four services, running and seeded, by name."""
    for package in ("supervisor_service", "hazard_service", "enforcement_service", "reporting_service"):
        await migrate(package, stack.database_url)
    supervisor = make_settings(SupervisorSettings, stack)
    await load_reference_data(supervisor)
    hazard = make_settings(HazardSettings, stack, photo_dir=tmp_path_factory.mktemp("api-photos"))
    enforcement = make_settings(EnforcementSettings, stack)
    reporting = make_settings(ReportingSettings, stack)
    engine = create_engine(hazard, pool_size=2)
    headers = admin(stack)
    seeders: dict[str, Callable[[Service], Awaitable[None]]] = {
        "supervisor": lambda s: seed_supervisor(s, headers),
        "hazard": lambda s: seed_hazard(s, headers, engine),
        "enforcement": lambda s: seed_enforcement(s, headers, engine),
    }
    settings: dict[str, ServiceSettings] = {
        "supervisor": supervisor,
        "hazard": hazard,
        "enforcement": enforcement,
        "reporting": reporting,
    }
    try:
        async with contextlib.AsyncExitStack() as running:
            started = {
                name: await running.enter_async_context(serve(name, create_app(settings[name])))
                for name, (_, create_app) in SERVICES.items()
            }
            for name, seed in seeders.items():
                await seed(started[name])
                assert set(started[name].inside) == set(started[name].outside) == JURISDICTIONAL[name]
            started["reporting"].global_params = {"campaign_code": first_campaign()}
            yield started
    finally:
        await engine.dispose()
