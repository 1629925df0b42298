"""A 405's `Allow` names every method the path serves, not only those of the first route matching the path."""

from __future__ import annotations

from fastapi.routing import iter_route_contexts
from starlette.datastructures import MutableHeaders
from starlette.routing import compile_path
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.http.middleware import HttpMiddleware


def allowed_methods(app: ASGIApp, path: str) -> list[str]:
    """The methods of every route of the app whose path template matches the path."""
    methods: set[str] = set()
    for route in iter_route_contexts(getattr(app, "routes", [])):
        if route.methods and route.path_format and compile_path(route.path_format)[0].match(path):
            methods |= set(route.methods)
    return sorted(methods)


class AllowedMethodsMiddleware(HttpMiddleware):
    """Rewrites the Allow header of a 405 from all the routes sharing the request's path."""

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:

        async def send_with_allow(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] == 405:
                methods = allowed_methods(scope["app"], scope["path"])
                if methods:
                    MutableHeaders(raw=message.setdefault("headers", []))["allow"] = ", ".join(methods)
            await send(message)

        await self.app(scope, receive, send_with_allow)
