"""Every service's real migrations produce exactly the schema its models describe."""

from __future__ import annotations

import importlib

import pytest
from sqlalchemy.ext.asyncio import create_async_engine

from shared.db.tables import ServiceDatabase
from shared.testing.helpers import migrate, schema_drift
from shared.testing.plugin import Stack

# Expression indexes Alembic cannot compare, per service.
EXPRESSION_INDEXES = {"hazard": frozenset({"ix_hazard_deadline_key"})}


@pytest.mark.parametrize("service", ["supervisor", "hazard", "enforcement", "reporting"])
async def test_migrations_and_models_have_no_diff(stack: Stack, service: str) -> None:
    package = f"{service}_service"
    importlib.import_module(f"{package}.models")
    database: ServiceDatabase = importlib.import_module(f"{package}.db").DATABASE
    await migrate(package, stack.database_url)
    engine = create_async_engine(stack.database_url, pool_size=1)
    try:
        drift = await schema_drift(engine, database, ignore_indexes=EXPRESSION_INDEXES.get(service, frozenset()))
    finally:
        await engine.dispose()
    assert drift == []
