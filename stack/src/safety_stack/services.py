"""The services the stack runs, their packages, schemas and default ports."""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class ServiceProcess:
    """A service as the stack starts it."""

    name: str
    api_port: int
    metrics_port: int
    publishes: bool = True

    @property
    def package(self) -> str:
        """Its import package."""
        return f"{self.name}_service"

    @property
    def env_prefix(self) -> str:
        """Its settings prefix."""
        return f"{self.name.upper()}_"

    @property
    def schema(self) -> str:
        """Its PostgreSQL schema."""
        return self.name


def port_offset() -> int:
    """SAFETY_PORT_OFFSET shifts every default port, to run a second stack beside the first."""
    return int(os.environ.get("SAFETY_PORT_OFFSET", "0"))


_OFFSET = port_offset()

# Started in this order: the registry first, since the others consume its events.
SERVICES = (
    ServiceProcess("supervisor", 8003 + _OFFSET, 9103 + _OFFSET),
    ServiceProcess("hazard", 8001 + _OFFSET, 9101 + _OFFSET),
    ServiceProcess("enforcement", 8002 + _OFFSET, 9102 + _OFFSET),
    ServiceProcess("reporting", 8004 + _OFFSET, 9104 + _OFFSET, publishes=False),
)


def by_name(name: str) -> ServiceProcess:
    """A service by name; SystemExit with the known names otherwise."""
    for service in SERVICES:
        if service.name == name:
            return service
    raise SystemExit(f"unknown service {name!r}; known: {', '.join(s.name for s in SERVICES)}")
