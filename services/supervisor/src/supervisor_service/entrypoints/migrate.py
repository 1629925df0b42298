"""Apply the supervisor migrations: python -m supervisor_service.entrypoints.migrate"""

from shared.entrypoints import run_migrations
from supervisor_service.config import SupervisorSettings

if __name__ == "__main__":
    run_migrations(SupervisorSettings, "supervisor_service")
