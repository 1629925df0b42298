"""Each operation documents whom it admits and its problem+json errors; authentication precedes validation."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import httpx
import pytest
from fastapi import Depends, FastAPI
from pydantic import BaseModel

from shared.auth.dependencies import require_roles
from shared.auth.principal import Principal, Role
from shared.auth.tokens import ensure_signing_key, mint_token, verifier_from_settings
from shared.errors import IllegalTransition
from shared.http.dependencies import CurrentPrincipal
from shared.http.openapi import PROBLEM_JSON, install_openapi
from shared.http.problems import install_problem_handlers

Admin = Annotated[Principal, Depends(require_roles(Role.CITY_ADMIN, Role.TOWNSHIP_OFFICER))]
Narrower = Annotated[Principal, Depends(require_roles(Role.TOWNSHIP_OFFICER))]


class Body(BaseModel):
    """A body with a required field."""

    name: str


def _app(key_file: Path) -> FastAPI:
    app = FastAPI()
    install_openapi(app)
    install_problem_handlers(app)
    app.state.token_verifier = verifier_from_settings(key_file=key_file, jwks_url=None, issuer=None, audience=None)

    @app.get("/public")
    async def public() -> dict[str, str]:
        return {}

    @app.get("/anyone")
    async def anyone(principal: CurrentPrincipal, limit: int) -> dict[str, int]:
        return {"limit": limit}

    @app.post("/things/{thing_id}")
    async def act(thing_id: int, body: Body, principal: Admin) -> dict[str, str]:
        return {"name": body.name}

    @app.post("/narrow")
    async def narrow(body: Body, principal: Admin, also: Narrower) -> dict[str, str]:
        return {"name": body.name}

    return app


@pytest.fixture
def app(tmp_path: Path) -> FastAPI:
    """A small app on the shared pieces."""
    return _app(tmp_path / "key")


def _operation(app: FastAPI, path: str, method: str) -> dict[str, Any]:
    return dict(app.openapi()["paths"][path][method])


def test_operations_document_the_roles_they_admit(app: FastAPI) -> None:
    assert _operation(app, "/things/{thing_id}", "post")["x-required-roles"] == ["city_admin", "township_officer"]
    # Two role checks on one route admit only the roles both admit.
    assert _operation(app, "/narrow", "post")["x-required-roles"] == ["township_officer"]
    # Any authenticated caller: every role the system knows (a token with none is a 403).
    assert _operation(app, "/anyone", "get")["x-required-roles"] == sorted(r.value for r in Role)
    public = _operation(app, "/public", "get")
    assert "x-required-roles" not in public
    assert public["security"] == []
    assert "401" not in public["responses"]


def test_errors_are_documented_as_problem_json(app: FastAPI) -> None:
    responses = _operation(app, "/things/{thing_id}", "post")["responses"]
    assert {"401", "403", "404", "409", "413", "422"} <= set(responses)
    schema = responses["422"]["content"][PROBLEM_JSON]["schema"]
    assert schema == {"$ref": "#/components/schemas/Problem"}
    document = app.openapi()
    assert "errors" in document["components"]["schemas"]["Problem"]["properties"]
    assert "HTTPValidationError" not in document["components"]["schemas"]


async def test_authentication_and_role_precede_validation(app: FastAPI, tmp_path: Path) -> None:
    transport = httpx.ASGITransport(app=app)
    township = mint_token(ensure_signing_key(tmp_path / "key"), subject="t", roles=["leader"])
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        malformed = {"content": b"{not json", "headers": {"content-type": "application/json"}}
        assert (await client.post("/things/1", **malformed)).status_code == 401  # type: ignore[arg-type]
        assert (await client.get("/anyone")).status_code == 401
        leader = {"Authorization": f"Bearer {township}"}
        assert (await client.post("/things/x", json={}, headers=leader)).status_code == 403
        assert (await client.get("/anyone", headers=leader)).status_code == 422
        assert (await client.get("/public")).status_code == 200


def test_an_extension_never_replaces_a_standard_problem_member() -> None:
    body = IllegalTransition("cannot close a reported hazard", status="reported", action="close").to_problem("/x")
    assert body["status"] == 409
    assert body["current_status"] == "reported"
    assert body["action"] == "close"
