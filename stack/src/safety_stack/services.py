"""The services the stack runs, their packages, schemas and default ports."""

from __future__ import annotations

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


# Started in this order: the registry first, since the others consume its events.
SERVICES = (
    ServiceProcess("supervisor", 8003, 9103),
    ServiceProcess("hazard", 8001, 9101),
    ServiceProcess("enforcement", 8002, 9102),
    ServiceProcess("reporting", 8004, 9104, publishes=False),
)


def by_name(name: str) -> ServiceProcess:
    """A service by name; SystemExit with the known names otherwise."""
    for service in SERVICES:
        if service.name == name:
            return service
    raise SystemExit(f"unknown service {name!r}; known: {', '.join(s.name for s in SERVICES)}")
