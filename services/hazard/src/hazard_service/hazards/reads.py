"""What callers read about hazards, on the read session and within the caller's scope (404 outside it)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hazard_service.hazards import repository as repo
from hazard_service.hazards.exceptions import HazardNotFound
from hazard_service.hazards.models import (
    Hazard,
    HazardDeferral,
    HazardListing,
    HazardNotice,
    HazardPhoto,
    HazardTimelineEntry,
)
from hazard_service.hazards.schemas import HazardFilters, HazardSort
from hazard_service.hazards.storage import EvidenceMissing, EvidenceStore
from hazard_service.upstream import repository as upstream
from hazard_service.upstream.models import UpstreamMapping
from shared.auth.scope import Scope
from shared.errors import NotFound, ValidationFailed, field_error
from shared.http.list_rows import change_cursor
from shared.http.pagination import PageParams, decode_cursor, encode_cursor


async def get_hazard(*, session: AsyncSession, scope: Scope, hazard_id: uuid.UUID) -> Hazard:
    """A hazard the caller may see."""
    hazard = await repo.get(session, hazard_id, scope)
    if hazard is None:
        raise HazardNotFound()
    return hazard


async def _visible_id(session: AsyncSession, scope: Scope, hazard_id: uuid.UUID) -> uuid.UUID:
    return (await get_hazard(session=session, scope=scope, hazard_id=hazard_id)).id


async def timeline(*, session: AsyncSession, scope: Scope, hazard_id: uuid.UUID) -> Sequence[HazardTimelineEntry]:
    """The full history of a visible hazard, oldest first."""
    return await repo.timeline(session, await _visible_id(session, scope, hazard_id))


async def photos(*, session: AsyncSession, scope: Scope, hazard_id: uuid.UUID) -> Sequence[HazardPhoto]:
    """The photos of a visible hazard."""
    return await repo.photos(session, await _visible_id(session, scope, hazard_id))


async def deferrals(*, session: AsyncSession, scope: Scope, hazard_id: uuid.UUID) -> Sequence[HazardDeferral]:
    """The deferral requests of a visible hazard."""
    return await repo.deferrals(session, await _visible_id(session, scope, hazard_id))


async def notices(*, session: AsyncSession, scope: Scope, hazard_id: uuid.UUID) -> Sequence[HazardNotice]:
    """The public notices of a visible hazard."""
    return await repo.notices(session, await _visible_id(session, scope, hazard_id))


async def upstream_mappings(*, session: AsyncSession, scope: Scope, hazard_id: uuid.UUID) -> Sequence[UpstreamMapping]:
    """A visible hazard's id and sync status at each upstream target."""
    return await upstream.mappings(session, await _visible_id(session, scope, hazard_id))


async def listing(*, session: AsyncSession, scope: Scope, hazard_id: uuid.UUID) -> HazardListing:
    """The listing of a visible hazard (404 when it is not listed)."""
    found = await repo.listing(session, await _visible_id(session, scope, hazard_id))
    if found is None:
        raise HazardNotFound()
    return found


async def photo_content(
    *, session: AsyncSession, scope: Scope, storage: EvidenceStore, hazard_id: uuid.UUID, photo_id: uuid.UUID
) -> tuple[HazardPhoto, bytes]:
    """A photo's metadata and bytes."""
    visible = await _visible_id(session, scope, hazard_id)
    photo = await repo.photo(session, photo_id)
    if photo is None or photo.hazard_id != visible:
        raise HazardNotFound()
    try:
        return photo, await storage.get(session, photo.storage_key)
    except EvidenceMissing:
        raise NotFound("the photo's bytes are missing") from None


async def list_hazards(
    *,
    session: AsyncSession,
    scope: Scope,
    filters: HazardFilters,
    sort: HazardSort,
    page: PageParams,
    updated_since: datetime | None = None,
) -> tuple[Sequence[Any], str | None, int | None]:
    """A page of hazards the caller may see, the next cursor and (on request) the total; with `updated_since`, the
    change feed (those changed after it, oldest change first, whatever the sort)."""
    total = await repo.count(session, scope, filters, since=updated_since) if page.include_total else None
    if updated_since is not None:
        rows = await repo.changes(
            session, scope, filters, since=updated_since, cursor=page.cursor, limit=page.limit + 1
        )
        return rows[: page.limit], change_cursor(rows, page.limit), total
    after = decode_cursor(page.cursor) if page.cursor else None
    if after is not None and len(after) != 2:
        raise ValidationFailed("invalid cursor", errors=[field_error("cursor", "not a cursor of this list")])
    try:
        rows, last = await repo.page(session, scope, filters, sort, page.limit, after)
    except ValueError:
        raise ValidationFailed(
            "invalid cursor", errors=[field_error("cursor", "not a cursor of this sort order")]
        ) from None
    return rows, encode_cursor(last) if last else None, total


async def export_rows(
    *, session: AsyncSession, scope: Scope, filters: HazardFilters, limit: int
) -> tuple[Sequence[Hazard], dict[uuid.UUID, HazardListing]]:
    """Hazards and their listings for the ledger export."""
    rows = await repo.all_matching(session, scope, filters, limit)
    return rows, await repo.listings(session, [h.id for h in rows])
