"""Replay the event log into fresh projections and report whether they equal the live ones.

    python -m reporting_service.entrypoints.rebuild [--replace] [--batch-size N]

Prints one JSON object; exits 0 when equal (or replaced), 1 when the projections differ.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import sys

import asyncpg

from reporting_service.config import ReportingSettings
from reporting_service.projections.service import Projector
from reporting_service.rebuild.service import RebuildReport, rebuild
from reporting_service.rules import supervision_rules
from shared import clock
from shared.logging import configure_logging
from shared.settings import load_settings_or_exit


def asyncpg_url(database_url: str) -> str:
    """The plain postgresql:// form of the service's SQLAlchemy URL."""
    return database_url.replace("postgresql+asyncpg://", "postgresql://", 1)


async def run(settings: ReportingSettings, *, batch_size: int, replace: bool) -> RebuildReport:
    """Connect, rebuild, disconnect."""
    # The replay counts events on the regulator's local days, as the worker that projected them live does.
    clock.set_timezone(settings.timezone)
    projector = Projector(supervision_rules(settings.coverage_min_employees))
    conn = await asyncpg.connect(asyncpg_url(settings.database_url))
    try:
        return await rebuild(conn, projector, batch_size=batch_size, replace=replace)
    finally:
        await conn.close()


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--replace", action="store_true", help="replace the live projections with the rebuilt ones")
    parser.add_argument("--batch-size", type=int, default=None, help="events per replayed batch")
    args = parser.parse_args(argv)
    settings = load_settings_or_exit(ReportingSettings)
    configure_logging(settings.service_name, settings.log_level)
    report = asyncio.run(run(settings, batch_size=args.batch_size or settings.rebuild_batch_size, replace=args.replace))
    print(json.dumps({**dataclasses.asdict(report), "equal": report.equal}, ensure_ascii=False))
    return 0 if report.equal or report.replaced else 1


if __name__ == "__main__":
    sys.exit(main())
