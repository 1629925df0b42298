"""Evidence photos: stored through each backend (PostgreSQL, S3 served by moto), read back by signed URLs
without a bearer token, thumbnails, and a retried upload with the same Idempotency-Key."""

from __future__ import annotations

import hashlib
import io
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import boto3
import httpx
import pytest
from moto.server import ThreadedMotoServer
from PIL import Image
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from hazard_service.config import HazardSettings
from hazard_service.hazards.evidence import Evidence
from hazard_service.hazards.models import EvidenceObject
from hazard_service.hazards.storage import EvidenceMissing
from hazard_service.main import create_app
from shared import clock
from shared.db.engine import create_sessionmaker
from shared.embedded import free_port
from shared.testing.helpers import api_client, make_settings
from shared.testing.plugin import Stack

from .conftest import officer, report

BUCKET = "hazard-evidence"
S3_KEYS = {"photo_s3_access_key_id": "test", "photo_s3_secret_access_key": "test"}


def jpeg(width: int = 1200, height: int = 800) -> bytes:
    """A real JPEG photo Pillow can decode."""
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 40, 40)).save(out, format="JPEG")
    return out.getvalue()


async def upload(client: httpx.AsyncClient, stack: Stack, hazard_id: str, data: bytes) -> httpx.Response:
    """POST one before-photo as multipart/form-data (httpx draws a new boundary for every send)."""
    return await client.post(
        f"/api/v1/hazards/{hazard_id}/photos",
        data={"phase": "before"},
        files={"file": ("现场.jpg", data, "image/jpeg")},
        headers=officer(stack),
    )


async def reported_with_photo(
    client: httpx.AsyncClient, stack: Stack, enterprise_id: uuid.UUID, data: bytes
) -> tuple[str, dict[str, Any]]:
    """A new hazard's id and the photo uploaded to it (asserting 201)."""
    hid = (await report(client, officer(stack), enterprise_id))["id"]
    uploaded = await upload(client, stack, hid, data)
    assert uploaded.status_code == 201, uploaded.text
    return hid, dict(uploaded.json())


async def fetch(client: httpx.AsyncClient, url: str) -> httpx.Response:
    """GET a signed URL the way an <img> does: no Authorization header."""
    response = await client.get(url)
    assert "authorization" not in {k.lower() for k in response.request.headers}
    return response


def assert_thumbnail(data: bytes, size_px: int) -> None:
    """A JPEG whose longest side is at most size_px."""
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "JPEG"
        assert max(image.size) <= size_px


async def test_postgres_store_keeps_the_photo_with_its_hazard_and_serves_it_by_signed_url(
    client: httpx.AsyncClient, stack: Stack, enterprise_id: uuid.UUID, settings: HazardSettings, engine: AsyncEngine
) -> None:
    """The photo and its thumbnail are rows of hazard.evidence_object; its signed URLs serve them to a caller
    without a token for a short while, privately cacheable; a forged, foreign or expired signature is 403."""
    data = jpeg()
    hid, photo = await reported_with_photo(client, stack, enterprise_id, data)
    url, thumbnail_url = photo["url"], photo["thumbnail_url"]
    print(f"postgres signed URL: {url}\npostgres thumbnail URL: {thumbnail_url}")
    assert url.startswith(f"/api/v1/hazards/{hid}/photos/{photo['id']}/signed/original?expires=")
    assert thumbnail_url.startswith(f"/api/v1/hazards/{hid}/photos/{photo['id']}/signed/thumbnail?expires=")
    expires = int(parse_qs(urlsplit(url).query)["expires"][0])
    assert 0 < expires - clock.now().timestamp() <= settings.photo_url_ttl_s

    original = await fetch(client, url)
    assert original.status_code == 200, original.text
    assert original.content == data
    assert original.headers["content-type"] == "image/jpeg"
    assert original.headers["cache-control"].startswith("private, max-age=")
    thumb = await fetch(client, thumbnail_url)
    assert thumb.status_code == 200
    assert_thumbnail(thumb.content, settings.photo_thumbnail_px)
    listed = (await client.get(f"/api/v1/hazards/{hid}/photos", headers=officer(stack))).json()["items"]
    assert (await fetch(client, listed[0]["url"])).content == data

    async with engine.connect() as conn:
        stored = await conn.scalar(
            select(EvidenceObject.data).where(EvidenceObject.key.like(f"{hid}/{hashlib.sha256(data).hexdigest()}.%"))
        )
    assert stored == data

    forged = url[:-4] + ("0000" if not url.endswith("0000") else "1111")
    assert (await fetch(client, forged)).status_code == 403
    other_photo = url.replace(photo["id"], str(uuid.uuid4()))
    assert (await fetch(client, other_photo)).status_code == 403
    with clock.frozen_at(clock.now() + timedelta(seconds=settings.photo_url_ttl_s + 1)):
        assert (await fetch(client, url)).status_code == 403


async def test_postgres_store_writes_in_the_callers_transaction(settings: HazardSettings, engine: AsyncEngine) -> None:
    """An object put in a transaction that rolls back is not kept; one that commits is read by every session
    (every API replica), until it is deleted."""
    store = Evidence.from_settings(settings).store
    sessions = create_sessionmaker(engine)
    key = f"{uuid.uuid4()}/rolled-back.jpg"
    async with sessions() as session:
        await store.put(session, key, b"photo", "image/jpeg")
        assert await store.get(session, key) == b"photo"
        await session.rollback()
    async with sessions() as session:
        with pytest.raises(EvidenceMissing):
            await store.get(session, key)
    async with sessions() as session:
        await store.put(session, key, b"photo", "image/jpeg")
        await store.put(session, key, b"photo", "image/jpeg")
        await session.commit()
    async with sessions() as session:
        assert await store.get(session, key) == b"photo"
    async with sessions() as session:
        await store.delete(session, key)
        await session.commit()
    async with sessions() as session:
        with pytest.raises(EvidenceMissing):
            await store.get(session, key)


async def test_retried_upload_with_the_same_idempotency_key_returns_the_first_photo(
    client: httpx.AsyncClient, stack: Stack, enterprise_id: uuid.UUID
) -> None:
    """A mobile client that resends an upload (new multipart boundary) gets the first photo back, not a 422;
    the same key with another file is still refused as reused."""
    hid = (await report(client, officer(stack), enterprise_id))["id"]
    key = {"Idempotency-Key": str(uuid.uuid4())}
    caller = officer(stack)
    data = jpeg(320, 240)

    async def send(content: bytes) -> httpx.Response:
        return await client.post(
            f"/api/v1/hazards/{hid}/photos",
            data={"phase": "before"},
            files={"file": ("a.jpg", content, "image/jpeg")},
            headers={**caller, **key},
        )

    first, retried = await send(data), await send(data)
    assert first.status_code == retried.status_code == 201, retried.text
    assert retried.json()["id"] == first.json()["id"]
    assert retried.headers.get("idempotent-replayed") == "true"
    listed = (await client.get(f"/api/v1/hazards/{hid}/photos", headers=caller)).json()["items"]
    assert [p["id"] for p in listed] == [first.json()["id"]]
    other = await send(jpeg(321, 240))
    assert other.status_code == 422
    assert other.json()["type"].endswith("/idempotency-key-reused")


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    """An S3 API server (moto in server mode) on 127.0.0.1 and a free port, with the evidence bucket."""
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()  # returns once the server is listening
    endpoint = f"http://127.0.0.1:{port}"
    try:
        s3 = boto3.client(
            "s3", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test"
        )
        s3.create_bucket(Bucket=BUCKET)
        yield endpoint
    finally:
        server.stop()


def s3_settings(stack: Stack, settings: HazardSettings, endpoint: str, *, presign: bool) -> HazardSettings:
    """The suite's hazard settings with the S3 evidence store."""
    return make_settings(
        HazardSettings,
        stack,
        photo_store="s3",
        photo_s3_bucket=BUCKET,
        photo_s3_endpoint_url=endpoint,
        photo_s3_presign=presign,
        photo_max_bytes=settings.photo_max_bytes,
        **S3_KEYS,
    )


@pytest.fixture(scope="module")
async def s3_client(stack: Stack, settings: HazardSettings, s3_endpoint: str) -> AsyncIterator[httpx.AsyncClient]:
    """The hazard API with the S3 evidence store, its URLs presigned by S3."""
    async with api_client(create_app(s3_settings(stack, settings, s3_endpoint, presign=True))) as c:
        yield c


async def test_s3_store_keeps_the_photo_in_the_bucket_and_presigns_its_urls(
    s3_client: httpx.AsyncClient, stack: Stack, enterprise_id: uuid.UUID, settings: HazardSettings, s3_endpoint: str
) -> None:
    """With HAZARD_PHOTO_STORE=s3 the photo and its thumbnail are objects in the bucket; the URLs are presigned
    GETs of the S3 API, served to a caller without a token; the API's bearer route still serves the bytes."""
    data = jpeg()
    hid, photo = await reported_with_photo(s3_client, stack, enterprise_id, data)
    url, thumbnail_url = photo["url"], photo["thumbnail_url"]
    print(f"s3 presigned URL: {url}\ns3 thumbnail URL: {thumbnail_url}")
    digest = hashlib.sha256(data).hexdigest()
    assert url.startswith(f"{s3_endpoint}/{BUCKET}/{hid}/{digest}.jpg?")
    assert "X-Amz-Signature=" in url
    assert f"X-Amz-Expires={settings.photo_url_ttl_s}" in url
    async with httpx.AsyncClient() as browser:
        original = await browser.get(url)
        assert original.status_code == 200
        assert original.content == data
        assert original.headers["content-type"] == "image/jpeg"
        thumb = await browser.get(thumbnail_url)
        assert thumb.status_code == 200
        assert_thumbnail(thumb.content, settings.photo_thumbnail_px)
    bearer = await s3_client.get(f"/api/v1/hazards/{hid}/photos/{photo['id']}/content", headers=officer(stack))
    assert bearer.content == data


async def test_a_private_bucket_is_served_by_the_apis_signed_route(
    stack: Stack, enterprise_id: uuid.UUID, settings: HazardSettings, s3_endpoint: str
) -> None:
    """With HAZARD_PHOTO_S3_PRESIGN=false (browsers do not reach the bucket) the URLs point at the API's signed
    route, which reads the object from the bucket."""
    async with api_client(create_app(s3_settings(stack, settings, s3_endpoint, presign=False))) as client:
        data = jpeg(640, 480)
        hid, photo = await reported_with_photo(client, stack, enterprise_id, data)
        assert photo["url"].startswith(f"/api/v1/hazards/{hid}/photos/{photo['id']}/signed/original?expires=")
        assert (await fetch(client, photo["url"])).content == data
        assert_thumbnail((await fetch(client, photo["thumbnail_url"])).content, settings.photo_thumbnail_px)
