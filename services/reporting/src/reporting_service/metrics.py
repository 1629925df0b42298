"""Prometheus metrics of the reporting projections (served by the worker's metrics port)."""

from prometheus_client import Counter, Gauge

LAST_APPLIED_EVENT = Gauge(
    "reporting_last_applied_timestamp_seconds", "When the projections last applied an event, per topic.", ["topic"]
)
EVENT_AGE_SECONDS = Gauge(
    "reporting_applied_event_age_seconds",
    "Age (now - occurred_at) of the newest event of the last applied batch, per topic.",
    ["topic"],
)
STALE_EVENTS = Counter(
    "reporting_stale_events_total", "Events older than the aggregate state they arrived at (merged per field)."
)
TOPIC_LAG = Gauge("reporting_topic_lag_messages", "Messages not yet consumed by the projections, per topic.", ["topic"])
