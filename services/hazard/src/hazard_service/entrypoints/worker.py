"""Run the hazard worker: python -m hazard_service.entrypoints.worker"""

from hazard_service.config import HazardSettings
from hazard_service.worker import build_worker
from shared.entrypoints import serve_worker

if __name__ == "__main__":
    serve_worker(HazardSettings, build_worker)
