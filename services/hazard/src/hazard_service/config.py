"""Settings of the hazard service (environment prefix HAZARD_)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, Field, SecretStr, model_validator
from pydantic_settings import SettingsConfigDict

from shared.settings import ServiceSettings


class UpstreamTargetConfig(BaseModel):
    """One upstream system that receives every major hazard and its status changes.

    A real target is reached with signed requests (`hmac_secret`), mutual TLS (`client_cert` + `client_key`) or
    both; a static token or basic auth is accepted only for the simulator (`simulator` or a loopback URL).
    """

    code: str = Field(description="Stable code, e.g. national_direct_report or provincial_one_list.")
    kind: str = Field(description="Adapter: national_direct_report | provincial_one_list.")
    url: str
    username: str | None = None
    password: str | None = None
    token: str | None = None
    hmac_key_id: str = Field(default="hazard-service", description="Sent in X-Signature-Key-Id.")
    hmac_secret: SecretStr | None = Field(default=None, description="Signs every request (HMAC-SHA256).")
    client_cert: Path | None = Field(default=None, description="Client certificate (PEM) for mutual TLS.")
    client_key: Path | None = Field(default=None, description="Its private key (PEM).")
    ca_bundle: Path | None = Field(default=None, description="CA bundle that verifies the target's certificate.")
    simulator: bool = Field(default=False, description="The target is the simulator: static credentials allowed.")
    enabled: bool = True
    timeout_s: float = Field(default=5.0, gt=0)

    @model_validator(mode="after")
    def _secured(self) -> UpstreamTargetConfig:
        if (self.client_cert is None) != (self.client_key is None):
            raise ValueError(f"upstream target {self.code}: client_cert and client_key go together")
        if self.simulator or urlsplit(self.url).hostname in LOOPBACK:
            return self
        if self.token or self.username:
            raise ValueError(f"upstream target {self.code}: a static token or password is for the simulator only")
        if self.hmac_secret is None and self.client_cert is None:
            raise ValueError(f"upstream target {self.code}: set hmac_secret or client_cert/client_key")
        return self


LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})


class OneListSystem(BaseModel):
    """One of the four systems of 一单四制 (configuration, not code)."""

    code: str
    name: str
    description: str = ""


class ListingLevel(BaseModel):
    """Who may list a hazard for supervision (挂牌督办)."""

    code: str
    name: str


DEFAULT_ONE_LIST_SYSTEMS = [
    OneListSystem(code="hand_over", name="交办制", description="交办单: 责任单位、交办单位、督办单位、整改时限"),
    OneListSystem(code="ledger", name="台账制", description="重大隐患台账, 动态更新"),
    OneListSystem(code="closure", name="销号制", description="整改验收后现场复核销号"),
    OneListSystem(code="public_notice", name="通报制", description="挂牌、销号、逾期情况定期通报"),
]

DEFAULT_LISTING_LEVELS = [
    ListingLevel(code="city_government", name="市政府挂牌督办"),
    ListingLevel(code="safety_committee_office", name="市安委办挂牌督办"),
]


class HazardSettings(ServiceSettings):
    """Hazard service settings."""

    model_config = SettingsConfigDict(env_prefix="HAZARD_", extra="ignore", frozen=True)

    service_name: str = "hazard-service"
    api_port: int = 8001
    # Photos are uploaded in the body; the per-photo limit below is the one users meet.
    max_body_bytes: int = Field(default=12 * 1024 * 1024, ge=1024)
    photo_max_bytes: int = Field(default=10 * 1024 * 1024, ge=1024)
    photo_content_types: tuple[str, ...] = ("image/jpeg", "image/png", "image/webp")
    photo_store: Literal["postgres", "s3"] = Field(
        default="postgres", description="postgres: in the hazard schema, with the hazard; s3: object storage."
    )
    photo_url_ttl_s: int = Field(default=300, ge=10, le=3600, description="Lifetime of a signed photo URL.")
    photo_url_secret: SecretStr | None = Field(
        default=None, description="Signs the URLs the API serves photos at; defaults to the HS256 token key."
    )
    photo_thumbnail_px: int = Field(default=320, ge=32, le=2048, description="Longest side of a thumbnail.")
    photo_s3_bucket: str | None = None
    photo_s3_endpoint_url: str | None = Field(default=None, description="The S3 API the service calls (MinIO).")
    photo_s3_presign: bool = Field(
        default=True, description="Browsers reach the bucket: photo URLs are presigned; false: the API serves them."
    )
    photo_s3_public_url: str | None = Field(
        default=None, description="The S3 address a browser reaches, for presigned URLs (default: the endpoint)."
    )
    photo_s3_region: str = "us-east-1"
    photo_s3_access_key_id: str | None = Field(default=None, description="Unset: boto3's default credential chain.")
    photo_s3_secret_access_key: SecretStr | None = None
    review_due_days: int | None = Field(
        default=None, ge=1, description="Overrides the dated rule of days for the on-site review."
    )
    one_list_systems: list[OneListSystem] = Field(default_factory=lambda: list(DEFAULT_ONE_LIST_SYSTEMS))
    listing_levels: list[ListingLevel] = Field(default_factory=lambda: list(DEFAULT_LISTING_LEVELS))
    overdue_interval_s: float = Field(default=60.0, gt=0)
    upstream_targets: list[UpstreamTargetConfig] = Field(default_factory=list)
    upstream_interval_s: float = Field(default=2.0, gt=0)
    upstream_batch_size: int = Field(default=100, ge=1, le=5000)
    upstream_backoff_base_s: float = Field(default=2.0, ge=0)
    upstream_backoff_max_s: float = Field(default=600.0, ge=0)
    upstream_alert_after_failures: int = Field(default=5, ge=1)
    upstream_receipts_interval_s: float = Field(
        default=60.0, gt=0, description="How often each target is asked for its receipts (also a contact check)."
    )
    upstream_unreachable_after_s: float = Field(
        default=900.0, gt=0, description="/readyz fails when a target has answered nothing for this long."
    )

    @model_validator(mode="after")
    def _photo_store_configured(self) -> HazardSettings:
        if self.photo_store == "s3" and not self.photo_s3_bucket:
            raise ValueError("HAZARD_PHOTO_S3_BUCKET is required when HAZARD_PHOTO_STORE=s3")
        return self
