"""Imports every contract module so the registry knows every published event."""

from shared.contracts import enforcement, hazard, supervisor

__all__ = ["enforcement", "hazard", "supervisor"]
