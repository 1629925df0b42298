"""Apply the reporting migrations: python -m reporting_service.entrypoints.migrate"""

from reporting_service.config import ReportingSettings
from shared.entrypoints import run_migrations

if __name__ == "__main__":
    run_migrations(ReportingSettings, "reporting_service")
