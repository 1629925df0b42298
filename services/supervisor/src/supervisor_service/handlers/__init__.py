"""Event handlers of the supervisor service."""
