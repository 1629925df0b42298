"""The import job table of the supervisor schema."""

from shared.imports import import_job_table
from supervisor_service.db import Base

IMPORT_JOB = import_job_table(Base.metadata)
