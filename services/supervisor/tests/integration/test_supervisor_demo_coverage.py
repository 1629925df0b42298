"""The demo data set in a fresh database: seed idempotency, reference data versions, coverage figures."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import func, select

from shared.db import create_engine, create_sessionmaker
from shared.testing.helpers import api_client, make_settings
from shared.testing.plugin import Stack
from supervisor_service.config import SupervisorSettings
from supervisor_service.db import DATABASE
from supervisor_service.enterprises.models import Enterprise
from supervisor_service.main import create_app
from supervisor_service.reference.service import bundled_document
from supervisor_service.seed import demo_dataset, seed

from .conftest import QIANCHENG


@pytest.fixture
async def demo(stack: Stack, fresh_database_url: str) -> AsyncIterator[tuple[SupervisorSettings, Any]]:
    """A fresh database seeded with the demo data, and its sessionmaker."""
    settings = make_settings(SupervisorSettings, stack, database_url=fresh_database_url)
    engine = create_engine(settings, pool_size=2)
    sessionmaker = create_sessionmaker(engine)
    outcome = await seed(sessionmaker, DATABASE, service="supervisor-service", if_empty=True)
    assert (outcome.enterprises, outcome.supervisors, outcome.assignments) == (300, 40, 202)
    try:
        yield settings, sessionmaker
    finally:
        await engine.dispose()


async def _outbox_count(sessionmaker: Any) -> int:
    async with sessionmaker() as session:
        return int(await session.scalar(select(func.count()).select_from(DATABASE.outbox)) or 0)


async def test_seed_is_idempotent_and_publishes_events(demo: tuple[SupervisorSettings, Any]) -> None:
    _, sessionmaker = demo
    events = await _outbox_count(sessionmaker)
    # 300 enterprises + 40 supervisors + 202 assignment starts + 6 ends
    assert events == 300 + 40 + 202 + 6
    skipped = await seed(sessionmaker, DATABASE, service="supervisor-service", if_empty=True)
    assert skipped.skipped_demo is True
    assert all("unchanged" in v for v in skipped.reference.values())
    topped_up = await seed(sessionmaker, DATABASE, service="supervisor-service", if_empty=False)
    assert (topped_up.enterprises, topped_up.supervisors, topped_up.assignments) == (0, 0, 0)
    assert await _outbox_count(sessionmaker) == events


async def test_without_demo_only_the_reference_data_is_loaded(stack: Stack, fresh_database_url: str) -> None:
    """`safety up` without --demo: a real bureau's registry starts empty, with the bundled reference data."""
    settings = make_settings(SupervisorSettings, stack, database_url=fresh_database_url)
    engine = create_engine(settings, pool_size=2)
    try:
        sessionmaker = create_sessionmaker(engine)
        outcome = await seed(sessionmaker, DATABASE, service="supervisor-service", if_empty=True, demo=False)
        assert (outcome.enterprises, outcome.supervisors, outcome.assignments) == (0, 0, 0)
        assert outcome.reference
        async with sessionmaker() as session:
            assert await session.scalar(select(func.count()).select_from(Enterprise)) == 0
        assert await _outbox_count(sessionmaker) == 0
    finally:
        await engine.dispose()


async def test_coverage_of_the_demo_data_set(demo: tuple[SupervisorSettings, Any], stack: Stack) -> None:
    settings, _ = demo
    summary = demo_dataset()["summary"]
    from shared.testing.helpers import token

    admin = token(stack, ["city_admin"])
    async with api_client(create_app(settings)) as client:
        report = (await client.get("/api/v1/coverage", headers=admin)).json()
        assert report["min_employees"] == 3
        assert report["overall"]["eligible"] == summary["operating_with_3plus_employees"] == 230
        assert report["overall"]["covered"] == summary["coverage_3plus_numerator"] == 196
        assert report["overall"]["uncovered"] == 34
        assert report["overall"]["rate"] == "0.8522"
        assert sum(t["eligible"] for t in report["by_township"]) == 230
        assert sum(t["covered"] for t in report["by_township"]) == 196
        assert sum(d["covered"] for d in report["by_department"]) == 196
        qiancheng = next(t for t in report["by_township"] if t["code"] == QIANCHENG)
        assert qiancheng["name"] == "黔城镇"
        items = demo_dataset()["items"]
        active = {a["enterprise_credit_code"] for a in demo_dataset()["assignments"] if a["end_date"] is None}
        eligible_q = [
            e
            for e in items
            if e["township_code"] == QIANCHENG and e["status"] == "operating" and e["employee_count"] >= 3
        ]
        assert qiancheng["eligible"] == len(eligible_q)
        assert qiancheng["covered"] == sum(1 for e in eligible_q if e["credit_code"] in active)

        uncovered = await client.get("/api/v1/coverage/uncovered", params={"include_total": "true"}, headers=admin)
        assert uncovered.json()["total"] == 34
        assert all(i["supervisor_id"] is None and i["employee_count"] >= 3 for i in uncovered.json()["items"])

        officer = token(stack, ["township_officer"], jurisdictions=[QIANCHENG])
        scoped = (await client.get("/api/v1/coverage", headers=officer)).json()
        assert [t["code"] for t in scoped["by_township"]] == [QIANCHENG]
        assert scoped["overall"]["covered"] == qiancheng["covered"]


async def test_reference_data_versions(demo: tuple[SupervisorSettings, Any], stack: Stack) -> None:
    settings, _ = demo
    from shared.testing.helpers import token

    admin = token(stack, ["city_admin"])
    async with api_client(create_app(settings)) as client:
        datasets = (await client.get("/api/v1/reference/datasets", headers=admin)).json()["items"]
        assert {d["kind"]: d["version"] for d in datasets} == {
            "jurisdictions": "nbs-2023",
            "departments": "2023.1",
            "industries": "GB/T 4754-2017",
        }
        townships = (
            await client.get("/api/v1/reference/jurisdictions", params={"level": "township"}, headers=admin)
        ).json()
        assert len(townships["items"]) == townships["total"] == 20
        document = bundled_document("departments")
        same = await client.post("/api/v1/reference/departments", json=document, headers=admin)
        assert same.json()["outcome"] == "unchanged"
        clash = await client.post(
            "/api/v1/reference/departments", json={**document, "items": document["items"][:-1]}, headers=admin
        )
        assert clash.status_code == 409
        newer = {**document, "version": "2024.1", "effective_from": "2024-01-01", "items": document["items"][:-1]}
        imported = await client.post("/api/v1/reference/departments", json=newer, headers=admin)
        assert imported.json() == {
            "kind": "departments",
            "version": "2024.1",
            "outcome": "imported",
            "upserted": 18,
            "retired": 1,
        }
        departments = (await client.get("/api/v1/reference/departments", headers=admin)).json()["items"]
        assert document["items"][-1]["code"] not in {d["code"] for d in departments}
        older = {**document, "version": "2022.9", "effective_from": "2022-09-01"}
        assert (await client.post("/api/v1/reference/departments", json=older, headers=admin)).status_code == 409
        officer = token(stack, ["township_officer"], jurisdictions=[QIANCHENG])
        forbidden = await client.post("/api/v1/reference/departments", json=newer, headers=officer)
        assert forbidden.status_code == 403
