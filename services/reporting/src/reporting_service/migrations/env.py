"""Alembic environment of the reporting schema."""

import reporting_service.models  # noqa: F401  (registers every table)
from reporting_service.db import DATABASE, SCHEMA
from shared.db.migrations import run_env

run_env(DATABASE.metadata, SCHEMA)
