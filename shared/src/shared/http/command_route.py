"""A FastAPI route class for the busiest JSON writes, answered without FastAPI's generic request handler."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.dependencies.models import Dependant
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from pydantic import BaseModel, TypeAdapter, ValidationError


class CommandRoute(APIRoute):
    """An `APIRoute` whose requests skip FastAPI's generic handler; the OpenAPI schema is the route's own.

    FastAPI's handler solves every dependency generically on each request (query, header and cookie
    parameters, cache keys, a sub-response), reads the content type through `email.message` and serialises
    through its response field. On hazard creation that was about a tenth of the API's instructions per
    request. This route serves one shape, checked when it is built:

        async def endpoint(body: SomeModel, response: Response, dep: X = Depends(f)) -> ResponseModel

    with a JSON body model, dependencies that take only the `Request`, an optional `Response` whose headers
    the answer carries (not its status: the route's `status_code` is the answer's), an `async` endpoint and a
    `response_model` it returns an instance of. A body that is not JSON or does not validate
    raises `RequestValidationError` with `body` locations, and dependencies raise their own errors, as
    through FastAPI's handler. Each dependency is called once per request, in order; `app.dependency_overrides`
    does not reach them.
    """

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        """The lean handler for this route's endpoint (TypeError if the endpoint has another shape)."""
        dependant = self.dependant
        endpoint = dependant.call
        if dependant.path_params or dependant.query_params or dependant.header_params or dependant.cookie_params:
            raise TypeError(f"{self.path}: a CommandRoute endpoint takes no path, query, header or cookie parameter")
        if len(dependant.body_params) != 1 or self.body_field is None:
            raise TypeError(f"{self.path}: a CommandRoute endpoint takes exactly one body model")
        body_name = dependant.body_params[0].name
        body_model = self.body_field.field_info.annotation
        if not (isinstance(body_model, type) and issubclass(body_model, BaseModel)):
            raise TypeError(f"{self.path}: the body of a CommandRoute endpoint is a pydantic model")
        dependencies: list[tuple[str, Callable[..., Any], str]] = []
        for sub in dependant.dependencies:
            if sub.name is None or not _takes_only_the_request(sub) or not inspect.iscoroutinefunction(sub.call):
                raise TypeError(f"{self.path}: a CommandRoute dependency is `async def f(request)`, without yield")
            dependencies.append((sub.name, sub.call, sub.request_param_name))  # type: ignore[arg-type]
        if self.response_model is None or not inspect.iscoroutinefunction(endpoint):
            raise TypeError(f"{self.path}: a CommandRoute endpoint is async and declares its response_model")
        shaping = (self.response_model_include, self.response_model_exclude)
        flags = (
            self.response_model_exclude_unset,
            self.response_model_exclude_defaults,
            self.response_model_exclude_none,
        )
        if any(option is not None for option in shaping) or any(flags):
            raise TypeError(f"{self.path}: a CommandRoute answers its whole response_model (no include or exclude)")
        response_name = dependant.response_param_name
        serialise = TypeAdapter(self.response_model).dump_json
        by_alias = bool(self.response_model_by_alias)
        status_code = self.status_code or 200

        async def handle(request: Request) -> Response:
            raw = await request.body()
            values: dict[str, Any] = {}
            # The dependencies first, as FastAPI's handler solves them: an unknown caller learns nothing of the body.
            for name, call, request_name in dependencies:
                values[name] = await call(**{request_name: request})
            values[body_name] = _json_body(body_model, request.headers.get("content-type", ""), raw)
            # Like FastAPI's sub-response: the endpoint sets headers on it, the answer carries them.
            sub_response = Response()
            if response_name is not None:
                values[response_name] = sub_response
            result = await endpoint(**values)
            headers = {k: v for k, v in sub_response.headers.items() if k != "content-length"}
            return Response(serialise(result, by_alias=by_alias), status_code, headers, media_type="application/json")

        return handle


def _takes_only_the_request(dependant: Dependant) -> bool:
    parameters = (
        dependant.path_params,
        dependant.query_params,
        dependant.header_params,
        dependant.cookie_params,
        dependant.body_params,
        dependant.dependencies,
    )
    special = (
        dependant.response_param_name,
        dependant.background_tasks_param_name,
        dependant.security_scopes_param_name,
        dependant.websocket_param_name,
        dependant.http_connection_param_name,
    )
    return dependant.request_param_name is not None and not any(parameters) and all(p is None for p in special)


def _json_body(model: type[BaseModel], content_type: str, raw: bytes) -> BaseModel:
    """The body as `model`; a RequestValidationError with `body` locations when it is not JSON or not valid."""
    media_type = content_type.partition(";")[0].strip().lower()
    if media_type != "application/json" and not (
        media_type.startswith("application/") and media_type.endswith("+json")
    ):
        raise RequestValidationError(
            [{"type": "content_type", "loc": ("body",), "msg": "the body must be JSON (application/json)"}]
        )
    try:
        return model.model_validate_json(raw)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        raise RequestValidationError([{**e, "loc": ("body", *e["loc"])} for e in errors], body=raw) from None
