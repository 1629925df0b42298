"""Settings of the hazard service (environment prefix HAZARD_)."""

from pydantic_settings import SettingsConfigDict

from shared.settings import ServiceSettings


class HazardSettings(ServiceSettings):
    """Hazard service settings."""

    model_config = SettingsConfigDict(env_prefix="HAZARD_", extra="ignore", frozen=True)

    service_name: str = "hazard-service"
    api_port: int = 8001
