"""Run the supervisor worker: python -m supervisor_service.entrypoints.worker"""

from shared.entrypoints import serve_worker
from supervisor_service.config import SupervisorSettings
from supervisor_service.worker import build_worker

if __name__ == "__main__":
    serve_worker(SupervisorSettings, build_worker)
