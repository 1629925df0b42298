"""Bulk historical import: read CSV/XLSX files into rows, validate them, and run them through a service's own
use cases in one unit of work, with a job row that shows progress."""

from shared.imports.jobs import ImportJobRead, ImportJobs, create_import_job_table, import_job_table
from shared.imports.reading import Heading, ImportKind, ParsedFile, RawRow, UnreadableFile, read_file
from shared.imports.running import ImportRejected, RowFailed, run_import
from shared.imports.template import template_workbook

__all__ = [
    "Heading",
    "ImportJobRead",
    "ImportJobs",
    "ImportKind",
    "ImportRejected",
    "ParsedFile",
    "RawRow",
    "RowFailed",
    "UnreadableFile",
    "create_import_job_table",
    "import_job_table",
    "read_file",
    "run_import",
    "template_workbook",
]
