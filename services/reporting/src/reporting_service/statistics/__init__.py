"""Statistics materialized from events."""
