"""Settings of the reporting service (environment prefix REPORTING_)."""

from pydantic_settings import SettingsConfigDict

from shared.settings import ServiceSettings


class ReportingSettings(ServiceSettings):
    """Reporting service settings."""

    model_config = SettingsConfigDict(env_prefix="REPORTING_", extra="ignore", frozen=True)

    service_name: str = "reporting-service"
    api_port: int = 8004
