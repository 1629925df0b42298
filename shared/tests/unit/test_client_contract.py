"""What a browser, a mobile client and a generated client rely on: CORS from an allow-list, docs pages that
load without internet, ETag/304 on JSON reads, 422 for unknown query parameters, and a truthful OpenAPI."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import Annotated, Any

import httpx
import pytest
from fastapi import APIRouter, Depends, FastAPI, Query, Response
from pydantic import BaseModel

from shared.db.tables import make_service_database
from shared.http.app import create_service_app
from shared.http.dependencies import IfMatch
from shared.settings import ConfigurationError, ServiceSettings, load_settings

CONSOLE = "http://localhost:5173"


class Note(BaseModel):
    """A body with one field."""

    text: str


def _paging(offset: int = 0) -> int:
    return offset


def _router() -> APIRouter:
    router = APIRouter(prefix="/api/v1/notes", tags=["notes"])

    @router.get("")
    async def list_notes(status: str | None = None, offset: int = Depends(_paging)) -> dict[str, Any]:
        return {"status": status, "offset": offset}

    @router.get("/{note_id}")
    async def get_note(note_id: int, response: Response) -> dict[str, int]:
        response.headers["ETag"] = f'"{note_id}"'
        return {"id": note_id}

    @router.post("/{note_id}/archive")
    async def archive_note(note_id: int, body: Note, if_match: IfMatch = None) -> dict[str, str]:
        return {"text": body.text}

    @router.patch("/{note_id}")
    async def update_note(note_id: int, body: Note, search: Annotated[str | None, Query()] = None) -> Note:
        return body

    return router


def _app(**settings: Any) -> FastAPI:
    return create_service_app(
        settings=ServiceSettings(
            database_url="postgresql+asyncpg://contract@127.0.0.1/unused",
            kafka_bootstrap_servers="127.0.0.1:9",
            **settings,
        ),
        database=make_service_database("contract_test"),
        title="Notes",
        description="A service on the platform's pieces.",
        routers=[_router()],
    )


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    """A client of an app that lets the console's origin call it."""
    transport = httpx.ASGITransport(app=_app(cors_allow_origins=CONSOLE))
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        yield client


PREFLIGHT = {
    "Origin": CONSOLE,
    "Access-Control-Request-Method": "POST",
    "Access-Control-Request-Headers": "authorization, content-type, idempotency-key, if-match",
}


async def test_a_configured_origin_passes_the_preflight_and_reads_the_platform_headers(
    client: httpx.AsyncClient,
) -> None:
    preflight = await client.options("/api/v1/notes/1/archive", headers=PREFLIGHT)
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == CONSOLE
    allowed = preflight.headers["access-control-allow-headers"].lower()
    for header in ("authorization", "idempotency-key", "if-match", "if-none-match"):
        assert header in allowed
    answer = await client.get("/api/v1/notes/7", headers={"Origin": CONSOLE})
    assert answer.headers["access-control-allow-origin"] == CONSOLE
    assert "etag" in answer.headers["access-control-expose-headers"].lower()


async def test_other_origins_get_no_cors_grant(client: httpx.AsyncClient) -> None:
    preflight = await client.options("/api/v1/notes", headers={**PREFLIGHT, "Origin": "https://evil.example"})
    assert preflight.status_code == 400
    answer = await client.get("/api/v1/notes", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in answer.headers


async def test_no_origin_is_allowed_by_default() -> None:
    transport = httpx.ASGITransport(app=_app())
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        answer = await client.get("/api/v1/notes", headers={"Origin": CONSOLE})
    assert "access-control-allow-origin" not in answer.headers


def test_origins_must_be_bare_origins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CORS_ALLOW_ORIGINS", "https://console.example.gov.cn, http://localhost:5173")
    settings = load_settings(ServiceSettings, database_url="postgresql://x@h/d", kafka_bootstrap_servers="h:9")
    assert settings.cors_origins == ["https://console.example.gov.cn", "http://localhost:5173"]
    monkeypatch.setenv("CORS_ALLOW_ORIGINS", "https://console.example.gov.cn/app")
    with pytest.raises(ConfigurationError, match="CORS_ALLOW_ORIGINS"):
        load_settings(ServiceSettings, database_url="postgresql://x@h/d", kafka_bootstrap_servers="h:9")


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
async def test_docs_pages_load_every_asset_from_the_service(client: httpx.AsyncClient, page: str) -> None:
    html = (await client.get(page)).text
    urls = re.findall(r"""(?:src|href)=["']([^"']+)["']|url:\s*["']([^"']+)["']|spec-url=["']([^"']+)["']""", html)
    referenced = {next(part for part in match if part) for match in urls}
    assert referenced, html
    for url in referenced:
        # Relative, so the page works at the service's root and under the gateway's /docs/<service>/.
        assert not re.match(r"^(?:[a-z]+:)?//|^/", url), f"{page} loads {url} from elsewhere"
        served = await client.get(f"/{url}")
        assert served.status_code == 200, url
    assert "http://" not in html.replace("http://www.w3.org", "")
    assert "https://" not in html


async def test_json_reads_carry_an_etag_and_answer_304_when_it_holds(client: httpx.AsyncClient) -> None:
    first = await client.get("/api/v1/notes", params={"status": "open"})
    etag = first.headers["etag"]
    assert etag.startswith('W/"')
    assert first.headers["cache-control"] == "private, no-cache"
    again = await client.get("/api/v1/notes", params={"status": "open"}, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == etag
    changed = await client.get("/api/v1/notes", params={"status": "closed"}, headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.headers["etag"] != etag


async def test_json_reads_vary_by_the_caller(client: httpx.AsyncClient) -> None:
    # The same version of a record reads differently per caller (allowed_actions): a browser signed in as
    # someone else must not reuse the first caller's copy after a 304 on the record's version ETag.
    first = await client.get("/api/v1/notes/7")
    assert "authorization" in first.headers["vary"].lower()
    again = await client.get("/api/v1/notes/7", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304
    assert "authorization" in again.headers["vary"].lower()


async def test_a_records_own_etag_is_kept_and_honoured(client: httpx.AsyncClient) -> None:
    record = await client.get("/api/v1/notes/7")
    assert record.headers["etag"] == '"7"'
    assert (await client.get("/api/v1/notes/7", headers={"If-None-Match": 'W/"7"'})).status_code == 304
    assert (await client.get("/api/v1/notes/7", headers={"If-None-Match": '"6", "8"'})).status_code == 200
    write = await client.post("/api/v1/notes/7/archive", json={"text": "x"}, headers={"If-None-Match": "*"})
    assert write.status_code == 200
    assert "etag" not in write.headers


async def test_unknown_query_parameters_are_refused(client: httpx.AsyncClient) -> None:
    assert (await client.get("/api/v1/notes", params={"status": "open", "offset": 5})).status_code == 200
    refused = await client.get("/api/v1/notes", params={"stauts": "open", "limit": 5})
    assert refused.status_code == 422
    problem = refused.json()
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert {error["field"] for error in problem["errors"]} == {"query.stauts", "query.limit"}
    assert (await client.patch("/api/v1/notes/1", params={"search": "a"}, json={"text": "x"})).status_code == 200
    assert (await client.get("/api/v1/notes/1", params={"verbose": "1"})).status_code == 422


def test_operation_ids_come_from_the_tag_and_the_function() -> None:
    document = _app().openapi()
    ids = {op["operationId"] for methods in document["paths"].values() for op in methods.values()}
    assert {"notes_list", "notes_get", "notes_archive", "notes_update", "operations_healthz"} <= ids


def test_the_document_declares_auth_and_the_platform_headers() -> None:
    document = _app().openapi()
    assert document["components"]["securitySchemes"]["bearer"] == {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "JWT",
    }
    assert document["servers"] == [{"url": "/", "description": "This service, or the gateway in front of it"}]
    archive = document["paths"]["/api/v1/notes/{note_id}/archive"]["post"]
    headers = {p["name"] for p in archive["parameters"] if p["in"] == "header"}
    assert headers == {"Idempotency-Key", "If-Match"}
    read = document["paths"]["/api/v1/notes/{note_id}"]["get"]
    assert "If-None-Match" in {p["name"] for p in read["parameters"]}
    assert "ETag" in read["responses"]["200"]["headers"]
    assert "304" in read["responses"]


async def test_a_405_allows_every_method_of_the_path(client: httpx.AsyncClient) -> None:
    refused = await client.delete("/api/v1/notes/1")
    assert refused.status_code == 405
    assert refused.headers["allow"] == "GET, PATCH"
    assert (await client.put("/api/v1/notes/1/archive")).headers["allow"] == "POST"
