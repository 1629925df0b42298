"""Alembic environment of the hazard schema."""

import hazard_service.models  # noqa: F401  (registers every table)
from hazard_service.db import DATABASE, SCHEMA
from shared.db.migrations import run_env

run_env(DATABASE.metadata, SCHEMA)
