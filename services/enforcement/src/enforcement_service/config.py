"""Settings of the enforcement service (environment prefix ENFORCEMENT_)."""

from pydantic_settings import SettingsConfigDict

from shared.settings import ServiceSettings


class EnforcementSettings(ServiceSettings):
    """Enforcement service settings."""

    model_config = SettingsConfigDict(env_prefix="ENFORCEMENT_", extra="ignore", frozen=True)

    service_name: str = "enforcement-service"
    api_port: int = 8002
