"""Event handlers of the reporting service."""
