"""Running an import: every row validated to its model, then applied through the service's own use case in ONE
unit of work, so one failing row rolls everything back; a dry run applies and rolls back."""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from pydantic import BaseModel
from pydantic import ValidationError as PydanticValidationError

from shared.auth.principal import Principal
from shared.db import UnitOfWork
from shared.errors import AppError, ValidationFailed
from shared.imports.jobs import ImportJobRead, ImportJobs
from shared.imports.reading import ImportKind, ParsedFile

RowModel = TypeVar("RowModel", bound=BaseModel)
# Rows between two progress writes: often enough to watch, rarely enough to cost little.
PROGRESS_EVERY = 20


class ImportRejected(ValidationFailed):
    """Some rows are invalid; nothing was imported. `errors` name each row and field as rows[N].field."""

    type_slug = "import-rejected"
    title = "Import rejected"


class RowFailed(ValidationFailed):
    """A row the use case accepts in general but not in this import (e.g. it refers to an unknown record)."""


def _problem(line: int, field: str | None, reason: str) -> dict[str, str]:
    return {"field": f"rows[{line}].{field}" if field else f"rows[{line}]", "reason": reason}


def _validation_problems(line: int, exc: PydanticValidationError) -> list[dict[str, str]]:
    return [_problem(line, ".".join(str(p) for p in e["loc"]) or None, str(e["msg"])) for e in exc.errors()]


def _app_problems(line: int, exc: AppError) -> list[dict[str, str]]:
    named = [e for e in exc.errors or [] if e.get("field")]
    if named:
        return [_problem(line, str(e["field"]), str(e.get("reason") or exc.detail)) for e in named]
    return [_problem(line, None, exc.detail)]


def validate_rows(kind: ImportKind[RowModel], parsed: ParsedFile) -> tuple[list[tuple[int, RowModel]], list[dict]]:
    """Every row as its model, and the problems of the rows that are not."""
    valid: list[tuple[int, RowModel]] = []
    problems: list[dict[str, str]] = []
    for row in parsed.rows:
        try:
            valid.append((row.line, kind.model.model_validate(row.values)))
        except PydanticValidationError as exc:
            problems.extend(_validation_problems(row.line, exc))
    return valid, problems


async def run_import(
    *,
    uow: UnitOfWork,
    jobs: ImportJobs,
    actor: Principal,
    kind: ImportKind[RowModel],
    parsed: ParsedFile,
    file_name: str | None,
    dry_run: bool,
    apply: Callable[[UnitOfWork, RowModel], Awaitable[str]],
) -> ImportJobRead:
    """Validate, then apply each row with `apply` (which returns the row's outcome, e.g. "created") in one unit of
    work; commit only when every row succeeded and this is no dry run. Raises ImportRejected naming every bad row."""
    rows, problems = validate_rows(kind, parsed)
    total = len(parsed.rows)
    job_id = await jobs.start(
        kind=kind.name, dry_run=dry_run, format=parsed.format, file_name=file_name, total=total, actor=actor.subject
    )
    counts: Counter[str] = Counter()
    if not problems:
        async with uow:
            for done, (line, row) in enumerate(rows, start=1):
                try:
                    # A savepoint per row: a rejected row leaves the transaction usable, so every bad row is found.
                    async with uow.session.begin_nested():
                        # The row's use case runs as if alone; its commit only writes its events into this import.
                        row_uow = uow.joined()
                        async with row_uow:
                            counts[await apply(row_uow, row)] += 1
                            await row_uow.commit()
                except AppError as exc:
                    problems.extend(_app_problems(line, exc))
                if done % PROGRESS_EVERY == 0:
                    await jobs.advance(job_id, done)
            if not problems and not dry_run:
                await jobs.finish(job_id, "succeeded", done=total, counts=dict(counts), session=uow.session)
                await uow.commit()
    if problems:
        await jobs.finish(job_id, "failed", done=total, errors=problems)
        raise ImportRejected(
            f"{_rows_named(problems)} of {total} rows are invalid; nothing was imported",
            errors=problems,
            job_id=str(job_id),
        )
    if dry_run:
        await jobs.finish(job_id, "validated", done=total, counts=dict(counts))
    return await _read(jobs, job_id)


def _rows_named(problems: list[dict[str, Any]]) -> int:
    return len({p["field"].split("]", 1)[0] for p in problems})


async def _read(jobs: ImportJobs, job_id: uuid.UUID) -> ImportJobRead:
    async with jobs.sessionmaker() as session:
        job = await jobs.get(session, job_id)
    assert job is not None, "the job row was inserted before the import ran"
    return job
