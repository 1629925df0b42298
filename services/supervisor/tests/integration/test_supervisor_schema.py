"""The migrated schema matches the models exactly (no autogenerate diff)."""

from __future__ import annotations

from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.engine import Connection

import supervisor_service.models  # noqa: F401  (registers every table)
from shared.db import create_engine
from supervisor_service.config import SupervisorSettings
from supervisor_service.db import DATABASE, SCHEMA


def _diff(connection: Connection) -> list[Any]:
    context = MigrationContext.configure(
        connection,
        opts={
            "include_schemas": True,
            "include_name": lambda name, type_, _: name == SCHEMA if type_ == "schema" else name != "alembic_version",
            "compare_type": True,
        },
    )
    return list(compare_metadata(context, DATABASE.metadata))


async def test_migrations_and_models_have_no_diff(settings: SupervisorSettings) -> None:
    engine = create_engine(settings, pool_size=1)
    try:
        async with engine.connect() as conn:
            assert await conn.run_sync(_diff) == []
    finally:
        await engine.dispose()
