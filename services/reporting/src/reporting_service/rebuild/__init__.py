"""Rebuild: replay the event log into fresh projections and compare them with the live ones."""
