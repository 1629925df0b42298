"""Load reference data and the demo data set: python -m supervisor_service.entrypoints.seed [option]

--reference-only loads the bundled reference data alone (what `safety up` runs without --demo);
--if-empty loads the demo data only when the registry has no enterprise (what `safety up --demo` runs);
with neither, demo rows that are missing are added and existing ones left alone.
"""

from __future__ import annotations

import argparse
import asyncio

from shared.db import create_engine, create_sessionmaker
from shared.logging import configure_logging
from shared.settings import load_settings_or_exit
from supervisor_service.config import SupervisorSettings
from supervisor_service.db import DATABASE
from supervisor_service.seed import seed


async def _run(settings: SupervisorSettings, if_empty: bool, demo: bool) -> None:
    engine = create_engine(settings, pool_size=1)
    try:
        outcome = await seed(
            create_sessionmaker(engine), DATABASE, service=settings.service_name, if_empty=if_empty, demo=demo
        )
    finally:
        await engine.dispose()
    print(f"reference data: {', '.join(f'{k} {v}' for k, v in outcome.reference.items())}")
    if not demo:
        print("demo data: not loaded (opt in with `safety up --demo`)")
    elif outcome.skipped_demo:
        print("demo data: skipped (the registry already has enterprises)")
    else:
        print(
            f"demo data: {outcome.enterprises} enterprises, {outcome.supervisors} supervisors, "
            f"{outcome.assignments} assignments added"
        )


def main() -> None:
    """Parse arguments and seed."""
    parser = argparse.ArgumentParser(description=__doc__)
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--if-empty", action="store_true", help="load the demo data only into an empty registry")
    which.add_argument("--reference-only", action="store_true", help="load the reference data, no demo data")
    args = parser.parse_args()
    settings = load_settings_or_exit(SupervisorSettings)
    configure_logging(settings.service_name, settings.log_level)
    asyncio.run(_run(settings, args.if_empty, demo=not args.reference_only))


if __name__ == "__main__":
    main()
