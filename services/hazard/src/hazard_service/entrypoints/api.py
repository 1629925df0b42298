"""Run the hazard API: python -m hazard_service.entrypoints.api"""

from hazard_service.config import HazardSettings
from hazard_service.main import create_app
from shared.entrypoints import serve_api

if __name__ == "__main__":
    serve_api(HazardSettings, create_app)
