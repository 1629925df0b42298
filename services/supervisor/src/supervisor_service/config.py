"""Settings of the supervisor service (environment prefix SUPERVISOR_)."""

from pydantic_settings import SettingsConfigDict

from shared.settings import ServiceSettings


class SupervisorSettings(ServiceSettings):
    """Supervisor service settings."""

    model_config = SettingsConfigDict(env_prefix="SUPERVISOR_", extra="ignore", frozen=True)

    service_name: str = "supervisor-service"
    api_port: int = 8003
