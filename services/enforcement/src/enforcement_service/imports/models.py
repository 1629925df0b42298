"""The import job table of the enforcement schema."""

from enforcement_service.db import Base
from shared.imports import import_job_table

IMPORT_JOB = import_job_table(Base.metadata)
