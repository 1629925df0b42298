"""Supervisor service at scale: 100,000 enterprises and 10,000 supervisors.

Measures, through the HTTP API served by uvicorn, the latency of a filtered enterprise list
(township + employee count + not covered, and a township officer's own scope) and of a
Chinese name search (pg_trgm). Run: .venv/bin/python -m bench.supervisor_list
"""

from __future__ import annotations

import asyncio
import random
import time
import uuid
from datetime import date
from typing import Any

import asyncpg
import httpx

from bench.common import embedded_stack, served, summary_ms, timed_calls
from shared.auth.tokens import ensure_signing_key, mint_token
from shared.db import create_engine, create_sessionmaker
from shared.db.migrations import upgrade
from supervisor_service.config import SupervisorSettings
from supervisor_service.enterprises.domain import CREDIT_CODE_CHARSET, CREDIT_CODE_WEIGHTS
from supervisor_service.main import create_app
from supervisor_service.reference.service import bundled_document, import_bundled_reference_data

ENTERPRISES = 100_000
SUPERVISORS = 10_000
PER_SUPERVISOR = 8
REQUESTS = 400
WARMUP = 30

WORDS = list("天成恒源同心兴旺鑫达宏泰华丰盛隆金鼎永安昌顺博远宇新利民富康瑞祥福星汇通明光")
TRADES = [
    ("20", "木业"),
    ("13", "米业"),
    ("30", "建材"),
    ("33", "钢结构"),
    ("52", "超市"),
    ("47", "建筑"),
    ("15", "酒业"),
    ("61", "宾馆"),
    ("62", "餐饮"),
    ("14", "食品"),
    ("54", "客运"),
    ("44", "水电"),
]
SUFFIXES = ["有限公司", "有限责任公司", "厂", "合作社", "经营部"]
SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高舒粟向蒋")


def _credit_code(rng: random.Random, seen: set[str]) -> str:
    while True:
        body = "91431281" + "".join(rng.choice(CREDIT_CODE_CHARSET[:10] + "ABCDEFGH") for _ in range(9))
        total = sum(CREDIT_CODE_CHARSET.index(c) * w for c, w in zip(body, CREDIT_CODE_WEIGHTS, strict=True))
        code = body + CREDIT_CODE_CHARSET[(31 - total % 31) % 31]
        if code not in seen:
            seen.add(code)
            return code


def _asyncpg_url(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://", 1)


async def _load(settings: SupervisorSettings) -> dict[str, Any]:
    """Bulk-load the data set with COPY (the API's write path is not what is measured here)."""
    engine = create_engine(settings, pool_size=1)
    async with create_sessionmaker(engine)() as session, session.begin():
        await import_bundled_reference_data(session)
    await engine.dispose()
    townships_only = [j["code"] for j in bundled_document("jurisdictions")["items"] if j["level"] == "township"]
    connection = await asyncpg.connect(_asyncpg_url(settings.database_url))
    try:
        existing = await connection.fetch("SELECT name FROM supervisor.enterprise")
    finally:
        await connection.close()
    if len(existing) >= ENTERPRISES:
        # An external DATABASE_URL that was loaded by an earlier run: measure again without reloading.
        print(f"reusing {len(existing):,} enterprises already loaded")
        return {"townships": townships_only, "names": [r["name"] for r in existing]}
    rng = random.Random(20231128)
    townships = [j for j in bundled_document("jurisdictions")["items"] if j["level"] == "township"]
    industries = {i["code"]: i["parent_code"] for i in bundled_document("industries")["items"]}
    seen: set[str] = set()
    now = time.time()
    enterprises = []
    for n in range(ENTERPRISES):
        township = rng.choice(townships)
        code, trade = rng.choice(TRADES)
        name = f"洪江市{township['name']}{rng.choice(WORDS)}{rng.choice(WORDS)}{trade}{rng.choice(SUFFIXES)}{n:06d}"
        enterprises.append(
            (
                uuid.UUID(int=rng.getrandbits(128), version=4),
                name,
                _credit_code(rng, seen),
                code,
                industries[code],
                code,
                township["code"],
                rng.choice([1, 2, 3, 5, 8, 12, 20, 35, 60, 120, 400]),
                rng.random() < 0.05,
                rng.choice(["major", "large", "general", "general", "low", "low"]),
                rng.choice(["yjj", "swj", "zjj", "jtj"]),
                rng.choice(["operating"] * 18 + ["suspended", "closed"]),
                1,
            )
        )
    supervisors = []
    for n in range(SUPERVISORS):
        township = rng.choice(townships)
        as_township = rng.random() < 0.4
        supervisors.append(
            (
                uuid.UUID(int=rng.getrandbits(128), version=4),
                f"SUP-{n:06d}",
                rng.choice(SURNAMES) + rng.choice(WORDS) + rng.choice(WORDS),
                "township" if as_township else "department",
                township["code"] if as_township else rng.choice(["yjj", "swj", "zjj", "jtj"]),
                township["code"] if as_township else None,
                "派驻监督员",
                f"0745-{n:07d}",
                True,
                1,
            )
        )
    assignments = []
    candidates = [e for e in enterprises if e[11] != "closed"]
    rng.shuffle(candidates)
    for index, enterprise in enumerate(candidates[: SUPERVISORS * PER_SUPERVISOR]):
        supervisor = supervisors[index // PER_SUPERVISOR]
        assignments.append((uuid.uuid4(), supervisor[0], enterprise[0], date(2023, 3, 1), True, 1))
    connection = await asyncpg.connect(_asyncpg_url(settings.database_url))
    try:
        await connection.copy_records_to_table(
            "enterprise",
            schema_name="supervisor",
            records=enterprises,
            columns=[
                "id",
                "name",
                "credit_code",
                "industry_code",
                "industry_section",
                "industry_division",
                "township_code",
                "employee_count",
                "high_risk",
                "risk_level",
                "supervising_department",
                "status",
                "version",
            ],
        )
        await connection.copy_records_to_table(
            "supervisor",
            schema_name="supervisor",
            records=supervisors,
            columns=[
                "id",
                "code",
                "name",
                "org_kind",
                "org_code",
                "township_code",
                "position",
                "phone",
                "active",
                "version",
            ],
        )
        await connection.copy_records_to_table(
            "assignment",
            schema_name="supervisor",
            records=assignments,
            columns=["id", "supervisor_id", "enterprise_id", "start_date", "active", "version"],
        )
        await connection.execute(
            "ANALYZE supervisor.enterprise; ANALYZE supervisor.supervisor; ANALYZE supervisor.assignment"
        )
    finally:
        await connection.close()
    print(
        f"loaded {len(enterprises):,} enterprises, {len(supervisors):,} supervisors, "
        f"{len(assignments):,} active assignments in {time.time() - now:.1f} s"
    )
    return {"townships": [t["code"] for t in townships], "names": [e[1] for e in enterprises]}


async def _measure(settings: SupervisorSettings, data: dict[str, Any]) -> None:
    key = ensure_signing_key(settings.auth_hs256_key_file)  # type: ignore[arg-type]
    admin = {"Authorization": "Bearer " + mint_token(key, subject="bench-admin", roles=["city_admin"])}
    rng = random.Random(7)
    townships = data["townships"]
    names: list[str] = data["names"]

    def officer(township: str) -> dict[str, str]:
        token = mint_token(key, subject=f"bench-{township}", roles=["township_officer"], jurisdictions=[township])
        return {"Authorization": f"Bearer {token}"}

    officers = {t: officer(t) for t in townships}
    department = {
        "Authorization": "Bearer "
        + mint_token(key, subject="bench-dept", roles=["department_officer"], department="swj")
    }

    async with served(create_app(settings)) as base, httpx.AsyncClient(base_url=base, timeout=30) as client:

        async def get(params: dict[str, Any], headers: dict[str, str]) -> None:
            response = await client.get("/api/v1/enterprises", params=params, headers=headers)
            response.raise_for_status()

        cases: list[tuple[str, Any]] = [
            (
                "filtered list (admin: township + >=3 employees + not covered, 50 items)",
                lambda i: get(
                    {"township_code": townships[i % len(townships)], "min_employees": 3, "covered": "false"}, admin
                ),
            ),
            (
                "filtered list (township officer's scope + risk level)",
                lambda i: get({"risk_level": "general"}, officers[townships[i % len(townships)]]),
            ),
            (
                "filtered list (department officer's industries + size band)",
                lambda i: get({"size": "small"}, department),
            ),
            (
                "name search, 4 characters (admin)",
                lambda i: get(
                    {
                        "q": (lambda n: n[n.index("镇") + 1 : n.index("镇") + 5] if "镇" in n else n[5:9])(
                            names[rng.randrange(len(names))]
                        )
                    },
                    admin,
                ),
            ),
            (
                "name search, exact unique fragment (admin)",
                lambda i: get({"q": names[rng.randrange(len(names))][-10:]}, admin),
            ),
            (
                "name search, 2 characters (bigram index, admin)",
                lambda i: get({"q": rng.choice(WORDS) + rng.choice(WORDS)}, admin),
            ),
            (
                "keyset page 2 of a township list (admin)",
                lambda i: _second_page(client, townships[i % len(townships)], admin),
            ),
        ]
        for label, op in cases:
            await timed_calls(WARMUP, op)
            samples = await timed_calls(REQUESTS, op)
            print(f"{label}: {summary_ms(samples)}")


async def _second_page(client: httpx.AsyncClient, township: str, headers: dict[str, str]) -> None:
    first = await client.get("/api/v1/enterprises", params={"township_code": township}, headers=headers)
    cursor = first.json()["next_cursor"]
    response = await client.get(
        "/api/v1/enterprises", params={"township_code": township, "cursor": cursor}, headers=headers
    )
    response.raise_for_status()


def main() -> None:
    """Build the data set, serve the API and print latency figures."""
    with embedded_stack() as stack:
        settings = SupervisorSettings(
            database_url=stack.database_url,
            kafka_bootstrap_servers=stack.bootstrap_servers,
            auth_hs256_key_file=stack.key_file,
        )
        upgrade("supervisor_service", settings.database_url)
        data = asyncio.run(_load(settings))
        asyncio.run(_measure(settings, data))


if __name__ == "__main__":
    main()
