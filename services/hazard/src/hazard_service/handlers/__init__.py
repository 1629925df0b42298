"""Event handlers of the hazard service."""
