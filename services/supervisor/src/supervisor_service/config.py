"""Settings of the supervisor service (environment prefix SUPERVISOR_)."""

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from shared.settings import ServiceSettings


class SupervisorSettings(ServiceSettings):
    """Supervisor service settings; unset rule values keep the shared dated rules."""

    model_config = SettingsConfigDict(env_prefix="SUPERVISOR_", extra="ignore", frozen=True)

    service_name: str = "supervisor-service"
    api_port: int = 8003
    max_enterprises_per_supervisor: int | None = Field(default=None, ge=1, le=1000)
    coverage_min_employees: int | None = Field(default=None, ge=0)
    inactive_after_days: int | None = Field(default=None, ge=1, le=3650)
    complaint_hotline: str = Field(default="12350", description="安全生产举报投诉电话 printed on notices.")
    import_max_rows: int = Field(default=20_000, ge=1)
