"""Inspections (监督检查)."""
