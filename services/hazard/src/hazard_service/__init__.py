"""Hazard service: hazards and their closed loop (一单四制), listing, dual prevention, upward report."""
