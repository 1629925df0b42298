"""Bulk historical import of hazards: each row's closed loop (report, rectification, verification, closure)
entered through the hazard's own use cases on the days it happened."""
