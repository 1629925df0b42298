"""Every list of the four services answers one page envelope with a true total, and the main ones a change feed.

The lists are found in the OpenAPI documents (a GET whose answer is a `Page_*` model), so a new list is covered
without naming it here. For a city administrator and a township officer each list is walked to its end two items a
page (a list of a small bounded set comes whole, in one page): every page says the same total, the walk meets each
item once, and the number of items met is the total. A list taking `updated_since` is a change feed: only what
changed after the moment, oldest change first by (updated_at, id), resumable by its cursor.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest

from shared.testing.helpers import token
from shared.testing.plugin import Stack

from .conftest import CITY, INSIDE, Service, openapi_documents
from .test_access_matrix import minimal, valid_request

DOCUMENTS = openapi_documents()
CALLERS: dict[str, dict[str, Any]] = {
    "city_admin": {"jurisdictions": [CITY], "department": "yjj"},
    "township_officer": {"jurisdictions": [INSIDE]},
}
MAX_PAGES = 500  # a walk that does not end by then is a cursor that never ends


def _answer_schema(operation: dict[str, Any]) -> dict[str, Any]:
    schema: dict[str, Any] = (
        operation["responses"].get("200", {}).get("content", {}).get("application/json", {}).get("schema", {})
    )
    return schema


def _answers_page(document: dict[str, Any], operation: dict[str, Any]) -> bool:
    name = _answer_schema(operation).get("$ref", "").rsplit("/", 1)[-1]
    properties = document["components"]["schemas"].get(name, {}).get("properties", {})
    return {"items", "next_cursor", "total"} <= set(properties)


def _query_names(operation: dict[str, Any]) -> set[str]:
    return {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}


def _lists() -> list[Any]:
    found = []
    for service, document in DOCUMENTS.items():
        for path, operations in document["paths"].items():
            get = operations.get("get")
            if get is None or not _answers_page(document, get):
                continue
            for caller in CALLERS:
                if caller in get.get("x-required-roles", []):
                    found.append(pytest.param(service, path, caller, id=f"{service} {path} {caller}"))
    return found


LISTS = _lists()
FEEDS = [
    pytest.param(service, path, id=f"{service} {path}")
    for service, document in DOCUMENTS.items()
    for path, operations in document["paths"].items()
    if "get" in operations and "updated_since" in _query_names(operations["get"])
]


def _url(service: Service, path: str) -> str:
    """The path naming the seeded item inside the township, or a value the parameter's schema accepts (a kind)."""
    document = DOCUMENTS[service.name]
    parameters = {p["name"]: p for p in document["paths"][path]["get"].get("parameters", []) if p["in"] == "path"}
    components = document["components"]["schemas"]
    url = path
    while "{" in url:
        name = url[url.index("{") + 1 : url.index("}")]
        value = service.inside.get(name) or service.global_params.get(name)
        url = url.replace(f"{{{name}}}", value or str(minimal(parameters[name]["schema"], components, {})), 1)
    return url


def _headers(stack: Stack, caller: str) -> dict[str, str]:
    return token(stack, [caller], **CALLERS[caller])


async def _walk(client: httpx.AsyncClient, url: str, headers: dict[str, str], query: dict[str, Any]) -> list[Any]:
    """Every page of a list from the first to the one without a next cursor; returns the pages' bodies."""
    pages, cursor = [], None
    for _ in range(MAX_PAGES):
        response = await client.get(url, params={**query, **({"cursor": cursor} if cursor else {})}, headers=headers)
        assert response.status_code == 200, f"{url} {query}: {response.status_code} {response.text}"
        body = response.json()
        assert set(body) == {"items", "next_cursor", "total"}, f"{url}: not the page envelope: {sorted(body)}"
        pages.append(body)
        cursor = body["next_cursor"]
        if cursor is None:
            return pages
    raise AssertionError(f"{url}: still a next cursor after {MAX_PAGES} pages")


def test_every_list_answers_the_page_envelope() -> None:
    """No GET answers a bare array: every collection comes in the one envelope."""
    bare = [
        f"{service} {path}"
        for service, document in DOCUMENTS.items()
        for path, operations in document["paths"].items()
        if "get" in operations and _answer_schema(operations["get"]).get("type") == "array"
    ]
    assert bare == []
    assert len(LISTS) > 40, "the lists were not found in the documents"


@pytest.mark.parametrize(("service", "path", "caller"), LISTS)
async def test_a_list_total_is_the_number_of_items_walked(
    stack: Stack, services: dict[str, Service], service: str, path: str, caller: str
) -> None:
    """Asked for its total, a list says on every page the number of items a walk through all its pages meets."""
    running = services[service]
    operation = DOCUMENTS[service]["paths"][path]["get"]
    accepted = _query_names(operation)
    query = dict(valid_request(DOCUMENTS[service], "get", path, running.inside).query)
    paged = {"limit", "cursor", "include_total"} <= accepted
    if paged:
        query |= {"limit": 2, "include_total": "true"}
    pages = await _walk(running.client, _url(running, path), _headers(stack, caller), query)
    items = [item for page in pages for item in page["items"]]
    totals = {page["total"] for page in pages}
    assert totals == {len(items)}, f"totals {totals} for {len(items)} items walked"
    if not paged:
        assert len(pages) == 1, "a list without paging parameters answers its whole set in one page"
    ids = [item["id"] for item in items if isinstance(item, dict) and "id" in item]
    assert len(ids) == len(set(ids)), "an item came on two pages"


def _moment(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp)


@pytest.mark.parametrize(("service", "path"), FEEDS)
async def test_a_change_feed_lists_what_changed_after_a_moment(
    stack: Stack, services: dict[str, Service], service: str, path: str
) -> None:
    """From long ago the feed is every item, oldest change first, one a page; after the newest change, nothing; a
    moment just before the newest change, that item; and the feed's total is what it walks."""
    running = services[service]
    url, headers = _url(running, path), _headers(stack, "city_admin")
    pages = await _walk(
        running.client, url, headers, {"updated_since": "2000-01-01T00:00:00Z", "limit": 1, "include_total": "true"}
    )
    items = [item for page in pages for item in page["items"]]
    assert items, f"{url}: the seeded items are not in the feed"
    assert {page["total"] for page in pages} == {len(items)}
    keys = [(_moment(item["updated_at"]), item["id"]) for item in items]
    assert keys == sorted(keys), "the feed is not in (updated_at, id) order"
    newest, newest_id = keys[-1]

    after = await running.client.get(url, params={"updated_since": newest.isoformat()}, headers=headers)
    assert after.status_code == 200
    assert after.json()["items"] == []
    just_before = (newest - timedelta(microseconds=1)).isoformat()
    before = await running.client.get(url, params={"updated_since": just_before}, headers=headers)
    assert newest_id in {item["id"] for item in before.json()["items"]}


@pytest.mark.parametrize(("service", "path"), FEEDS)
async def test_a_change_feed_moment_needs_its_offset(
    stack: Stack, services: dict[str, Service], service: str, path: str
) -> None:
    """A moment without an offset means different instants in different zones: 422 naming updated_since."""
    running = services[service]
    response = await running.client.get(
        _url(running, path), params={"updated_since": "2026-03-01T08:00:00"}, headers=_headers(stack, "city_admin")
    )
    assert response.status_code == 422
    assert [error["field"].rsplit(".", 1)[-1] for error in response.json()["errors"]] == ["updated_since"]


async def test_a_changed_item_comes_again_in_the_feed(stack: Stack, services: dict[str, Service]) -> None:
    """A field app syncing since its newest seen updated_at gets a supervisor changed after it, and only once it
    changed."""
    running = services["supervisor"]
    client, headers = running.client, _headers(stack, "city_admin")
    supervisor_id = running.inside["supervisor_id"]
    known = (await client.get(f"/api/v1/supervisors/{supervisor_id}", headers=headers)).json()
    seen = await client.get("/api/v1/supervisors", params={"updated_since": known["updated_at"]}, headers=headers)
    assert supervisor_id not in {s["id"] for s in seen.json()["items"]}

    changed = await client.patch(
        f"/api/v1/supervisors/{supervisor_id}",
        json={"phone": "13800000000"},
        headers={**headers, "If-Match": f'W/"{known["version"]}"'},
    )
    assert changed.status_code == 200, changed.text
    feed = await client.get("/api/v1/supervisors", params={"updated_since": known["updated_at"]}, headers=headers)
    newest = feed.json()["items"][-1]
    assert newest["id"] == supervisor_id
    assert _moment(newest["updated_at"]) > _moment(known["updated_at"])
    later = await client.get(
        "/api/v1/supervisors", params={"updated_since": changed.json()["updated_at"]}, headers=headers
    )
    assert supervisor_id not in {s["id"] for s in later.json()["items"]}
