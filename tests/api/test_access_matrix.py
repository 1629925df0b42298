"""Every operation of the four OpenAPI documents × every caller, in and out of the caller's jurisdiction.

The cells are generated from the documents (each operation's `x-required-roles`), not from a hand list:
- no token: 401; a valid token with no role, or only a role the system does not know: 403;
- a known role the operation does not admit: 403;
- an admitted role on items inside its reach: anything but 401/404 and the role gate's 403 (a 2xx, 409 or 422
  all say it got in; a 403 from the item's own rules, such as a case handled by another unit, is a finer rule);
- a jurisdiction-bound admitted role on an item of another township (or another enterprise): 404.
Requests carry the smallest query and body their schema accepts, and writes a stale If-Match, so the matrix
reaches the jurisdiction check and changes little of what it walks over.
A path parameter no item was seeded for (a deferral, a photo, a lead) names a random id: there, the admitted
cells only assert the caller got past authentication and authorization (404 is the missing item).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import pytest

from shared.auth.principal import Role
from shared.testing.helpers import token
from shared.testing.plugin import Stack

from .conftest import CITY, INSIDE, JURISDICTIONAL, Service, openapi_documents

ROLES = tuple(role.value for role in Role)
# Roles whose reach has a border (a township, a department's township, an enterprise); the others see everything.
BOUNDED_ROLES = ("department_officer", "township_officer", "supervisor", "enterprise")
STALE = 'W/"999999"'
WRITES = {"post", "put", "patch", "delete"}

# Roles whose border is not a township in a service: the supervisor service reaches a department officer's
# enterprises by the department's industries, wherever they are.
UNBOUNDED_IN = {"supervisor": {"department_officer"}}
# Operations reading a part of an item the seed data does not create (so 404 is the missing part).
PARTS_NOT_SEEDED = {
    "/api/v1/hazards/{hazard_id}/listing": "a hazard has a listing only once judged major and listed",
    "/api/v1/plans/{year}/{unit_type}/{unit_code}/progress": "no plan is set for the township",
}
# A 403 from the role gate (the operation's x-required-roles) rather than from a rule of the item's own.
GATE_DENIALS = ("this action needs one of the roles", "the token carries no role")

# Cells that expose a defect in a service: they fail today and must pass once it is fixed.
KNOWN_DEFECTS: dict[str, str] = {}


@dataclass(frozen=True)
class Cell:
    """One request of the matrix and the statuses it may (`allowed`) or may not (`forbidden`) answer."""

    service: str
    method: str
    path: str
    caller: str
    where: str
    allowed: frozenset[int] = frozenset()
    forbidden: frozenset[int] = frozenset()

    @property
    def id(self) -> str:
        """The cell's test id."""
        return f"{self.service} {self.method.upper()} {self.path} {self.caller} {self.where}"


def _cells() -> list[Cell]:
    cells: list[Cell] = []
    for service, document in DOCUMENTS.items():
        for path, operations in document["paths"].items():
            for method, operation in operations.items():
                admitted = operation.get("x-required-roles")
                if admitted is None:
                    continue  # a public probe
                cell = {"service": service, "method": method, "path": path}
                cells.append(Cell(**cell, caller="anonymous", where="-", allowed=frozenset({401})))
                for caller in ("no-role", "unknown-role", *(r for r in ROLES if r not in admitted)):
                    cells.append(Cell(**cell, caller=caller, where="-", allowed=frozenset({403})))
                bordered = any(f"{{{name}}}" in path for name in JURISDICTIONAL[service])
                for role in admitted:
                    cells.append(Cell(**cell, caller=role, where="inside", forbidden=frozenset({401, 403, 404})))
                    if bordered and role in BOUNDED_ROLES and role not in UNBOUNDED_IN.get(service, set()):
                        cells.append(Cell(**cell, caller=role, where="outside", allowed=frozenset({404})))
    return cells


DOCUMENTS = openapi_documents()
CELLS = _cells()


def _marked(cell: Cell) -> Any:
    reason = KNOWN_DEFECTS.get(cell.id)
    marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
    return pytest.param(cell, id=cell.id, marks=marks)


JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
FORMATS = {"date": "2026-03-01", "date-time": "2026-03-01T08:00:00+08:00", "uuid": str(uuid.UUID(int=1))}


@dataclass(frozen=True)
class Request:
    """What a cell sends besides its path and headers."""

    query: dict[str, Any]
    json: Any = None
    form: dict[str, Any] | None = None
    files: dict[str, tuple[str, bytes, str]] | None = None


def minimal(schema: dict[str, Any], components: dict[str, Any], known: dict[str, str]) -> Any:
    """The smallest instance a JSON Schema accepts, with its required properties only (fast and deterministic;
    the matrix needs a request that passes validation, not a varied one). A property named in `known`
    (`enterprise_id`, or its plural) takes that value, so a body names an item of the caller's reach."""
    if "$ref" in schema:
        return minimal(components[schema["$ref"].rsplit("/", 1)[-1]], components, known)
    if "default" in schema:
        return schema["default"]
    for combined in ("allOf", "anyOf", "oneOf"):
        if combined in schema:
            options = [o for o in schema[combined] if o.get("type") != "null"]
            return minimal(options[0], components, known)
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "object":
        properties = schema.get("properties", {})
        return {name: _property(name, properties[name], components, known) for name in schema.get("required", [])}
    if kind == "array":
        return [minimal(schema.get("items", {}), components, known) for _ in range(schema.get("minItems", 0))]
    if kind in ("integer", "number"):
        return max(schema.get("minimum", 1), schema.get("exclusiveMinimum", 0) + 1)
    if kind == "boolean":
        return False
    text = FORMATS.get(schema.get("format", ""), "x" * max(schema.get("minLength", 1), 1))
    return text[: schema.get("maxLength", len(text))]


def _property(name: str, schema: dict[str, Any], components: dict[str, Any], known: dict[str, str]) -> Any:
    if name in known:
        return known[name]
    if name.endswith("s") and name[:-1] in known:
        return [known[name[:-1]]]
    return minimal(schema, components, known)


def valid_request(document: dict[str, Any], method: str, path: str, known: dict[str, str]) -> Request:
    """Required query parameters and a body (JSON or a form with a file) that pass an operation's schema."""
    operation = document["paths"][path][method]
    components = document.get("components", {}).get("schemas", {})
    query = {
        p["name"]: minimal(p.get("schema", {}), components, known)
        for p in operation.get("parameters", [])
        if p["in"] == "query" and p.get("required")
    }
    content = operation.get("requestBody", {}).get("content", {})
    if "multipart/form-data" in content:
        form = minimal(content["multipart/form-data"]["schema"], components, known)
        files = {name: ("photo.jpg", JPEG, "image/jpeg") for name in form if name == "file"}
        return Request(query, form={k: v for k, v in form.items() if k not in files}, files=files)
    if "application/json" in content:
        return Request(query, json=minimal(content["application/json"]["schema"], components, known))
    return Request(query)


def _headers(stack: Stack, services: dict[str, Service], cell: Cell) -> dict[str, str]:
    service = services[cell.service]
    claims: dict[str, Any] = {
        "city_admin": {"jurisdictions": [CITY], "department": "yjj"},
        "leader": {"jurisdictions": [CITY]},
        "department_officer": {"jurisdictions": [INSIDE], "department": "yjj"},
        "township_officer": {"jurisdictions": [INSIDE]},
        "supervisor": {"jurisdictions": [INSIDE], "supervisor_id": services["supervisor"].inside["supervisor_id"]},
        "enterprise": {"enterprise_id": service.enterprise_id},
    }
    if cell.caller == "anonymous":
        return {}
    roles = {"no-role": [], "unknown-role": ["auditor"]}.get(cell.caller, [cell.caller])
    return token(stack, roles, **claims.get(cell.caller, {}))


def _url(service: Service, cell: Cell) -> tuple[str, bool]:
    """The path with its parameters filled (items outside the caller's reach for an `outside` cell), and whether
    every parameter names a seeded item."""
    items = service.outside if cell.where == "outside" else service.inside
    url, seeded = cell.path, True
    while "{" in url:
        name = url[url.index("{") + 1 : url.index("}")]
        value = items.get(name) or service.global_params.get(name)
        if value is None:
            value, seeded = str(uuid.uuid4()), False
        url = url.replace(f"{{{name}}}", value, 1)
    return url, seeded


def test_the_matrix_covers_every_operation_and_caller() -> None:
    """The generated matrix is the whole API: print its size, and check it is not empty by mistake."""
    operations = {(c.service, c.method, c.path) for c in CELLS}
    print(f"access matrix: {len(CELLS)} cells over {len(operations)} operations")
    assert {c.service for c in CELLS} == set(JURISDICTIONAL)
    assert len(operations) > 100


@pytest.mark.parametrize("cell", [_marked(c) for c in CELLS])
async def test_access(cell: Cell, services: dict[str, Service], stack: Stack) -> None:
    service = services[cell.service]
    url, seeded = _url(service, cell)
    seeded = seeded and cell.path not in PARTS_NOT_SEEDED
    headers = _headers(stack, services, cell)
    if cell.method in WRITES:
        headers["If-Match"] = STALE
    sent = valid_request(DOCUMENTS[cell.service], cell.method, cell.path, {"enterprise_id": service.enterprise_id})
    response = await service.client.request(
        cell.method.upper(), url, headers=headers, params=sent.query, json=sent.json, data=sent.form, files=sent.files
    )
    status = response.status_code
    detail = f"{cell.id}: {url} answered {status} {response.text[:300]}"
    if cell.allowed:
        assert status in cell.allowed, detail
    forbidden = cell.forbidden if seeded else cell.forbidden - {404}
    if status == 403 and cell.where == "inside":
        # The item's own rules may still refuse this role (a case handled by another unit); the gate may not.
        assert not response.json()["detail"].startswith(GATE_DENIALS), detail
    else:
        assert status not in forbidden, detail


async def test_authentication_precedes_validation(services: dict[str, Service]) -> None:
    """Without a token, an operation whose query parameters are required, or whose body is broken, is a 401."""
    assert (await services["reporting"].client.get("/api/v1/statistics")).status_code == 401
    broken = await services["hazard"].client.post(
        "/api/v1/hazards", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert broken.status_code == 401
