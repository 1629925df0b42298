"""Run the reporting worker: python -m reporting_service.entrypoints.worker"""

from reporting_service.config import ReportingSettings
from reporting_service.worker import build_worker
from shared.entrypoints import serve_worker

if __name__ == "__main__":
    serve_worker(ReportingSettings, build_worker)
