"""Run the enforcement worker: python -m enforcement_service.entrypoints.worker"""

from enforcement_service.config import EnforcementSettings
from enforcement_service.worker import build_worker
from shared.entrypoints import serve_worker

if __name__ == "__main__":
    serve_worker(EnforcementSettings, build_worker)
