"""Prometheus metrics shared by API and worker processes."""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

HTTP_REQUEST_SECONDS = Histogram(
    "http_request_duration_seconds",
    "HTTP request latency by route and status.",
    ["service", "method", "route", "status"],
    buckets=(0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0),
)
OUTBOX_BACKLOG = Gauge("outbox_backlog", "Outbox events not yet published.", ["service"])
OUTBOX_PUBLISHED = Counter("outbox_published_total", "Outbox events published to the broker.", ["service"])
OUTBOX_SEND_FAILURES = Counter("outbox_send_failures_total", "Failed outbox publish attempts.", ["service"])
CONSUMER_LAG = Gauge("consumer_lag", "Messages behind the partition's end.", ["consumer", "topic", "partition"])
CONSUMER_EVENTS = Counter(
    "consumer_events_total",
    "Consumed messages by outcome (applied, duplicate, skipped, dead_lettered).",
    ["consumer", "outcome"],
)
CONSUMER_LAST_APPLIED = Gauge(
    "consumer_last_applied_timestamp_seconds", "Time the consumer last applied an event.", ["consumer"]
)
DEAD_LETTERS = Gauge("dead_letters", "Unresolved dead-lettered messages.", ["service"])
CONSUMER_FAILURES = Counter(
    "consumer_failures_total",
    "Failures that restarted a consumer (anything but a dead-lettered message).",
    ["consumer"],
)
