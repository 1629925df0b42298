"""Errors specific to hazards."""

from __future__ import annotations

from shared.errors import AppError, NotFound, ValidationFailed


class HazardNotFound(NotFound):
    """No such hazard, or it lies outside the caller's jurisdiction."""

    def __init__(self) -> None:
        super().__init__("no such hazard in your jurisdiction")


class PhotoTooLarge(AppError):
    """The uploaded photo exceeds the configured size."""

    status = 413
    type_slug = "photo-too-large"
    title = "Photo too large"


class UnsupportedPhotoType(AppError):
    """The uploaded file is not one of the accepted image types."""

    status = 415
    type_slug = "unsupported-media-type"
    title = "Unsupported media type"


class UnknownReference(ValidationFailed):
    """A code that is not in the reference data (campaign, clause, listing level)."""
