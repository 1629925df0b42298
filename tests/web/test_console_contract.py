"""The console's typed client is generated from the services' current OpenAPI documents.

web/openapi/<service>.json must equal what `python -m safety_stack.openapi_export web/openapi` writes from the apps
as they are now, and web/src/api/generated/<service>.ts what `npm run gen:api` generates from those files. When an
API changes, regenerate both and commit them: the console's type check then shows every screen the change touches.
"""

from __future__ import annotations

import difflib
import shutil
import subprocess
from pathlib import Path

import pytest

from safety_stack.openapi_export import SERVICES, document_text

REPO = Path(__file__).resolve().parents[2]
WEB = REPO / "web"
REGENERATE = "python -m safety_stack.openapi_export web/openapi && (cd web && npm run gen:api)"
# The Makefile's target that runs `npm ci` in web/ when the lock changed (the one definition of that step).
NPM_INSTALLED = "web/node_modules/.make-npm-ci"
TIMEOUT_S = 420


def _difference(committed: str, current: str, name: str) -> str:
    lines = difflib.unified_diff(
        committed.splitlines(), current.splitlines(), f"committed {name}", f"current {name}", lineterm="", n=1
    )
    return "\n".join(list(lines)[:40])


@pytest.mark.parametrize("service", SERVICES)
def test_committed_openapi_document_is_the_apps_current_one(service: str) -> None:
    path = WEB / "openapi" / f"{service}.json"
    assert path.exists(), f"{path} is missing; run: {REGENERATE}"
    committed, current = path.read_text(encoding="utf-8"), document_text(service)
    unchanged = committed == current  # compared apart: pytest's own diff of two large texts says less
    assert unchanged, f"{path} is stale; run: {REGENERATE}\n" + _difference(committed, current, path.name)


@pytest.fixture(scope="module")
def openapi_typescript() -> Path:
    """The console's openapi-typescript, its npm packages installed by the Makefile's step when missing."""
    assert shutil.which("npm"), "the console's generated client is checked with Node.js 20 and npm on PATH"
    result = subprocess.run(
        ["make", "--no-print-directory", NPM_INSTALLED], cwd=REPO, capture_output=True, text=True, timeout=TIMEOUT_S
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return WEB / "node_modules" / ".bin" / "openapi-typescript"


@pytest.mark.parametrize("service", SERVICES)
def test_generated_client_types_are_those_of_the_committed_document(
    openapi_typescript: Path, service: str, tmp_path: Path
) -> None:
    generated = WEB / "src" / "api" / "generated" / f"{service}.ts"
    fresh = tmp_path / f"{service}.ts"
    result = subprocess.run(
        [str(openapi_typescript), str(Path("openapi") / f"{service}.json"), "-o", str(fresh)],
        cwd=WEB,
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    committed, current = generated.read_text(encoding="utf-8"), fresh.read_text(encoding="utf-8")
    unchanged = committed == current
    assert unchanged, f"{generated} is stale; run: {REGENERATE}\n" + _difference(committed, current, generated.name)
