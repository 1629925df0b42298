"""The supervisor schema: metadata, platform tables and the declarative base."""

from sqlalchemy.orm import DeclarativeBase

from shared.db import make_service_database

SCHEMA = "supervisor"
DATABASE = make_service_database(SCHEMA)


class Base(DeclarativeBase):
    """Declarative base bound to the supervisor schema's metadata."""

    metadata = DATABASE.metadata
