"""CommandRoute: the shapes it accepts, and answers like FastAPI's own handler for them."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import APIRouter, Depends, FastAPI, Header, Request, Response
from pydantic import BaseModel, Field

from shared.http.command_route import CommandRoute
from shared.http.problems import install_problem_handlers


class Order(BaseModel):
    item: str = Field(min_length=1)
    quantity: int = Field(ge=1)


class Placed(BaseModel):
    item: str
    quantity: int
    placed_by: str


async def caller(request: Request) -> str:
    return request.headers.get("x-caller", "anonymous")


async def place(body: Order, response: Response, who: str = Depends(caller)) -> Placed:
    response.headers["Location"] = f"/orders/{body.item}"
    return Placed(item=body.item, quantity=body.quantity, placed_by=who)


def _app() -> FastAPI:
    app = FastAPI()
    install_problem_handlers(app)
    router = APIRouter(prefix="/orders")
    router.add_api_route(
        "", place, methods=["POST"], status_code=201, response_model=Placed, route_class_override=CommandRoute
    )
    app.include_router(router)
    return app


async def _post(content: bytes, content_type: str = "application/json") -> httpx.Response:
    transport = httpx.ASGITransport(app=_app())
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        headers = {"Content-Type": content_type, "X-Caller": "clerk-7"}
        return await client.post("/orders", content=content, headers=headers)


async def test_a_valid_command_answers_with_the_status_headers_and_response_model() -> None:
    response = await _post(b'{"item": "helmet", "quantity": 2, "ignored": true}', "application/json; charset=utf-8")
    assert response.status_code == 201
    assert response.headers["location"] == "/orders/helmet"
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {"item": "helmet", "quantity": 2, "placed_by": "clerk-7"}


@pytest.mark.parametrize(
    ("content", "content_type", "fields"),
    [
        (b'{"item": "", "quantity": 0}', "application/json", {"body.item", "body.quantity"}),
        (b'{"item": ', "application/json", {"body"}),
        (b'{"item": "helmet", "quantity": 2}', "text/plain", {"body"}),
        (b'{"item": "helmet", "quantity": 2}', "text/json", {"body"}),
    ],
)
async def test_a_bad_body_is_a_422_problem_naming_the_field(
    content: bytes, content_type: str, fields: set[str]
) -> None:
    response = await _post(content, content_type)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert {e["field"] for e in response.json()["errors"]} == fields


async def _with_query(body: Order, page: int = 1) -> Placed:
    return Placed(item=body.item, quantity=page, placed_by="x")


def _blocking(body: Order) -> Placed:
    return Placed(item=body.item, quantity=1, placed_by="x")


async def _nested(who: str = Depends(caller)) -> str:
    return who


async def _with_nested_dependency(body: Order, who: str = Depends(_nested)) -> Placed:
    return Placed(item=body.item, quantity=1, placed_by=who)


async def _session(request: Request) -> AsyncIterator[str]:
    yield "session"


async def _with_yield_dependency(body: Order, session: str = Depends(_session)) -> Placed:
    return Placed(item=body.item, quantity=1, placed_by=session)


async def _token(request: Request, x_token: str = Header()) -> str:
    return x_token


async def _with_header_dependency(body: Order, token: str = Depends(_token)) -> Placed:
    return Placed(item=body.item, quantity=1, placed_by=token)


def _build(endpoint: object, **options: object) -> None:
    APIRouter().add_api_route(
        "/x", endpoint, methods=["POST"], response_model=Placed, route_class_override=CommandRoute, **options
    )  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "endpoint", [_with_query, _blocking, _with_nested_dependency, _with_yield_dependency, _with_header_dependency]
)
def test_an_endpoint_of_another_shape_is_refused_when_the_route_is_built(endpoint: object) -> None:
    with pytest.raises(TypeError, match="CommandRoute"):
        _build(endpoint)


def test_a_shaped_response_model_is_refused_when_the_route_is_built() -> None:
    with pytest.raises(TypeError, match="whole response_model"):
        _build(place, response_model_exclude_none=True)
