"""Signed photo URLs: the links each PhotoRead carries, and the API route that serves them without a token.

An `<img>` cannot send a bearer token, so every photo read carries short-lived URLs of the photo and its
thumbnail. An S3 store reachable by browsers presigns its own; otherwise (the PostgreSQL store, a private
bucket) they point at `signed_router` below, which checks the HMAC over its path and expiry instead of a token.
"""

from __future__ import annotations

import uuid
from enum import StrEnum
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from hazard_service.hazards import repository as repo
from hazard_service.hazards.evidence import Evidence
from hazard_service.hazards.models import HazardPhoto
from hazard_service.hazards.schemas import PhotoRead
from hazard_service.hazards.signing import UrlSigner
from hazard_service.hazards.storage import EXTENSIONS, EvidenceMissing
from hazard_service.hazards.thumbnails import THUMBNAIL_TYPE
from shared.errors import Forbidden, NotFound
from shared.http.dependencies import ReadSession
from shared.http.openapi_contract import download

PREFIX = "/api/v1/hazards"
# Every type a photo can be stored as (a thumbnail is a JPEG).
PHOTO_TYPES = tuple(EXTENSIONS)
signed_router = APIRouter(prefix=PREFIX, tags=["hazards"])


class Variant(StrEnum):
    """Which bytes of a photo a signed URL serves."""

    ORIGINAL = "original"
    THUMBNAIL = "thumbnail"


def signed_path(hazard_id: uuid.UUID, photo_id: uuid.UUID, variant: Variant) -> str:
    """The path of the API's signed route for one photo variant."""
    return f"{PREFIX}/{hazard_id}/photos/{photo_id}/signed/{variant.value}"


def _key_and_type(photo: HazardPhoto, variant: Variant) -> tuple[str | None, str]:
    if variant is Variant.THUMBNAIL:
        return photo.thumbnail_key, THUMBNAIL_TYPE
    return photo.storage_key, photo.content_type


def _url(evidence: Evidence, photo: HazardPhoto, variant: Variant) -> str | None:
    key, content_type = _key_and_type(photo, variant)
    if key is None:
        return None
    path = signed_path(photo.hazard_id, photo.id, variant)
    return evidence.signed_url(key, api_path=path, content_type=content_type)


def photo_read(evidence: Evidence, photo: HazardPhoto) -> PhotoRead:
    """The photo's metadata with fresh signed URLs of its bytes and thumbnail."""
    read = PhotoRead.model_validate(photo)
    read.url = _url(evidence, photo, Variant.ORIGINAL)
    read.thumbnail_url = _url(evidence, photo, Variant.THUMBNAIL)
    return read


async def evidence(request: Request) -> Evidence:
    """The app's evidence store and URL signer."""
    found: Evidence = request.app.state.evidence
    return found


CurrentEvidence = Annotated[Evidence, Depends(evidence)]


async def _signer(evidence: CurrentEvidence) -> UrlSigner:
    # A store that presigns its URLs hands out none to this route.
    if evidence.signer is None:
        raise NotFound("photos are served by the object store")
    return evidence.signer


@signed_router.get(
    "/{hazard_id}/photos/{photo_id}/signed/{variant}",
    summary="A photo's bytes by signed URL (no bearer token: for <img>)",
    response_class=Response,
    responses={
        **download(*PHOTO_TYPES),
        403: {"description": "Signature invalid or expired"},
        404: {"description": "No such photo"},
    },
)
async def signed_content(
    hazard_id: uuid.UUID,
    photo_id: uuid.UUID,
    variant: Variant,
    session: ReadSession,
    evidence: CurrentEvidence,
    signer: Annotated[UrlSigner, Depends(_signer)],
    expires: Annotated[int, Query(description="Unix time the URL expires at")],
    signature: Annotated[str, Query(pattern="^[0-9a-f]{64}$", description="HMAC-SHA256 of the path and expiry")],
) -> Response:
    """The image the signed URL names, cacheable only by the browser until the URL expires."""
    remaining = signer.remaining_s(signed_path(hazard_id, photo_id, variant), expires, signature)
    if remaining is None:
        raise Forbidden("the photo URL is invalid or has expired")
    photo = await repo.photo(session, photo_id)
    key, content_type = _key_and_type(photo, variant) if photo and photo.hazard_id == hazard_id else (None, "")
    if key is None:
        raise NotFound("no such photo")
    try:
        data = await evidence.store.get(session, key)
    except EvidenceMissing:
        raise NotFound("the photo's bytes are missing") from None
    headers = {"Cache-Control": f"private, max-age={remaining}", "ETag": f'"{key.rsplit("/", 1)[-1]}"'}
    return Response(data, media_type=content_type, headers=headers)
