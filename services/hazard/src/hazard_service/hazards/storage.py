"""Where photo bytes live: an interface, and the filesystem store used by default."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import Protocol


class PhotoStorage(Protocol):
    """Stores and returns photo bytes by key; keys are relative paths chosen by the service."""

    async def put(self, key: str, data: bytes) -> None:
        """Store bytes under a key (overwriting the same key is harmless: keys are content-addressed)."""

    async def get(self, key: str) -> bytes:
        """The bytes stored under a key; FileNotFoundError when absent."""


class FilesystemPhotoStorage:
    """Photos as files under a root folder, written atomically (temp file + rename)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, key: str) -> Path:
        path = (self.root / key).resolve()
        if self.root.resolve() not in path.parents:
            raise ValueError(f"storage key escapes the photo folder: {key}")
        return path

    async def put(self, key: str, data: bytes) -> None:
        """Write the file under the root; a crash never leaves a half-written photo behind."""
        path = self._path(key)

        def write() -> None:
            path.parent.mkdir(parents=True, exist_ok=True)
            temp = path.with_suffix(path.suffix + f".{os.getpid()}.tmp")
            temp.write_bytes(data)
            os.replace(temp, path)

        await asyncio.to_thread(write)

    async def get(self, key: str) -> bytes:
        """Read the file."""
        return await asyncio.to_thread(self._path(key).read_bytes)


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
