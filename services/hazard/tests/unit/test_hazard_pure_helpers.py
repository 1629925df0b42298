"""Photo type checks, money formatting, target clients' configuration and backoff, without a database."""

from __future__ import annotations

from decimal import Decimal

import pytest

from hazard_service.config import HazardSettings, UpstreamTargetConfig
from hazard_service.hazards.exports import _wan_yuan
from hazard_service.hazards.storage import content_matches
from hazard_service.upstream.adapters import TargetClient
from hazard_service.upstream.service import backoff

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 16
WEBP = b"RIFF\x00\x00\x00\x00WEBPVP8 "


def test_declared_photo_type_must_match_the_bytes() -> None:
    """A PNG declared as JPEG, or a text file declared as PNG, is refused."""
    assert content_matches("image/png", PNG)
    assert content_matches("image/jpeg", JPEG)
    assert content_matches("image/webp", WEBP)
    assert not content_matches("image/jpeg", PNG)
    assert not content_matches("image/png", b"hello")
    assert not content_matches("image/gif", b"GIF89a")


def test_fen_to_wan_yuan_is_exact() -> None:
    """Funds in fen become exact 万元 decimals, typed as numbers in the ledger (no funds: an empty cell)."""
    assert _wan_yuan(None) is None
    assert _wan_yuan(1_000_000) == Decimal("1")
    assert _wan_yuan(1_234_567) == Decimal("1.234567")
    assert _wan_yuan(50) == Decimal("0.00005")
    assert _wan_yuan(10_000_000) == Decimal(10)


def test_client_per_target_kind() -> None:
    """Each configured kind has its paths; an unknown kind is a configuration error."""
    national = TargetClient(UpstreamTargetConfig(code="n", kind="national_direct_report", url="http://localhost"))
    provincial = TargetClient(UpstreamTargetConfig(code="p", kind="provincial_one_list", url="http://localhost"))
    assert national.kind.path == "/direct-report/hazards"
    assert provincial.kind.path == "/one-list/records"
    with pytest.raises(ValueError, match="unknown upstream target kind"):
        TargetClient(UpstreamTargetConfig(code="z", kind="fax", url="http://localhost"))


def test_backoff_doubles_and_is_capped() -> None:
    """1, 2, 4 ... times the base, never above the cap."""
    settings = HazardSettings(
        database_url="postgresql://x/y",
        kafka_bootstrap_servers="x:1",
        upstream_backoff_base_s=1.0,
        upstream_backoff_max_s=5.0,
    )
    assert [backoff(settings, n).total_seconds() for n in (1, 2, 3, 4, 5)] == [1, 2, 4, 5, 5]
