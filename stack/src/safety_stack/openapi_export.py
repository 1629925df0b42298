"""The four services' OpenAPI documents, as their API processes build them, written to a folder.

`python -m safety_stack.openapi_export web/openapi` writes web/openapi/<service>.json, the documents the console's
typed client is generated from; tests/web/test_console_contract.py fails when the committed files fall behind.
"""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path
from typing import Any

from fastapi import FastAPI

SERVICES = ("hazard", "enforcement", "supervisor", "reporting")
# Any readable file serves as the development key: building the document verifies no token.
_UNUSED_KEY_FILE = Path(__file__)


def service_app(service: str) -> FastAPI:
    """A service's app as its API process builds it, with settings that reach nothing (none is needed)."""
    package = f"{service}_service"
    settings_cls = getattr(importlib.import_module(f"{package}.config"), f"{service.capitalize()}Settings")
    settings = settings_cls(
        database_url="postgresql+asyncpg://contract@127.0.0.1/unused",
        kafka_bootstrap_servers="127.0.0.1:9",
        auth_hs256_key_file=_UNUSED_KEY_FILE,
    )
    app: FastAPI = importlib.import_module(f"{package}.main").create_app(settings)
    return app


def document_text(service: str) -> str:
    """A service's OpenAPI document as the committed file holds it (stable key order, trailing newline)."""
    document: dict[str, Any] = service_app(service).openapi()
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def export(folder: Path) -> list[Path]:
    """Write every service's document into the folder; returns the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for service in SERVICES:
        path = folder / f"{service}.json"
        path.write_text(document_text(service), encoding="utf-8")
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    """Command line: the folder to write into (default web/openapi)."""
    args = sys.argv[1:] if argv is None else argv
    for path in export(Path(args[0] if args else "web/openapi")):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
