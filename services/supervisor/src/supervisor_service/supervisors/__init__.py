"""Resident safety supervisors (派驻企业安全生产监督员)."""
