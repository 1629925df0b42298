"""Import judgment standards: python -m hazard_service.standards.importer [FILE.json]

Without a file, imports the bundled shared/reference_data/hazard_standards.json.
"""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path

from hazard_service.config import HazardSettings
from hazard_service.db import DATABASE
from hazard_service.standards.schemas import ImportResult, StandardsDocument
from hazard_service.standards.service import bundled_document, import_standards
from shared.auth.principal import system_principal
from shared.db import UnitOfWork
from shared.db.engine import create_engine, create_sessionmaker
from shared.settings import load_settings_or_exit


async def run(settings: HazardSettings, document: StandardsDocument) -> ImportResult:
    """Import a document with the service's own database settings."""
    engine = create_engine(settings)
    try:
        uow = UnitOfWork(
            create_sessionmaker(engine),
            DATABASE,
            source=settings.service_name,
            actor=system_principal(settings.service_name),
        )
        return await import_standards(uow=uow, document=document)
    finally:
        await engine.dispose()


def main(argv: list[str]) -> None:
    """Entry point of the import command."""
    settings = load_settings_or_exit(HazardSettings)
    if argv:
        document = StandardsDocument.model_validate(json.loads(Path(argv[0]).read_text(encoding="utf-8")))
    else:
        document = bundled_document()
    result = asyncio.run(run(settings, document))
    print(result.model_dump_json())


if __name__ == "__main__":
    main(sys.argv[1:])
