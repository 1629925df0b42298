"""The web console of the embedded stack: its built files, `/config.json` and the development sign-in.

`safety up` runs this as a supervised child on port 8000 + SAFETY_PORT_OFFSET, serving web/dist-embedded
(`make web` builds it). The development sign-in (`GET /dev/users`, `POST /dev/token`) exists only in this
module: the production console is served by the gateway's nginx with OIDC sign-in (deploy/gateway).

    python -m safety_stack.console --port 8000 --dist web/dist-embedded
"""

from __future__ import annotations

import argparse
import json
import os
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route

from safety_stack.services import SERVICES, port_offset
from shared.auth.principal import Role
from shared.auth.tokens import ensure_signing_key, mint_token

CONSOLE_BASE_PORT = 8000
TOKEN_TTL_SECONDS = 8 * 3600
CITY = "431281000000"
# Two townships of 洪江市 with many demo enterprises (黔城镇, 安江镇), and a township supervisor of 黔城镇 with
# active assignments there; the demo enterprise user is the first enterprise assigned to that supervisor.
TOWNSHIP = "431281101000"
TOWNSHIP_2 = "431281102000"
DEMO_SUPERVISOR_CODE = "SUP-026"
# Built files are named by their content hash: a browser may keep them; index.html must be asked for each time.
IMMUTABLE = "public, max-age=31536000, immutable"
NO_CACHE = "no-cache"

MISSING_DIST_PAGE = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>控制台尚未构建 / Console not built</title></head>
<body>
<main>
<h1>控制台尚未构建</h1>
<p>在仓库根目录运行 <code>make web</code>（需要 Node.js 20 和 npm），然后刷新本页。接口服务已在运行。</p>
<h1 lang="en">The web console has not been built</h1>
<p lang="en">Run <code>make web</code> in the repository root (needs Node.js 20 and npm), then reload this page.
The APIs are running meanwhile.</p>
<p>{dist}</p>
</main>
</body></html>
"""


def console_port() -> int:
    """The console's port in this stack."""
    return CONSOLE_BASE_PORT + port_offset()


def console_origins() -> list[str]:
    """The origins a browser shows for the console, which the APIs must allow (CORS)."""
    return [f"http://127.0.0.1:{console_port()}", f"http://localhost:{console_port()}"]


def default_dist() -> Path:
    """The embedded build of the console (SAFETY_CONSOLE_DIST moves it)."""
    return Path(os.environ.get("SAFETY_CONSOLE_DIST", "web/dist-embedded")).resolve()


@dataclass(frozen=True)
class DevUser:
    """A person the development sign-in offers, with the claims of their token."""

    id: str
    name: str
    role: Role
    role_label: str
    jurisdictions: tuple[str, ...] = ()
    department: str | None = None
    enterprise_id: str | None = None
    supervisor_id: str | None = None

    def listing(self) -> dict[str, Any]:
        """How `GET /dev/users` shows the user."""
        return {
            "id": self.id,
            "name": self.name,
            "role": self.role.value,
            "role_label": self.role_label,
            "jurisdictions": list(self.jurisdictions),
            "department": self.department,
        }

    def token(self, key: bytes) -> str:
        """A development token for the user, signed with the stack's key."""
        return mint_token(
            key,
            subject=f"console-{self.id}",
            roles=[self.role.value],
            jurisdictions=list(self.jurisdictions),
            department=self.department,
            name=self.name,
            enterprise_id=self.enterprise_id,
            supervisor_id=self.supervisor_id,
            ttl_seconds=TOKEN_TTL_SECONDS,
        )


def dev_users() -> list[DevUser]:
    """The development sign-in's users; the supervisor and the enterprise are rows of the demo data of 洪江市."""
    seed = import_module("supervisor_service.seed")
    data = seed.demo_dataset()
    supervisor = next(s for s in data["supervisors"] if s["code"] == DEMO_SUPERVISOR_CODE)
    credit_code = min(
        (a["id"], a["enterprise_credit_code"])
        for a in data["assignments"]
        if a["supervisor_code"] == DEMO_SUPERVISOR_CODE and a["end_date"] is None
    )[1]
    enterprise = next(e for e in data["items"] if e["credit_code"] == credit_code)
    return [
        DevUser("city-admin", "张明（市应急管理局）", Role.CITY_ADMIN, "市级管理员", (CITY,), "yjj"),
        DevUser(
            "department-officer", "李华（市住房和城乡建设局）", Role.DEPARTMENT_OFFICER, "行业部门", (CITY,), "zjj"
        ),
        DevUser("township-officer", "王芳（黔城镇）", Role.TOWNSHIP_OFFICER, "乡镇干部", (TOWNSHIP,)),
        DevUser("township-officer-2", "赵强（安江镇）", Role.TOWNSHIP_OFFICER, "乡镇干部", (TOWNSHIP_2,)),
        DevUser(
            "supervisor",
            f"{supervisor['name']}（派驻监督员）",
            Role.SUPERVISOR,
            "派驻监督员",
            supervisor_id=str(seed.demo_id("supervisor", supervisor["code"])),
        ),
        DevUser(
            "enterprise",
            f"安全管理员（{enterprise['name']}）",
            Role.ENTERPRISE,
            "企业",
            enterprise_id=str(seed.demo_id("enterprise", credit_code)),
        ),
        DevUser("leader", "刘建国（市人民政府分管领导）", Role.LEADER, "市领导", (CITY,)),
    ]


def console_config(host: str) -> dict[str, Any]:
    """`/config.json`: the four APIs of this stack, on the host the browser reached the console by."""
    return {
        "services": {s.name: f"http://{host}:{s.api_port}" for s in SERVICES},
        "auth": {"mode": "dev"},
    }


def create_console_app(*, dist: Path, signing_key: bytes, users: list[DevUser]) -> Starlette:
    """The console's ASGI app: the built files with SPA fallback, its config and the development sign-in."""
    by_id = {user.id: user for user in users}
    root = dist.resolve()

    async def config(request: Request) -> Response:
        host = request.url.hostname or "127.0.0.1"
        return JSONResponse(console_config(host), headers={"Cache-Control": "no-store"})

    async def list_users(_: Request) -> Response:
        return JSONResponse([user.listing() for user in users])

    async def token(request: Request) -> Response:
        try:
            body = await request.json()
        except ValueError:
            body = None
        if not isinstance(body, dict) or not isinstance(body.get("id"), str):
            return JSONResponse({"detail": 'send {"id": "<user id>"}'}, status_code=422)
        user = by_id.get(body["id"])
        if user is None:
            return JSONResponse({"detail": f"unknown user {body['id']!r}"}, status_code=404)
        return JSONResponse(
            {"access_token": user.token(signing_key), "expires_in": TOKEN_TTL_SECONDS},
            headers={"Cache-Control": "no-store"},
        )

    async def healthz(_: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def files(request: Request) -> Response:
        index = root / "index.html"
        if not index.is_file():
            page = MISSING_DIST_PAGE.replace("{dist}", str(root))
            return HTMLResponse(page, status_code=503, headers={"Cache-Control": NO_CACHE})
        wanted = (root / request.path_params["path"]).resolve()
        if wanted != root and wanted.is_relative_to(root) and wanted.is_file():
            immutable = wanted.is_relative_to(root / "assets")
            return FileResponse(wanted, headers={"Cache-Control": IMMUTABLE if immutable else NO_CACHE})
        # Anything else is a route of the single-page app, which index.html resolves in the browser.
        return FileResponse(index, headers={"Cache-Control": NO_CACHE})

    return Starlette(
        routes=[
            Route("/config.json", config),
            Mount("/dev", routes=[Route("/users", list_users), Route("/token", token, methods=["POST"])]),
            Route("/healthz", healthz),
            Route("/{path:path}", files, methods=["GET", "HEAD"]),
        ]
    )


def main(argv: list[str] | None = None) -> None:
    """Serve the console of the embedded stack."""
    import uvicorn

    from safety_stack.cli import data_dir

    parser = argparse.ArgumentParser(prog="python -m safety_stack.console", description=__doc__)
    parser.add_argument("--port", type=int, default=console_port())
    parser.add_argument("--dist", type=Path, default=default_dist())
    args = parser.parse_args(argv)
    app = create_console_app(
        dist=args.dist, signing_key=ensure_signing_key(data_dir() / "signing.key"), users=dev_users()
    )
    print(json.dumps({"console": f"http://127.0.0.1:{args.port}", "dist": str(args.dist)}, ensure_ascii=False))
    uvicorn.run(app, host="127.0.0.1", port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
