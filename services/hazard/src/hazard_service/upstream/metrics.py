"""Prometheus metrics of the upward direct report."""

from __future__ import annotations

from prometheus_client import Counter, Gauge

UPSTREAM_SENT = Counter("hazard_upstream_sent_total", "Hazard changes delivered upstream.", ["target"])
UPSTREAM_FAILURES = Counter("hazard_upstream_send_failures_total", "Failed upstream sends.", ["target"])
UPSTREAM_CONSECUTIVE_FAILURES = Gauge(
    "hazard_upstream_consecutive_failures", "Failed sends in a row per target.", ["target"]
)
UPSTREAM_ALERTING = Gauge(
    "hazard_upstream_target_alerting", "1 while a target keeps failing (alert threshold reached).", ["target"]
)
UPSTREAM_BACKLOG = Gauge("hazard_upstream_backlog", "Hazard changes waiting to be sent per target.", ["target"])
UPSTREAM_PARKED = Gauge(
    "hazard_upstream_parked", "Messages a target refused for good, waiting for an operator, per target.", ["target"]
)
