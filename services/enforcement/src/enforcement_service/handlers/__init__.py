"""Consumers of other services' events."""
