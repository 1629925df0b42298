"""Alembic environment of the supervisor schema."""

import supervisor_service.models  # noqa: F401  (registers every table)
from shared.db.migrations import run_env
from supervisor_service.db import DATABASE, SCHEMA

run_env(DATABASE.metadata, SCHEMA)
