"""Enforcement service: inspections, penalty cases, delegated and simplified procedures, crackdowns."""
