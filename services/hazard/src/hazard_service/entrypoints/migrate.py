"""Apply the hazard migrations: python -m hazard_service.entrypoints.migrate"""

from hazard_service.config import HazardSettings
from shared.entrypoints import run_migrations

if __name__ == "__main__":
    run_migrations(HazardSettings, "hazard_service")
