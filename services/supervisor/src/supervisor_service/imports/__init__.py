"""Bulk historical import of the registry: enterprises, supervisors and assignments with their effective dates."""
