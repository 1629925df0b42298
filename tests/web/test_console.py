"""The web console (web/) as `make test` checks it: type check, unit tests, the production build (within its size
budget, with no trace of the development sign-in), the embedded build, and the Playwright end-to-end tests in
headless Chromium against a real `safety up --demo` serving that build.

Node.js and npm must be on PATH (the test fails saying so, never skips). The npm packages are installed with
`npm ci` into web/node_modules when the lock file changed since the last install (the same stamp `make web`
keeps; download cache in .tools/npm/web), never with a browser download: Playwright drives Debian's Chromium.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from safety_stack.testing import StackProcess, free_offset, safety_up

REPO = Path(__file__).resolve().parents[2]
WEB = REPO / "web"
NPM_CACHE = REPO / ".tools" / "npm" / "web"
INSTALLED = WEB / "node_modules" / ".make-npm-ci"  # the stamp `make web` keeps too
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
STEP_TIMEOUT_S = 420
SERVICES = ("supervisor", "hazard", "enforcement", "reporting")
# npm ci, a build or the stack's start can each take minutes on a busy machine; the first test also installs.
pytestmark = pytest.mark.timeout(900)


def _run(*command: str, env: dict[str, str] | None = None, timeout_s: float = STEP_TIMEOUT_S) -> str:
    """Run a command in web/ and return its output; fail showing the output when it exits non-zero."""
    result = subprocess.run(
        list(command),
        cwd=WEB,
        env={**os.environ, "PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD": "1", **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout_s,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, f"{' '.join(command)} exited with {result.returncode}:\n{output}"
    return output


@pytest.fixture(scope="module")
def npm() -> str:
    """npm, with the console's packages installed at the versions of its lock file."""
    npm = shutil.which("npm")
    assert npm, "the web console's tests need Node.js 20 and npm on PATH"
    assert shutil.which("node"), "the web console's tests need Node.js 20 and npm on PATH"
    lock = WEB / "package-lock.json"
    assert lock.exists(), "web/package-lock.json is missing"
    if not INSTALLED.exists() or INSTALLED.stat().st_mtime < lock.stat().st_mtime:
        _run(npm, "ci", "--no-audit", "--no-fund", "--cache", str(NPM_CACHE))
        INSTALLED.touch()
    return npm


@pytest.fixture(scope="module")
def chromium() -> str:
    """Debian's Chromium, installed from the distribution's packages when missing."""
    if not Path(CHROMIUM).exists():
        for command in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "chromium"]):
            subprocess.run(command, check=True, capture_output=True, timeout=STEP_TIMEOUT_S)
    assert Path(CHROMIUM).exists(), f"no Chromium at {CHROMIUM} (set CHROMIUM_PATH)"
    return CHROMIUM


def test_the_console_type_checks(npm: str) -> None:
    _run(npm, "run", "typecheck")


def test_the_unit_tests_pass(npm: str) -> None:
    _run(npm, "run", "test:unit")


def test_the_production_build_fits_its_budget_and_has_no_development_sign_in(npm: str) -> None:
    _run(npm, "run", "build")
    _run(npm, "run", "size")
    dist = WEB / "dist"
    traces = [
        str(path.relative_to(dist)) for path in dist.rglob("*") if path.is_file() and b"/dev/token" in path.read_bytes()
    ]
    assert not traces, f"the production build carries the development sign-in in {traces}"


@pytest.fixture(scope="module")
def console_stack(npm: str) -> Iterator[StackProcess]:
    """`safety up --demo` on a data folder of its own, serving the embedded build of the console."""
    _run(npm, "run", "build:embedded")
    # Not under pytest's tmp_path: PostgreSQL runs as a system user of its own when started as root, and must
    # traverse the folders above its data, which pytest closes to other users.
    with tempfile.TemporaryDirectory(prefix="safety-console-", ignore_cleanup_errors=True) as folder:
        data_dir = Path(folder)
        data_dir.chmod(0o755)
        env = {"SAFETY_CONSOLE_DIST": str(WEB / "dist-embedded")}
        with safety_up(data_dir, free_offset(7000, 7900), demo=True, env=env) as stack:
            _wait_ready(stack)
            yield stack


def _wait_ready(stack: StackProcess) -> None:
    """The console answers its built page and every API is ready (`safety up` said so; checked once more)."""
    assert httpx.get(f"{stack.console}/", timeout=10).status_code == 200, "the console serves no build"
    for service in SERVICES:
        assert httpx.get(f"{stack.api(service)}/readyz", timeout=10).status_code == 200, service


def test_the_end_to_end_tests_pass_against_a_running_stack(
    npm: str, chromium: str, console_stack: StackProcess
) -> None:
    npx = str(Path(npm).with_name("npx"))
    output = _run(
        npx,
        "playwright",
        "test",
        env={"CONSOLE_URL": console_stack.console, "CHROMIUM_PATH": chromium},
        timeout_s=600,
    )
    assert " passed" in output, output
