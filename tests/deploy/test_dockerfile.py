"""deploy/Dockerfile: one image per service, built from the uv workspace, run unprivileged."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DOCKERFILE = REPO / "deploy" / "Dockerfile"


def instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with continuation lines joined and comments dropped."""
    logical, pending = [], ""
    for raw in DOCKERFILE.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not pending and (not line or line.startswith("#")):
            continue
        if line.startswith("#"):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        logical.append(pending + line)
        pending = ""
    result = []
    for line in logical:
        keyword, _, arguments = line.partition(" ")
        result.append((keyword.upper(), arguments.strip()))
    return result


def stages() -> list[list[tuple[str, str]]]:
    """The instructions of each build stage, in order."""
    found: list[list[tuple[str, str]]] = []
    for keyword, arguments in instructions():
        if keyword == "FROM":
            found.append([])
        if found:
            found[-1].append((keyword, arguments))
    return found


def global_args() -> dict[str, str]:
    """ARGs declared before the first FROM, with their defaults."""
    args = {}
    for keyword, arguments in instructions():
        if keyword == "FROM":
            break
        if keyword == "ARG":
            name, _, default = arguments.partition("=")
            args[name] = default
    return args


def test_every_stage_starts_from_python_311_slim() -> None:
    defaults = global_args()
    for stage in stages():
        image = stage[0][1].split()[0]
        image = re.sub(r"\$\{(\w+)\}", lambda m: defaults[m[1]], image)
        assert image == "python:3.11-slim"


def test_the_service_is_a_build_argument() -> None:
    using = [stage for stage in stages() if any("SERVICE" in args for kw, args in stage if kw != "ARG")]
    assert using
    for stage in using:
        # An ARG is visible only in the stage that declares it.
        assert ("ARG", "SERVICE") in stage


def test_dependencies_come_from_the_frozen_lock_for_that_service_only() -> None:
    runs = [args for kw, args in instructions() if kw == "RUN"]
    assert any(re.search(r"pip install .*\"uv==\$\{UV_VERSION\}\"", run) for run in runs)
    syncs = [run for run in runs if "uv sync" in run]
    assert syncs
    for run in syncs:
        assert re.search(r'uv sync --frozen --no-dev (--no-install-workspace )?--package "\$\{SERVICE\}-service"', run)


def test_the_image_runs_as_an_unprivileged_user() -> None:
    final = stages()[-1]
    users = [args for kw, args in final if kw == "USER"]
    assert users
    user = users[-1].split(":")[0]
    assert user not in {"root", "0"}
    assert user.isdigit(), "a numeric user lets Kubernetes verify runAsNonRoot"
    assert "SERVICE=${SERVICE}" in " ".join(args for kw, args in final if kw == "ENV")


def test_the_default_command_is_the_api() -> None:
    command = [args for kw, args in stages()[-1] if kw == "CMD"]
    assert command
    assert "entrypoints.api" in command[-1]


def test_the_host_virtualenv_never_enters_the_build_context() -> None:
    ignore = (REPO / "deploy" / "Dockerfile.dockerignore").read_text(encoding="utf-8").splitlines()
    assert "**/.venv" in ignore
