"""Supervisor service: enterprise registry and resident safety supervisors."""
