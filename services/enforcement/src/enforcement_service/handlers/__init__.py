"""Event handlers of the enforcement service."""
