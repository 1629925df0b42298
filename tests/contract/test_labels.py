"""Every code a client shows an official has a Chinese label in the contract: each enum of each OpenAPI
document lists one label per value, and the service's labels endpoint serves exactly those labels."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from safety_stack.openapi_export import SERVICES, service_app
from shared.auth.dependencies import current_principal
from shared.auth.principal import Principal


def _enums(node: Any) -> list[dict[str, Any]]:
    """Every schema in the document that is an enum of codes."""
    if isinstance(node, list):
        return [found for item in node for found in _enums(item)]
    if not isinstance(node, dict):
        return []
    here = [node] if isinstance(node.get("enum"), list) else []
    return here + [found for value in node.values() for found in _enums(value)]


@pytest.fixture(scope="module")
def documents() -> dict[str, dict[str, Any]]:
    """Each service's OpenAPI document."""
    return {service: service_app(service).openapi() for service in SERVICES}


@pytest.mark.parametrize("service", SERVICES)
def test_every_enum_of_the_document_labels_every_value(documents: dict[str, dict[str, Any]], service: str) -> None:
    enums = _enums(documents[service])
    assert enums, f"{service}: no enum found"
    for schema in enums:
        labels = schema.get("x-enum-descriptions")
        assert isinstance(labels, list), f"{service}: {schema.get('title')} {schema['enum']} has no labels"
        assert len(labels) == len(schema["enum"]), f"{service}: {schema['enum']} -> {labels}"
        assert all(isinstance(label, str) and label.strip() for label in labels)
        for value, label in zip(schema["enum"], labels, strict=True):
            # The same labels are readable in the description, which every documentation page shows.
            assert f"`{value}`: {label}" in schema["description"]


async def _get_labels(service: str, headers: dict[str, str] | None = None) -> httpx.Response:
    app = service_app(service)
    app.dependency_overrides[current_principal] = lambda: Principal(
        subject="labels-test", roles=frozenset({"enterprise"}), enterprise_id="00000000-0000-0000-0000-000000000001"
    )
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://service") as client:
        return await client.get(f"/api/v1/{service}-labels", headers=headers or {})


@pytest.mark.parametrize("service", SERVICES)
async def test_the_labels_endpoint_serves_the_documents_enum_labels(
    documents: dict[str, dict[str, Any]], service: str
) -> None:
    answer = await _get_labels(service)
    assert answer.status_code == 200, answer.text
    served: dict[str, dict[str, str]] = answer.json()
    described = [dict(zip(s["enum"], s["x-enum-descriptions"], strict=True)) for s in _enums(documents[service])]
    # Each enum of the document is served with the same labels, and nothing is served that no enum uses.
    assert all(labels in served.values() for labels in described)
    assert all(labels in described for labels in served.values())
    unchanged = await _get_labels(service, {"If-None-Match": answer.headers["ETag"]})
    assert unchanged.status_code == 304


@pytest.mark.parametrize("service", SERVICES)
def test_the_labels_endpoint_is_for_any_signed_in_caller(documents: dict[str, dict[str, Any]], service: str) -> None:
    operation = documents[service]["paths"][f"/api/v1/{service}-labels"]["get"]
    assert operation["security"] == [{"bearer": []}]
    assert operation["operationId"] == "labels_list"
