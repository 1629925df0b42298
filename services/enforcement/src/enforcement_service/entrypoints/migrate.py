"""Apply the enforcement migrations: python -m enforcement_service.entrypoints.migrate"""

from enforcement_service.config import EnforcementSettings
from shared.entrypoints import run_migrations

if __name__ == "__main__":
    run_migrations(EnforcementSettings, "enforcement_service")
