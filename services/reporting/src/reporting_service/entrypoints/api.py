"""Run the reporting API: python -m reporting_service.entrypoints.api"""

from reporting_service.config import ReportingSettings
from reporting_service.main import create_app
from shared.entrypoints import serve_api

if __name__ == "__main__":
    serve_api(ReportingSettings, create_app)
