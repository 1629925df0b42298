"""One Alembic environment per service: version table in the service's schema, autogenerate
filtered to that schema, one migrator at a time (advisory lock)."""

from __future__ import annotations

import asyncio
import zlib
from importlib import resources
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import MetaData, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool


def alembic_config(package: str, database_url: str) -> Config:
    """Alembic configuration for a service package holding a `migrations` folder."""
    location = Path(str(resources.files(package) / "migrations"))
    config = Config()
    config.set_main_option("script_location", str(location))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def upgrade(package: str, database_url: str, revision: str = "head") -> None:
    """Apply a service's migrations (blocking; call from a thread inside an event loop)."""
    command.upgrade(alembic_config(package, database_url), revision)


def run_env(metadata: MetaData, schema: str) -> None:
    """Body of a service's migrations/env.py."""
    from alembic import context

    url = context.config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("sqlalchemy.url is not set")

    def include_name(name: str | None, type_: str, parent_names: object) -> bool:
        return name == schema if type_ == "schema" else True

    def configure(**kwargs: Any) -> None:
        context.configure(
            target_metadata=metadata,
            version_table_schema=schema,
            include_schemas=True,
            include_name=include_name,
            compare_type=True,
            **kwargs,
        )

    if context.is_offline_mode():
        configure(url=url, literal_binds=True)
        with context.begin_transaction():
            context.run_migrations()
        return

    def migrate(connection: Connection) -> None:
        connection.execute(text("SELECT pg_advisory_lock(:k)"), {"k": zlib.crc32(f"{schema}.migrate".encode())})
        connection.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
        connection.commit()
        configure(connection=connection)
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()

    async def run() -> None:
        engine = create_async_engine(url, poolclass=NullPool)
        try:
            async with engine.connect() as conn:
                await conn.run_sync(migrate)
        finally:
            await engine.dispose()

    asyncio.run(run())
