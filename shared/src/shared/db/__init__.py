"""Database plumbing: metadata with naming convention, engine, platform tables, unit of work."""

from shared.db.engine import create_engine, create_sessionmaker
from shared.db.tables import ServiceDatabase, make_service_database
from shared.db.uow import IdempotencyClaim, UnitOfWork

__all__ = [
    "IdempotencyClaim",
    "ServiceDatabase",
    "UnitOfWork",
    "create_engine",
    "create_sessionmaker",
    "make_service_database",
]
