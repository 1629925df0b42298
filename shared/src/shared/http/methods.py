"""A 405's `Allow` names every method the path serves, not only those of the first route matching the path."""

from __future__ import annotations

from fastapi.routing import iter_route_contexts
from starlette.datastructures import MutableHeaders
from starlette.routing import compile_path
from starlette.types import ASGIApp, Message, Receive, Scope, Send


def allowed_methods(app: ASGIApp, path: str) -> list[str]:
    """The methods of every route of the app whose path template matches the path."""
    methods: set[str] = set()
    for route in iter_route_contexts(getattr(app, "routes", [])):
        if route.methods and route.path_format and compile_path(route.path_format)[0].match(path):
            methods |= set(route.methods)
    return sorted(methods)


class AllowedMethodsMiddleware:
    """Rewrites the Allow header of a 405 from all the routes sharing the request's path."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_allow(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] == 405:
                methods = allowed_methods(scope["app"], scope["path"])
                if methods:
                    MutableHeaders(raw=message.setdefault("headers", []))["allow"] = ", ".join(methods)
            await send(message)

        await self.app(scope, receive, send_with_allow)
