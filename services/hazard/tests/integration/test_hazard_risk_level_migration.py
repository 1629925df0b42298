"""Risk points stored before the one risk vocabulary read in it after migration 0005."""

from __future__ import annotations

import asyncio
import uuid

from alembic import command
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from hazard_service.config import HazardSettings
from shared.db.migrations import alembic_config, upgrade
from shared.testing.plugin import Stack


def _rerun_0005(database_url: str) -> None:
    """Run revision 0005 again over the database as it stands, then mark it at head again."""
    config = alembic_config("hazard_service", database_url)
    command.stamp(config, "0004", purge=True)
    upgrade("hazard_service", database_url, "0005")
    command.stamp(config, "head", purge=True)


async def test_migration_0005_gives_colour_coded_risk_points_the_contracts_levels(
    stack: Stack, settings: HazardSettings, engine: AsyncEngine
) -> None:
    colours = {"red": "major", "orange": "large", "yellow": "general", "blue": "low"}
    ids = {colour: uuid.uuid4() for colour in colours}
    async with engine.begin() as connection:
        for colour, point_id in ids.items():
            await connection.execute(
                text(
                    "INSERT INTO hazard.risk_point (id, enterprise_id, township_code, name, level, control_measures,"
                    " responsible_person, status, version, created_at, updated_at) VALUES (:id, :enterprise,"
                    " '431281101000', '配电房', :level, '[]', '周八', 'active', 1, now(), now())"
                ),
                {"id": point_id, "enterprise": uuid.uuid4(), "level": colour},
            )
    await asyncio.to_thread(_rerun_0005, stack.database_url)
    async with engine.connect() as connection:
        rows = await connection.execute(
            text("SELECT id, level FROM hazard.risk_point WHERE id = ANY(:ids)"), {"ids": list(ids.values())}
        )
        levels: dict[uuid.UUID, str] = {row.id: row.level for row in rows}
    assert {colour: levels[point_id] for colour, point_id in ids.items()} == colours
