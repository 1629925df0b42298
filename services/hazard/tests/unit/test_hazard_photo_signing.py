"""Signed photo URLs, thumbnails and the choice of evidence store, without a database."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from PIL import Image
from pydantic import ValidationError

from hazard_service.config import HazardSettings
from hazard_service.hazards.evidence import Evidence
from hazard_service.hazards.signing import UrlSigner
from hazard_service.hazards.thumbnails import thumbnail
from shared import clock
from shared.settings import ConfigurationError

BASE = {"database_url": "postgresql://u@h/db", "kafka_bootstrap_servers": "k:9092"}
PATH = "/api/v1/hazards/h/photos/p/signed/original"
MOMENT = datetime(2026, 12, 3, 8, 0, tzinfo=UTC)


def query(url: str) -> tuple[int, str]:
    """The expiry and signature of a signed URL."""
    params = parse_qs(urlsplit(url).query)
    return int(params["expires"][0]), params["signature"][0]


def test_a_signed_path_is_valid_for_its_lifetime_and_for_that_path_only() -> None:
    """The signature admits its own path until it expires; another path, another key or a later time is refused."""
    signer = UrlSigner(b"k" * 32, ttl_s=300)
    with clock.frozen_at(MOMENT):
        url = signer.sign(PATH)
        expires, signature = query(url)
        assert url.startswith(f"{PATH}?expires=")
        assert signer.remaining_s(PATH, expires, signature) == 300
        assert signer.remaining_s(PATH.replace("original", "thumbnail"), expires, signature) is None
        assert signer.remaining_s(PATH, expires + 60, signature) is None
        assert UrlSigner(b"x" * 32, ttl_s=300).remaining_s(PATH, expires, signature) is None
        assert signer.remaining_s(PATH, expires, "签名") is None
    with clock.frozen_at(MOMENT + timedelta(seconds=299)):
        assert signer.remaining_s(PATH, expires, signature) == 1
    with clock.frozen_at(MOMENT + timedelta(seconds=300)):
        assert signer.remaining_s(PATH, expires, signature) is None


def test_the_signing_key_comes_from_the_photo_secret_or_the_token_key(tmp_path: Path) -> None:
    """Replicas sharing HAZARD_PHOTO_URL_SECRET (or else the HS256 token key) accept each other's URLs; with
    neither the service refuses to start; the S3 store needs a bucket, and no secret when it presigns its URLs."""
    key_file = tmp_path / "hs256.key"
    key_file.write_text("token-key\n")
    by_secret = UrlSigner.from_settings(HazardSettings(**BASE, photo_url_secret="s3cret"))
    assert by_secret == UrlSigner.from_settings(HazardSettings(**BASE, photo_url_secret="s3cret"))
    by_token_key = UrlSigner.from_settings(HazardSettings(**BASE, auth_hs256_key_file=key_file))
    assert by_token_key.key != by_secret.key
    with pytest.raises(ConfigurationError, match="HAZARD_PHOTO_URL_SECRET"):
        UrlSigner.from_settings(HazardSettings(**BASE))
    with pytest.raises(ValidationError, match="HAZARD_PHOTO_S3_BUCKET"):
        HazardSettings(**BASE, photo_store="s3")
    presigning = HazardSettings(**BASE, photo_store="s3", photo_s3_bucket="b", photo_s3_endpoint_url="http://s3:9000")
    assert Evidence.from_settings(presigning).signer is None


async def test_a_thumbnail_is_a_small_upright_jpeg() -> None:
    """A 4000x3000 PNG becomes a JPEG of at most 320 px; bytes that only look like an image, or a small file that
    unpacks to 81 megapixels, have none."""
    out = io.BytesIO()
    Image.new("RGBA", (4000, 3000), (0, 128, 0, 255)).save(out, format="PNG")
    preview = await thumbnail(out.getvalue(), 320)
    assert preview is not None
    with Image.open(io.BytesIO(preview)) as image:
        assert image.format == "JPEG"
        assert image.size == (320, 240)
    assert await thumbnail(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, 320) is None
    bomb = io.BytesIO()
    Image.new("1", (9_000, 9_000)).save(bomb, format="PNG")
    assert len(bomb.getvalue()) < 100_000
    assert await thumbnail(bomb.getvalue(), 320) is None
