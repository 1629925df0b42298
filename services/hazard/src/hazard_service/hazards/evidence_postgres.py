"""The PostgreSQL evidence store: bytes in `hazard.evidence_object`, written in the use case's transaction.

The embedded and single-node default: every API replica reads the same rows, and a photo commits or rolls
back with its hazard's timeline entry. The hazard API serves its objects at its own signed route.
"""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from hazard_service.hazards.models import EvidenceObject
from hazard_service.hazards.storage import EvidenceMissing


class PostgresEvidenceStore:
    """Evidence as bytea rows in the hazard schema."""

    async def put(self, session: AsyncSession, key: str, data: bytes, content_type: str) -> None:
        """Insert the object in the session's transaction; an existing key holds the same content already."""
        row = {"key": key, "content_type": content_type, "size_bytes": len(data), "data": data}
        await session.execute(insert(EvidenceObject).values(row).on_conflict_do_nothing(index_elements=["key"]))

    async def get(self, session: AsyncSession, key: str) -> bytes:
        """The object's bytes."""
        data = await session.scalar(select(EvidenceObject.data).where(EvidenceObject.key == key))
        if data is None:
            raise EvidenceMissing(key)
        return bytes(data)

    async def delete(self, session: AsyncSession, key: str) -> None:
        """Delete the object in the session's transaction."""
        await session.execute(delete(EvidenceObject).where(EvidenceObject.key == key))

    def presigned_url(self, key: str, content_type: str) -> str | None:
        """None: the database serves no URLs; the API's signed route serves the object."""
        return None
