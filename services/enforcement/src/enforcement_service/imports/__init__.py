"""Bulk historical import of closed penalty cases, each taken through the case's own use cases."""
