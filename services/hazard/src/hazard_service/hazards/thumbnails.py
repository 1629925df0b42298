"""A small JPEG preview of each photo, made with Pillow when the photo is uploaded."""

from __future__ import annotations

import asyncio
import io

from PIL import Image, ImageOps

THUMBNAIL_TYPE = "image/jpeg"
# A few kilobytes of PNG can declare a gigapixel canvas; nothing larger than a 64-megapixel camera is decoded.
MAX_PIXELS = 64_000_000


def _render(data: bytes, size_px: int) -> bytes | None:
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.width * image.height > MAX_PIXELS:
                return None
            # A JPEG decodes at 1/2, 1/4 or 1/8 scale when that still covers the thumbnail: far less work.
            image.draft("RGB", (size_px, size_px))
            # Phones store the rotation in EXIF; the preview shows the photo the way it was taken.
            preview = ImageOps.exif_transpose(image).convert("RGB")
            preview.thumbnail((size_px, size_px))
            out = io.BytesIO()
            preview.save(out, format="JPEG", quality=80, optimize=True)
            return out.getvalue()
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        # Bytes that only begin like an image (the type check reads the leading bytes) have no preview.
        return None


async def thumbnail(data: bytes, size_px: int) -> bytes | None:
    """A JPEG no larger than size_px on either side, or None when Pillow cannot decode the image."""
    # Decoding a 10 MB photo takes tens of milliseconds of CPU: off the event loop.
    return await asyncio.to_thread(_render, data, size_px)
