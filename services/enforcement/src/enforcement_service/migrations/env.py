"""Alembic environment of the enforcement schema."""

import enforcement_service.models  # noqa: F401  (registers every table)
from enforcement_service.db import DATABASE, SCHEMA
from shared.db.migrations import run_env

run_env(DATABASE.metadata, SCHEMA)
