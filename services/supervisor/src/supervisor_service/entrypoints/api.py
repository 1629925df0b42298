"""Run the supervisor API: python -m supervisor_service.entrypoints.api"""

from shared.entrypoints import serve_api
from supervisor_service.config import SupervisorSettings
from supervisor_service.main import create_app

if __name__ == "__main__":
    serve_api(SupervisorSettings, create_app)
