"""The enforcement schema: metadata, platform tables and the declarative base."""

from sqlalchemy.orm import DeclarativeBase

from shared.db import make_service_database

SCHEMA = "enforcement"
DATABASE = make_service_database(SCHEMA)


class Base(DeclarativeBase):
    """Declarative base bound to the enforcement schema's metadata."""

    metadata = DATABASE.metadata
