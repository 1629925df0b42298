"""Upward direct report of major hazards to the national and provincial systems."""
