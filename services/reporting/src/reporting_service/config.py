"""Settings of the reporting service (environment prefix REPORTING_)."""

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from shared.settings import ServiceSettings


class ReportingSettings(ServiceSettings):
    """Reporting service settings."""

    model_config = SettingsConfigDict(env_prefix="REPORTING_", extra="ignore", frozen=True)

    service_name: str = "reporting-service"
    api_port: int = 8004
    coverage_min_employees: int | None = Field(
        default=None, ge=1, description="Overrides the dated coverage threshold (3 employees from 2023)."
    )
    rebuild_batch_size: int = Field(default=5000, ge=100, le=100_000)
    freshness_broker_timeout_s: float = Field(default=3.0, gt=0)
