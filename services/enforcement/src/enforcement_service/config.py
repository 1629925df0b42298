"""Settings of the enforcement service (environment prefix ENFORCEMENT_)."""

from typing import Any

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from shared.settings import ServiceSettings


class EnforcementSettings(ServiceSettings):
    """Enforcement service settings."""

    model_config = SettingsConfigDict(env_prefix="ENFORCEMENT_", extra="ignore", frozen=True)

    service_name: str = "enforcement-service"
    api_port: int = 8002
    bureau_code: str = Field(default="yjj", description="Department code of the bureau in whose name townships act.")
    document_prefix: str = Field(default="洪应急", description="Prefix of case and decision numbers.")
    procedure_rule_overrides: dict[str, dict[str, Any]] = Field(
        default_factory=dict,
        description='Overrides of the dated procedure rules, e.g. {"mem_order_18": {"decide_days": 60}} (JSON).',
    )
    clock_job_interval_s: float = Field(default=3600.0, gt=0)
