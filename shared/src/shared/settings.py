"""Base settings every service process reads from its environment."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from shared.clock import DEFAULT_TIMEZONE

SettingsT = TypeVar("SettingsT", bound="ServiceSettings")

# Settings that a whole deployment usually shares; a prefixed variable still wins.
GLOBAL_FALLBACKS: dict[str, str] = {
    "database_url": "DATABASE_URL",
    "kafka_bootstrap_servers": "KAFKA_BOOTSTRAP_SERVERS",
    "kafka_enable_idempotence": "KAFKA_ENABLE_IDEMPOTENCE",
    "auth_hs256_key_file": "AUTH_HS256_KEY_FILE",
    "auth_jwks_url": "AUTH_JWKS_URL",
    "auth_issuer": "AUTH_ISSUER",
    "auth_audience": "AUTH_AUDIENCE",
    "log_level": "LOG_LEVEL",
    "trusted_proxies": "TRUSTED_PROXIES",
    "timezone": "TIMEZONE",
    "otel_exporter_otlp_endpoint": "OTEL_EXPORTER_OTLP_ENDPOINT",
    "cors_allow_origins": "CORS_ALLOW_ORIGINS",
}


class ConfigurationError(Exception):
    """A setting is missing or invalid; the message names the variable."""


class ServiceSettings(BaseSettings):
    """Settings shared by every service; subclasses set `env_prefix`."""

    model_config = SettingsConfigDict(env_prefix="", extra="ignore", frozen=True)

    service_name: str = "service"
    database_url: str
    kafka_bootstrap_servers: str
    kafka_enable_idempotence: bool = False
    kafka_fetch_max_wait_ms: int = Field(default=50, ge=1, le=10_000)
    kafka_request_timeout_s: float = Field(default=10.0, gt=0)
    api_host: str = "127.0.0.1"
    api_port: int = Field(default=8000, ge=1, le=65535)
    worker_metrics_port: int | None = Field(default=None, ge=0, le=65535)
    # At least api_max_in_flight: an admitted request then never waits for a connection (each holds one).
    db_pool_size: int = Field(default=16, ge=1, le=200)
    db_max_overflow: int = Field(default=10, ge=0, le=200)
    # A request that cannot get a connection in this time fails fast (a 503), instead of SQLAlchemy's 30 s.
    db_pool_timeout_s: float = Field(default=5.0, gt=0)
    # Admission control per API process (0: off): requests running at once, how many more may wait in line,
    # for how long, and the Retry-After of the 503 given to the others.
    api_max_in_flight: int = Field(default=16, ge=0, le=10_000)
    api_max_queued: int = Field(default=64, ge=0, le=100_000)
    api_admission_wait_s: float = Field(default=1.0, ge=0)
    api_retry_after_s: int = Field(default=1, ge=1, le=3600)
    relay_batch_size: int = Field(default=500, ge=1, le=10_000)
    relay_poll_interval_s: float = Field(default=1.0, gt=0)
    consumer_batch_size: int = Field(default=500, ge=1, le=10_000)
    consumer_batch_window_ms: int = Field(default=25, ge=0, le=5_000)
    # An idle consumer stops fetching for this long between polls (0: never). For a broker whose fetch does not
    # wake on new data (the embedded one); real Kafka's long poll needs none.
    consumer_idle_pause_ms: int = Field(default=0, ge=0, le=10_000)
    consumer_max_attempts: int = Field(default=3, ge=1, le=100)
    consumer_retry_backoff_s: float = Field(default=0.05, ge=0)
    outbox_retention_days: int = Field(default=7, ge=1)
    # A consumer that has not come back from a poll for this long makes the worker's /healthz fail.
    worker_stall_after_s: float = Field(default=120.0, gt=0)
    auth_hs256_key_file: Path | None = None
    auth_jwks_url: str | None = None
    auth_issuer: str | None = None
    auth_audience: str | None = None
    max_body_bytes: int = Field(default=1_048_576, ge=1024)
    # Addresses (comma-separated, or "*") of the proxies whose X-Forwarded-For names the client: the gateway's.
    # A request from anywhere else is recorded with its own peer address, whatever header it sends.
    trusted_proxies: str = "127.0.0.1"
    log_level: str = "INFO"
    # Traces go to this OTLP/HTTP collector (e.g. http://otel-collector:4318); unset, nothing is traced.
    otel_exporter_otlp_endpoint: str | None = None
    # The regulator's zone: legal days, deadlines and statistics periods are its calendar days.
    timezone: str = DEFAULT_TIMEZONE
    # Browser origins (comma-separated, e.g. https://console.example.gov.cn) whose pages may call the API.
    # None by default: a production deployment names its console; `safety up` names the local one.
    cors_allow_origins: str = ""

    @field_validator("database_url")
    @classmethod
    def _async_driver(cls, value: str) -> str:
        """Accept plain postgresql:// URLs and use the asyncpg driver."""
        if value.startswith("postgresql://") or value.startswith("postgres://"):
            return "postgresql+asyncpg://" + value.split("://", 1)[1]
        if not value.startswith("postgresql+asyncpg://"):
            raise ValueError("must be a postgresql:// URL")
        return value

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        """Reject log levels the logging module does not know."""
        upper = value.upper()
        if upper not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
            raise ValueError("must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL")
        return upper

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        """Reject time zones the tz database does not know."""
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError("must be a tz database zone such as Asia/Shanghai") from None
        return value

    @field_validator("cors_allow_origins")
    @classmethod
    def _origins(cls, value: str) -> str:
        """Accept only bare origins (scheme://host[:port]), the form a browser sends in Origin."""
        for origin in _split(value):
            if not re.fullmatch(r"https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?", origin):
                raise ValueError(f"{origin!r} is not an origin such as https://console.example.gov.cn")
        return value

    @property
    def cors_origins(self) -> list[str]:
        """The browser origins allowed to call the API."""
        return _split(self.cors_allow_origins)

    @property
    def env_prefix(self) -> str:
        """The prefix of this service's environment variables."""
        return str(self.model_config.get("env_prefix", ""))


def _split(value: str) -> list[str]:
    return [item.strip() for item in value.split(",") if item.strip()]


def load_settings(cls: type[SettingsT], **overrides: Any) -> SettingsT:
    """Build settings from the environment, falling back to deployment-wide variables."""
    prefix = str(cls.model_config.get("env_prefix", ""))
    values: dict[str, Any] = {}
    for field, global_name in GLOBAL_FALLBACKS.items():
        if f"{prefix}{field}".upper() not in os.environ and global_name in os.environ:
            values[field] = os.environ[global_name]
    values.update(overrides)
    try:
        return cls(**values)
    except ValidationError as exc:
        error = exc.errors()[0]
        field = str(error["loc"][0]) if error["loc"] else "?"
        variable = f"{prefix}{field}".upper()
        fallback = GLOBAL_FALLBACKS.get(field)
        hint = f" (or {fallback})" if fallback else ""
        raise ConfigurationError(f"{variable}{hint}: {error['msg']}") from None


def load_settings_or_exit(cls: type[SettingsT], **overrides: Any) -> SettingsT:
    """Load settings for a process entry point; on error print one line and exit 2."""
    try:
        return load_settings(cls, **overrides)
    except ConfigurationError as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        raise SystemExit(2) from None
