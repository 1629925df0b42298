"""Where evidence photos live: the interface of the stores (PostgreSQL, S3), and the checks on the bytes."""

from __future__ import annotations

from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession


class EvidenceMissing(LookupError):
    """No object is stored under the key."""


class EvidenceStore(Protocol):
    """Stores evidence bytes by key (keys are content-addressed, chosen by the service).

    `put` and `delete` take the use case's session: a store inside the database writes in that transaction,
    so the photo and its timeline entry commit together; an external store ignores it.
    """

    async def put(self, session: AsyncSession, key: str, data: bytes, content_type: str) -> None:
        """Store bytes under a key; storing the same key again is harmless (same content)."""

    async def get(self, session: AsyncSession, key: str) -> bytes:
        """The bytes under a key; EvidenceMissing when absent."""

    async def delete(self, session: AsyncSession, key: str) -> None:
        """Remove the object under a key (nothing when absent)."""

    def presigned_url(self, key: str, content_type: str) -> str | None:
        """A short-lived URL the store itself signs and serves, or None when the API serves the object."""


# Leading bytes of the accepted image types: a declared type must match the content.
MAGIC_NUMBERS = {
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/webp": (b"RIFF",),
}
EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}


def content_matches(content_type: str, data: bytes) -> bool:
    """Whether the bytes start like the declared image type."""
    prefixes = MAGIC_NUMBERS.get(content_type, ())
    if content_type == "image/webp":
        return data[:4] == b"RIFF" and data[8:12] == b"WEBP"
    return any(data.startswith(p) for p in prefixes)
