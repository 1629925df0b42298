"""Hazards (隐患) and their closed loop."""
