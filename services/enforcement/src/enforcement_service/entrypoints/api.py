"""Run the enforcement API: python -m enforcement_service.entrypoints.api"""

from enforcement_service.config import EnforcementSettings
from enforcement_service.main import create_app
from shared.entrypoints import serve_api

if __name__ == "__main__":
    serve_api(EnforcementSettings, create_app)
