"""Remembered parameter analysis: requests read their query, header and path parameters exactly as before."""

from __future__ import annotations

from typing import Annotated

from fastapi import FastAPI, Header, Query
from fastapi.dependencies import utils
from fastapi.testclient import TestClient
from pydantic import BaseModel

from shared.http import param_analysis


class Window(BaseModel):
    """A query parameter model."""

    first: int = 0
    last: int = 10


def _app() -> FastAPI:
    param_analysis.install()
    app = FastAPI()

    @app.get("/things/{thing_id}")
    async def things(
        thing_id: int,
        count: int,
        tags: Annotated[list[str], Query()] = [],  # noqa: B006  (FastAPI copies defaults)
        since: Annotated[str | None, Query(alias="from")] = None,
        x_trace: Annotated[str | None, Header()] = None,
    ) -> dict[str, object]:
        return {"id": thing_id, "count": count, "tags": tags, "since": since, "trace": x_trace}

    @app.get("/windows")
    async def windows(window: Annotated[Window, Query()]) -> Window:
        return window

    return app


def test_parameters_read_the_same_on_every_request() -> None:
    client = TestClient(_app())
    for _ in range(3):  # the first request fills the caches, the next ones read them
        answer = client.get(
            "/things/7",
            params=[("count", "2"), ("tags", "a"), ("tags", "b"), ("from", "2024")],
            headers={"X-Trace": "t"},
        )
        assert answer.status_code == 200
        assert answer.json() == {"id": 7, "count": 2, "tags": ["a", "b"], "since": "2024", "trace": "t"}
        bare = client.get("/things/7", params={"count": "1"})
        assert bare.json() == {"id": 7, "count": 1, "tags": [], "since": None, "trace": None}
        assert client.get("/windows", params={"last": "3"}).json() == {"first": 0, "last": 3}


def test_invalid_and_missing_parameters_are_still_422() -> None:
    client = TestClient(_app())
    for _ in range(2):
        missing = client.get("/things/7")
        assert missing.status_code == 422
        assert missing.json()["detail"][0]["loc"] == ["query", "count"]
        wrong = client.get("/things/x", params={"count": "n"})
        assert {tuple(error["loc"]) for error in wrong.json()["detail"]} == {("path", "thing_id"), ("query", "count")}


def test_a_remembered_alias_list_cannot_be_changed_by_a_caller() -> None:
    route = _app().routes[-2]
    field = route.dependant.query_params[0]  # type: ignore[attr-defined]
    utils._get_param_aliases(field).clear()
    assert utils._get_param_aliases(field)


def test_install_wraps_each_helper_once() -> None:
    param_analysis.install()
    wrapped = [getattr(utils, name) for name in param_analysis.HELPERS]
    param_analysis.install()
    assert [getattr(utils, name) for name in param_analysis.HELPERS] == wrapped
    assert all(getattr(helper, "__wrapped__", None) is not None for helper in wrapped)
