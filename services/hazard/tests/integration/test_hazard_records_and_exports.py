"""Photos, standards, lists with filters and keyset pagination, ledger exports, risk points and 一图两清单."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import uuid
from typing import Any

import httpx
from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from hazard_service.config import HazardSettings
from hazard_service.hazards.exports import LEDGER_COLUMNS
from hazard_service.hazards.models import EvidenceObject
from hazard_service.risks.schemas import RiskMap
from shared.testing.plugin import Stack

from .conftest import OTHER_TOWNSHIP, act, admin, enterprise_user, major_to_ledger, officer, report, seed_enterprise

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 200


async def sheet_rows(client: httpx.AsyncClient, path: str, headers: dict[str, str]) -> list[tuple[Any, ...]]:
    """The rows of the active sheet of an XLSX download."""
    sheet = load_workbook(io.BytesIO((await client.get(path, headers=headers)).content)).active
    assert sheet is not None
    return list(sheet.iter_rows(values_only=True))


async def test_photo_upload_checks_type_and_size_and_keeps_the_checksum(
    client: httpx.AsyncClient, stack: Stack, enterprise_id: uuid.UUID, settings: HazardSettings, engine: AsyncEngine
) -> None:
    """A PNG is stored with its SHA-256 and read back; a wrong type is 415, an oversized one 413."""
    hid = (await report(client, officer(stack), enterprise_id))["id"]
    url = f"/api/v1/hazards/{hid}/photos"
    uploaded = await client.post(
        url, data={"phase": "before"}, files={"file": ("a.png", PNG, "image/png")}, headers=officer(stack)
    )
    assert uploaded.status_code == 201, uploaded.text
    photo = uploaded.json()
    assert photo["sha256"] == hashlib.sha256(PNG).hexdigest()
    assert photo["size_bytes"] == len(PNG)
    content = await client.get(f"{url}/{photo['id']}/content", headers=enterprise_user(stack, enterprise_id))
    assert content.content == PNG
    assert content.headers["content-type"] == "image/png"
    async with engine.connect() as conn:
        stored = await conn.scalar(
            select(EvidenceObject.data).where(EvidenceObject.key == f"{hid}/{photo['sha256']}.png")
        )
    assert stored == PNG
    wrong = await client.post(
        url, data={"phase": "after"}, files={"file": ("a.jpg", PNG, "image/jpeg")}, headers=officer(stack)
    )
    assert wrong.status_code == 415
    text = await client.post(
        url, data={"phase": "after"}, files={"file": ("a.txt", b"hello", "text/plain")}, headers=officer(stack)
    )
    assert text.status_code == 415
    big = PNG + b"\x00" * settings.photo_max_bytes
    too_big = await client.post(
        url, data={"phase": "after"}, files={"file": ("b.png", big, "image/png")}, headers=officer(stack)
    )
    assert too_big.status_code == 413
    listed = (await client.get(url, headers=officer(stack))).json()["items"]
    assert [p["phase"] for p in listed] == ["before"]
    timeline = (await client.get(f"/api/v1/hazards/{hid}/timeline", headers=officer(stack))).json()["items"]
    assert timeline[-1]["action"] == "add_photo"


async def test_standards_import_is_versioned_and_idempotent(client: httpx.AsyncClient, stack: Stack) -> None:
    """The bundled standards load with 应急管理部令第10号's 64 items; re-import adds nothing; a new version adds."""
    await client.post("/api/v1/hazard-standards/import-bundled", headers=admin(stack))
    again = await client.post("/api/v1/hazard-standards/import-bundled", headers=admin(stack))
    assert again.json()["standards_added"] == 0
    assert again.json()["clauses_added"] == 0
    standards = (await client.get("/api/v1/hazard-standards", headers=officer(stack))).json()["items"]
    mem10 = next(s for s in standards if s["code"] == "gm_mem10_2023")
    assert mem10["item_count"] == 64
    assert mem10["issuer_document"] == "中华人民共和国应急管理部令第10号"
    clauses = (await client.get("/api/v1/hazard-standards/gm_mem10_2023/clauses", headers=officer(stack))).json()[
        "items"
    ]
    assert len([c for c in clauses if c["kind"] == "item"]) == 64
    metallurgy = (
        await client.get("/api/v1/hazard-standards/gm_mem10_2023/clauses?industry=3110", headers=officer(stack))
    ).json()["items"]
    assert any(c["section"] == "metallurgy" for c in metallurgy)
    assert not any(c["section"] == "textile" for c in metallurgy)
    document = {
        "version": "2099.1",
        "items": [
            {
                "code": "local_test",
                "name": "本地测试标准",
                "clauses": [{"code": "t-1", "title": "测试条款", "industries": ["C"]}],
            }
        ],
    }
    added = await client.post("/api/v1/hazard-standards/import", json=document, headers=admin(stack))
    assert added.json() == {"standards_added": 1, "standards_existing": 0, "clauses_added": 1}
    assert (
        await client.post("/api/v1/hazard-standards/import", json=document, headers=officer(stack))
    ).status_code == 403


async def test_list_filters_sorting_and_keyset_pagination(
    client: httpx.AsyncClient, stack: Stack, engine: AsyncEngine, settings: HazardSettings
) -> None:
    """Every filter narrows the list; pages follow each other without gaps or repeats."""
    first = await seed_enterprise(engine, settings)
    second = await seed_enterprise(engine, settings, township=OTHER_TOWNSHIP)
    ids = []
    for day in range(1, 8):
        body = await report(
            client,
            officer(stack),
            first,
            reported_on=f"2023-01-{day:02d}",
            source="leader_inspection" if day % 2 else "complaint",
            campaign_codes=["major_hazard_campaign_2023"] if day <= 3 else [],
        )
        ids.append(body["id"])
    await report(client, officer(stack), second, reported_on="2023-01-04")
    await act(client, officer(stack), ids[0], "rectification", {"deadline": "2023-01-20"})

    async def listing(query: str) -> list[dict[str, object]]:
        response = await client.get(f"/api/v1/hazards?enterprise_id={first}&{query}", headers=admin(stack))
        assert response.status_code == 200, response.text
        return list(response.json()["items"])

    assert len(await listing("")) == 7
    assert [h["id"] for h in await listing("sort=reported_on")] == ids
    assert [h["id"] for h in await listing("")] == ids[::-1]
    assert len(await listing("source=leader_inspection")) == 4
    assert len(await listing("campaign_code=major_hazard_campaign_2023")) == 3
    assert len(await listing("reported_from=2023-01-03&reported_to=2023-01-05")) == 3
    assert [h["id"] for h in await listing("status=rectifying")] == [ids[0]]
    assert len(await listing("status=rectifying&status=reported")) == 7
    assert len(await listing("deadline_to=2023-01-31")) == 1
    assert len(await listing("overdue=false&listed=false&grade=general")) == 7
    assert (await listing("sort=deadline"))[0]["id"] == ids[0]
    by_township = await client.get(
        f"/api/v1/hazards?township_code={OTHER_TOWNSHIP}&reported_to=2023-01-31", headers=admin(stack)
    )
    assert {h["enterprise_id"] for h in by_township.json()["items"]} == {str(second)}

    seen: list[str] = []
    cursor = None
    while True:
        query = f"/api/v1/hazards?enterprise_id={first}&limit=3&include_total=true" + (
            f"&cursor={cursor}" if cursor else ""
        )
        page = (await client.get(query, headers=admin(stack))).json()
        assert page["total"] == 7
        seen += [h["id"] for h in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == ids[::-1]
    assert (await client.get("/api/v1/hazards?cursor=garbage", headers=admin(stack))).status_code == 422


async def test_ledger_exports_in_officials_columns(
    client: httpx.AsyncClient, stack: Stack, enterprise_id: uuid.UUID
) -> None:
    """The ledger exports as XLSX and CSV with the same Chinese columns and rows."""
    hid = await major_to_ledger(client, stack, enterprise_id)
    query = f"/api/v1/hazards/ledger.{{}}?enterprise_id={enterprise_id}&grade=major"
    xlsx = await client.get(query.format("xlsx"), headers=officer(stack))
    assert xlsx.status_code == 200
    book = load_workbook(io.BytesIO(xlsx.content))
    sheet = book["隐患台账"]
    rows = list(sheet.iter_rows(values_only=True))
    assert "隐患排查治理台账" in rows[0][0]
    assert rows[1][0].startswith("统计范围:")
    assert "统计期间:截至" in rows[1][0]
    assert rows[2] == LEDGER_COLUMNS
    assert rows[3][5] == "重大事故隐患"
    assert rows[3][9] == "《工贸企业重大事故隐患判定标准》第三条第（一）项"
    assert rows[3][17] == "已入台账"
    hazard = (await client.get(f"/api/v1/hazards/{hid}", headers=officer(stack))).json()
    assert rows[3][1] == hazard["ledger_number"]
    assert rows[3][10].date().isoformat() == hazard["reported_on"]
    assert rows[4][:2] == ("合计", "共1处")
    # The test enterprise's name carries a random hex suffix: it is data, not a code.
    texts = [v for row in rows for v in row if isinstance(v, str) and v != hazard["enterprise_name"]]
    assert not [t for t in texts if re.search(r"[a-z]{3,}|_", t)], "codes are printed as their Chinese names"
    assert any(t.startswith("制表单位:") for t in texts)
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.print_title_rows == "$3:$3"
    counts = book["按状态统计"]
    assert len(counts._charts) == 1
    assert next(r for r in counts.iter_rows(values_only=True) if r[0] == "合计")[-1] == 1
    csv_response = await client.get(query.format("csv"), headers=officer(stack))
    text = csv_response.content.decode("utf-8-sig")
    parsed = list(csv.reader(io.StringIO(text)))
    assert tuple(parsed[0]) == LEDGER_COLUMNS
    assert parsed[1][1] == hazard["ledger_number"]


async def test_config_lists_the_four_systems(client: httpx.AsyncClient, stack: Stack) -> None:
    """一单四制's four systems and the listing levels come from configuration."""
    config = (await client.get("/api/v1/hazard-config", headers=officer(stack))).json()
    assert [s["name"] for s in config["one_list_systems"]] == ["交办制", "台账制", "销号制", "通报制"]
    assert {level["code"] for level in config["listing_levels"]} == {"city_government", "safety_committee_office"}
    assert config["review_due_days"] == 10


async def test_risk_points_map_and_lists(client: httpx.AsyncClient, stack: Stack, enterprise_id: uuid.UUID) -> None:
    """Risk points at the four levels export as GeoJSON in four colours and two XLSX lists; changes need a fresh
    version."""
    created = []
    for level, name in (("major", "液氨储罐区"), ("large", "粉尘车间"), ("general", "配电房"), ("low", "办公楼")):
        response = await client.post(
            "/api/v1/risk-points",
            json={
                "enterprise_id": str(enterprise_id),
                "name": name,
                "level": level,
                "control_measures": [
                    {"kind": "engineering", "measure": "安装气体检测报警装置"},
                    {"kind": "management", "measure": "每班巡检", "check_frequency": "每班"},
                ],
                "responsible_person": "周八",
                "longitude": 110.1,
                "latitude": 27.2,
            },
            headers=enterprise_user(stack, enterprise_id),
        )
        assert response.status_code == 201, response.text
        created.append(response.json())
    red = created[0]
    stale = await client.patch(
        f"/api/v1/risk-points/{red['id']}", json={"level": "large"}, headers={**officer(stack), "If-Match": 'W/"7"'}
    )
    assert stale.status_code == 409
    changed = await client.patch(
        f"/api/v1/risk-points/{red['id']}", json={"level": "large"}, headers={**officer(stack), "If-Match": 'W/"1"'}
    )
    assert changed.json()["level"] == "large"
    retired = await client.post(
        f"/api/v1/risk-points/{created[3]['id']}/retirement", json={"reason": "办公楼拆除"}, headers=officer(stack)
    )
    assert retired.json()["status"] == "retired"

    geo = await client.get(
        f"/api/v1/risk-points/map.geojson?township_code={red['township_code']}", headers=admin(stack)
    )
    assert geo.headers["content-type"].startswith("application/geo+json")
    # The answer is exactly the FeatureCollection model the API document declares.
    assert json.loads(RiskMap.model_validate_json(geo.content, strict=True).model_dump_json()) == geo.json()
    features = [f for f in geo.json()["features"] if f["properties"]["enterprise_id"] == str(enterprise_id)]
    assert sorted(f["properties"]["level"] for f in features) == ["general", "large", "large"]
    assert all(f["geometry"]["type"] == "Point" for f in features)
    only_orange = (await client.get("/api/v1/risk-points/map.geojson?level=large", headers=admin(stack))).json()
    assert {f["properties"]["colour"] for f in only_orange["features"]} == {"#FF8C00"}

    lists = "/api/v1/risk-points/{}.xlsx?enterprise_id=" + str(enterprise_id)
    control_rows = await sheet_rows(client, lists.format("control-list"), admin(stack))
    assert control_rows[0][3] == "风险点名称"
    assert len(control_rows) == 4
    assert len(await sheet_rows(client, lists.format("measure-list"), admin(stack))) == 1 + 3 * 2
    other = await client.get(
        f"/api/v1/risk-points?enterprise_id={enterprise_id}", headers=enterprise_user(stack, uuid.uuid4())
    )
    assert other.json()["items"] == []


async def test_import_command_loads_the_bundled_standards(settings: HazardSettings) -> None:
    """The import command's function imports the bundled file (a repeat adds nothing)."""
    from hazard_service.standards.importer import run
    from hazard_service.standards.service import bundled_document

    await run(settings, bundled_document())
    again = await run(settings, bundled_document())
    assert again.clauses_added == 0
    assert again.standards_existing == len(bundled_document().items)
