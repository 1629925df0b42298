"""Settings of the hazard service (environment prefix HAZARD_)."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, Field
from pydantic_settings import SettingsConfigDict

from shared.settings import ServiceSettings


class UpstreamTargetConfig(BaseModel):
    """One upstream system that receives every major hazard and its status changes."""

    code: str = Field(description="Stable code, e.g. national_direct_report or provincial_one_list.")
    kind: str = Field(description="Adapter: national_direct_report | provincial_one_list.")
    url: str
    username: str | None = None
    password: str | None = None
    token: str | None = None
    enabled: bool = True
    timeout_s: float = Field(default=5.0, gt=0)


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
    photo_dir: Path = Field(default=Path("var/hazard-photos"), description="Folder of the filesystem photo store.")
    photo_max_bytes: int = Field(default=10 * 1024 * 1024, ge=1024)
    photo_content_types: tuple[str, ...] = ("image/jpeg", "image/png", "image/webp")
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
