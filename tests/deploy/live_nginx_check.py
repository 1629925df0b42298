"""Live gateway check: the rendered nginx template in a real nginx routes every prefix to its owner.

Not part of `make test` (a fresh machine has no nginx); `make gateway-check` installs nginx and runs it.
"""

from __future__ import annotations

import http.server
import json
import re
import shutil
import socket
import struct
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_gateway import EXPECTED, TEMPLATE

BACKENDS = {"hazard": "127.0.0.2", "enforcement": "127.0.0.3", "supervisor": "127.0.0.4"}
DOWN = {"reporting": "127.0.0.5"}


class _DnsStub:
    """Answers A queries for <service>-api from a fixed table; anything else is NXDOMAIN."""

    def __init__(self, table: dict[str, str]) -> None:
        self.table = table
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while not self.stopped.is_set():
            try:
                query, client = self.sock.recvfrom(512)
            except TimeoutError:
                continue
            self.sock.sendto(self._answer(query), client)

    def _answer(self, query: bytes) -> bytes:
        labels, offset = [], 12
        while query[offset]:
            labels.append(query[offset + 1 : offset + 1 + query[offset]].decode())
            offset += 1 + query[offset]
        question_end = offset + 5
        qtype = struct.unpack(">H", query[offset + 1 : offset + 3])[0]
        address = self.table.get(".".join(labels))
        (query_id,) = struct.unpack(">H", query[:2])
        if address and qtype == 1:
            header = struct.pack(">HHHHHH", query_id, 0x8180, 1, 1, 0, 0)
            record = b"\xc0\x0c" + struct.pack(">HHIH", 1, 1, 5, 4) + socket.inet_aton(address)
            return header + query[12:question_end] + record
        header = struct.pack(">HHHHHH", query_id, 0x8183, 1, 0, 0, 0)
        return header + query[12:question_end]

    def close(self) -> None:
        self.stopped.set()
        self.thread.join()
        self.sock.close()


class _EchoHandler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path.endswith("/missing"):
            body = b'{"title":"from the service"}'
            self.send_response(404)
        else:
            body = json.dumps(
                {
                    "address": self.connection.getsockname()[0],
                    "path": self.path,
                    "request_id": self.headers.get("X-Request-ID"),
                }
            ).encode()
            self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        """Keep the test output quiet."""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def gateway(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The rendered template running in a real nginx; yields its base URL."""
    nginx = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/usr/local/sbin")
    if nginx is None:
        pytest.fail("nginx is not installed: run `make gateway-check`, which installs it")
    servers = []
    try:
        for address in BACKENDS.values():
            servers.append(http.server.ThreadingHTTPServer((address, 8000), _EchoHandler))
    except OSError as exc:
        for server in servers:
            server.server_close()
        pytest.fail(f"cannot listen on a loopback alias: {exc}")
    for server in servers:
        threading.Thread(target=server.serve_forever, daemon=True).start()
    dns = _DnsStub({f"{s}-api": a for s, a in {**BACKENDS, **DOWN}.items()})

    workdir = tmp_path_factory.mktemp("gateway")
    console = _console_build()
    port = _free_port()
    config = (
        TEMPLATE.read_text(encoding="utf-8")
        .replace("${NGINX_LOCAL_RESOLVERS}", f"127.0.0.1:{dns.port}")
        .replace("${GATEWAY_UPSTREAM_SUFFIX}", "")
        .replace("${GATEWAY_OIDC_ISSUER}", ISSUER)
        .replace("${GATEWAY_OIDC_CLIENT_ID}", "safety-console")
        .replace("listen 8080;", f"listen 127.0.0.1:{port};")
        .replace("/tmp/", f"{workdir}/")
        .replace("/usr/share/nginx/console", str(console))
    )
    (workdir / "nginx.conf").write_text(config, encoding="utf-8")
    process = subprocess.Popen(
        [nginx, "-e", "stderr", "-p", str(workdir), "-c", str(workdir / "nginx.conf")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=1).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    stderr = process.stderr.read().decode() if process.stderr else ""
                    pytest.fail(f"nginx did not start: {stderr}")
                time.sleep(0.05)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stderr:
            process.stderr.close()
        dns.close()
        shutil.rmtree(console, ignore_errors=True)
        for server in servers:
            server.shutdown()
            server.server_close()


ISSUER = "https://id.example.invalid/realms/safety"
INDEX = '<!doctype html><html lang="zh-CN"><div id="app"></div></html>'


def _console_build() -> Path:
    """A stand-in for web/dist: index.html and a hashed asset, where nginx's unprivileged workers may read them
    (not under pytest's temporary root, which only its owner may enter)."""
    folder = Path(tempfile.mkdtemp(prefix="gateway-console-"))
    (folder / "assets").mkdir()
    (folder / "index.html").write_text(INDEX, encoding="utf-8")
    (folder / "assets" / "index-3f2a.js").write_text("export {};", encoding="utf-8")
    folder.chmod(0o755)
    return folder


def _get(url: str, headers: dict[str, str] | None = None) -> tuple[int, str, str]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers["Content-Type"], response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers["Content-Type"], error.read().decode()


@pytest.mark.parametrize(("prefix", "owner"), sorted(EXPECTED.items()))
def test_nginx_routes_each_prefix_to_its_owner(gateway: str, prefix: str, owner: str) -> None:
    status, _, body = _get(f"{gateway}{prefix}/1?page=2", {"X-Request-ID": "req-1"})
    if owner in DOWN:
        assert status == 502
        return
    assert status == 200
    answer = json.loads(body)
    assert answer["address"] == BACKENDS[owner]
    assert answer["path"] == f"{prefix}/1?page=2"
    assert answer["request_id"] == "req-1"


def test_nginx_answers_unknown_paths_with_problem_json(gateway: str) -> None:
    for path in ("/api/v1/nothing", "/api/v1/casesx", "/api/v2/hazards", "/docs/nothing", "/assets/missing.js"):
        status, content_type, body = _get(gateway + path)
        assert (status, content_type) == (404, "application/problem+json")
        assert json.loads(body)["status"] == 404


def test_nginx_reports_a_down_service_as_bad_gateway(gateway: str) -> None:
    status, content_type, body = _get(f"{gateway}/api/v1/statistics")
    assert (status, content_type) == (502, "application/problem+json")
    assert json.loads(body)["status"] == 502


def test_nginx_passes_a_service_error_through(gateway: str) -> None:
    status, _, body = _get(f"{gateway}/api/v1/hazards/missing")
    assert status == 404
    assert json.loads(body) == {"title": "from the service"}


def test_nginx_mints_a_request_id_when_the_caller_sends_none(gateway: str) -> None:
    _, _, body = _get(f"{gateway}/api/v1/visits")
    assert re.fullmatch(r"[0-9a-f]{32}", json.loads(body)["request_id"])


@pytest.mark.parametrize(
    ("path", "owner", "upstream_path"),
    [
        ("/docs/hazard/", "hazard", "/docs"),
        ("/docs/enforcement/redoc", "enforcement", "/redoc"),
        ("/docs/supervisor/openapi.json", "supervisor", "/openapi.json"),
        ("/docs/hazard/docs-assets/swagger-ui.css", "hazard", "/docs-assets/swagger-ui.css"),
    ],
)
def test_nginx_serves_each_services_docs(gateway: str, path: str, owner: str, upstream_path: str) -> None:
    status, _, body = _get(gateway + path)
    assert status == 200
    answer = json.loads(body)
    assert (answer["address"], answer["path"]) == (BACKENDS[owner], upstream_path)


def test_nginx_lists_the_docs_and_refuses_other_docs_paths(gateway: str) -> None:
    status, content_type, body = _get(f"{gateway}/docs")
    assert (status, content_type) == (200, "text/html")
    for service in (*BACKENDS, *DOWN):
        assert f'href="/docs/{service}/"' in body
    assert _get(f"{gateway}/docs/hazard/metrics")[0] == 404
    assert _get(f"{gateway}/docs/billing/")[0] == 404
    request = urllib.request.Request(f"{gateway}/docs/hazard", method="GET")
    opener = urllib.request.build_opener(_NoRedirect)
    with pytest.raises(urllib.error.HTTPError) as redirect:
        opener.open(request, timeout=10)
    assert (redirect.value.code, redirect.value.headers["Location"]) == (301, "/docs/hazard/")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        """Let the redirect itself be the answer."""
        return None


def test_nginx_serves_the_console_with_fallback_to_its_index(gateway: str) -> None:
    for path in ("/", "/dashboard", "/hazards/42"):
        with urllib.request.urlopen(gateway + path, timeout=10) as response:
            assert (response.status, response.read().decode()) == (200, INDEX), path
            assert response.headers["Cache-Control"] == "no-cache"
            assert response.headers["Content-Type"].startswith("text/html")
    with urllib.request.urlopen(f"{gateway}/assets/index-3f2a.js", timeout=10) as asset:
        assert "immutable" in asset.headers["Cache-Control"]
        assert "javascript" in asset.headers["Content-Type"]


def test_nginx_gives_the_console_its_oidc_configuration(gateway: str) -> None:
    status, content_type, body = _get(f"{gateway}/config.json")
    assert (status, content_type) == (200, "application/json")
    assert json.loads(body)["auth"] == {
        "mode": "oidc",
        "issuer": ISSUER,
        "client_id": "safety-console",
        "scope": "openid profile",
    }
