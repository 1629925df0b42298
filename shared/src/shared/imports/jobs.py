"""The import job: one row per import run, with its progress, readable while the run's own transaction is still
open (progress is written in short transactions of its own)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

import sqlalchemy as sa
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    func,
    literal,
    select,
    tuple_,
    update,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from shared import clock
from shared.http.list_rows import count_of, moment_cursor, moment_position
from shared.http.pagination import Page, PageParams

JobStatus = Literal["running", "succeeded", "validated", "failed"]
JOB_STATUS_LABELS = {"running": "导入中", "succeeded": "已导入", "validated": "已校验（试导入）", "failed": "导入失败"}
"""The Chinese label of each job status, for the services' labels (shared.contracts.labels)."""
FORMAT_LABELS = {"csv": "CSV 表格", "xlsx": "Excel 表格"}
"""The Chinese label of each file format an import reads."""


def import_job_table(metadata: MetaData) -> Table:
    """The `import_job` table of a service's schema."""
    return Table(
        "import_job",
        metadata,
        Column("id", UUID(as_uuid=True), primary_key=True),
        Column("kind", String(32), nullable=False),
        Column("status", String(16), nullable=False),
        Column("dry_run", Boolean, nullable=False),
        Column("format", String(8), nullable=False),
        Column("file_name", String(255)),
        Column("total", Integer, nullable=False),
        Column("done", Integer, nullable=False, server_default=sa.text("0")),
        Column("counts", JSONB, nullable=False, server_default=sa.text("'{}'::jsonb")),
        Column("errors", JSONB, nullable=False, server_default=sa.text("'[]'::jsonb")),
        Column("actor", String(128), nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
        Column("finished_at", DateTime(timezone=True)),
    )


def create_import_job_table(schema: str) -> None:
    """Migration step: create `import_job` in `schema` (revision 1 of its shape)."""
    from alembic import op

    op.create_table(
        "import_job",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("dry_run", sa.Boolean(), nullable=False),
        sa.Column("format", sa.String(length=8), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=True),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("done", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("counts", JSONB(astext_type=sa.Text()), server_default=sa.text("'{}'::jsonb"), nullable=False),
        sa.Column("errors", JSONB(astext_type=sa.Text()), server_default=sa.text("'[]'::jsonb"), nullable=False),
        sa.Column("actor", sa.String(length=128), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_import_job"),
        schema=schema,
    )


class ImportProblem(BaseModel):
    """One problem of an import: `rows[N].field` names the spreadsheet row (heading = row 1) and column."""

    field: str
    reason: str


class ImportJobRead(BaseModel):
    """An import run: what it read, how far it got, and how it ended."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    kind: str
    status: JobStatus = Field(
        description="running; succeeded (applied); validated (a dry run found nothing wrong); failed (nothing written)."
    )
    dry_run: bool
    format: Literal["csv", "xlsx"]
    file_name: str | None
    total: int = Field(description="Data rows in the file.")
    done: int = Field(description="Rows processed so far.")
    counts: dict[str, int] = Field(description="Rows by outcome, e.g. created, updated, unchanged.")
    errors: list[ImportProblem]
    actor: str
    created_at: datetime
    finished_at: datetime | None


class ImportJobs:
    """A service's import jobs: started and advanced in transactions of their own, so a reader sees progress
    while the import's unit of work is still open; finished inside that unit of work."""

    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession], table: Table) -> None:
        self.sessionmaker = sessionmaker
        self.table = table

    async def start(
        self, *, kind: str, dry_run: bool, format: str, file_name: str | None, total: int, actor: str
    ) -> uuid.UUID:
        """Insert a running job and commit it at once."""
        job_id = uuid.uuid4()
        values = {"id": job_id, "kind": kind, "status": "running", "dry_run": dry_run, "format": format}
        values |= {"file_name": (file_name or "")[:255] or None, "total": total, "done": 0, "actor": actor}
        async with self.sessionmaker() as session, session.begin():
            await session.execute(self.table.insert().values(values))
        return job_id

    async def advance(self, job_id: uuid.UUID, done: int) -> None:
        """Record how many rows are done (its own short transaction)."""
        async with self.sessionmaker() as session, session.begin():
            await session.execute(update(self.table).where(self.table.c.id == job_id).values(done=done))

    async def finish(
        self,
        job_id: uuid.UUID,
        status: JobStatus,
        *,
        done: int,
        counts: dict[str, int] | None = None,
        errors: list[dict[str, Any]] | None = None,
        session: AsyncSession | None = None,
    ) -> None:
        """Mark the job ended: in `session` (the import's own transaction) or in a transaction of its own."""
        values = {"status": status, "done": done, "counts": counts or {}, "errors": errors or []}
        statement = update(self.table).where(self.table.c.id == job_id).values(**values, finished_at=clock.now())
        if session is not None:
            await session.execute(statement)
            return
        async with self.sessionmaker() as own, own.begin():
            await own.execute(statement)

    async def page(self, session: AsyncSession, *, kind: str, page: PageParams) -> Page[ImportJobRead]:
        """A page of the jobs of a kind, newest first (keyset on created_at, id), with their total when asked."""
        columns = self.table.c
        matching = select(self.table).where(columns.kind == kind)
        statement = matching
        if page.cursor:
            at, last = moment_position(page.cursor)
            position = tuple_(literal(at, columns.created_at.type), literal(last, columns.id.type))
            statement = statement.where(tuple_(columns.created_at, columns.id) < position)
        newest_first = statement.order_by(columns.created_at.desc(), columns.id.desc()).limit(page.limit + 1)
        jobs = [ImportJobRead.model_validate(dict(row)) for row in (await session.execute(newest_first)).mappings()]
        total = await count_of(session, matching) if page.include_total else None
        cursor = moment_cursor(jobs, page.limit, "created_at")
        return Page[ImportJobRead](items=jobs[: page.limit], next_cursor=cursor, total=total)

    async def get(self, session: AsyncSession, job_id: uuid.UUID, *, kind: str | None = None) -> ImportJobRead | None:
        """One job (of `kind`, when given), or None."""
        statement = select(self.table).where(self.table.c.id == job_id)
        if kind is not None:
            statement = statement.where(self.table.c.kind == kind)
        row = (await session.execute(statement)).mappings().first()
        return ImportJobRead.model_validate(dict(row)) if row is not None else None
