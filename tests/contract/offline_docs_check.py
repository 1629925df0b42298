"""Offline docs check: each service's /docs and /redoc render in headless Chromium in a network namespace with
no route out (only loopback), so a page that needed a CDN would stay blank.

Not part of `make test` (a fresh machine has no Chromium); `make docs-offline-check` installs Debian's chromium
and runs it as root (it needs `unshare -n`).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from safety_stack.openapi_export import SERVICES, service_app

REPO = Path(__file__).resolve().parents[2]
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking")


def _serve(service: str) -> str:
    """Serve a service's app in a thread (its docs need no database); return its base URL."""
    import uvicorn

    app = service_app(service)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, lifespan="off", log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline, f"{service} did not start"
        time.sleep(0.05)
    return base


def _render(url: str, chromium: str) -> str:
    """The DOM of a page after its scripts ran."""
    command = [chromium, *CHROMIUM_FLAGS, "--virtual-time-budget=15000", "--dump-dom", url]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=True).stdout


def _offline_report() -> dict[str, object]:
    """Run inside the namespace: whether the internet is reachable and what each page rendered."""
    chromium = shutil.which("chromium") or "chromium"
    try:
        urllib.request.urlopen("https://cdn.jsdelivr.net/", timeout=3)
        online = True
    except OSError:
        online = False
    report: dict[str, object] = {"online": online}
    for service in SERVICES:
        base = _serve(service)
        document = json.loads(urllib.request.urlopen(f"{base}/openapi.json").read())
        swagger = _render(f"{base}/docs", chromium)
        redoc = _render(f"{base}/redoc", chromium)
        report[service] = {
            "title": document["info"]["title"],
            "operations": sum(len(methods) for methods in document["paths"].values()),
            "swagger_operations": len(re.findall(r'class="opblock-summary-path"', swagger)),
            "swagger_authorize": "btn authorize" in swagger,
            "redoc_title": document["info"]["title"] in redoc and "<h1" in redoc,
        }
    return report


@pytest.fixture(scope="module")
def offline_report() -> dict[str, object]:
    """What the pages rendered with the network cut off."""
    if shutil.which("chromium") is None:
        pytest.fail("chromium is not installed: run `make docs-offline-check`, which installs it")
    script = f"ip link set lo up && exec {sys.executable} {__file__}"
    result = subprocess.run(
        ["unshare", "-n", "sh", "-c", script],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert result.returncode == 0, result.stderr
    report: dict[str, object] = json.loads(result.stdout.strip().splitlines()[-1])
    return report


def test_the_namespace_has_no_internet(offline_report: dict[str, object]) -> None:
    assert offline_report["online"] is False


@pytest.mark.parametrize("service", SERVICES)
def test_docs_render_every_operation_offline(offline_report: dict[str, object], service: str) -> None:
    pages = offline_report[service]
    assert isinstance(pages, dict)
    assert pages["swagger_operations"] == pages["operations"] > 0
    assert pages["swagger_authorize"], "Swagger UI shows no Authorize button (no security scheme)"
    assert pages["redoc_title"]


if __name__ == "__main__":
    print(json.dumps(_offline_report()))
