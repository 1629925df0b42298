"""OpenTelemetry traces from the gateway's request through the services and their events to the consumers.

Off by default; one setting (`OTEL_EXPORTER_OTLP_ENDPOINT`, or the service-prefixed variable) turns it on
and exports spans over OTLP/HTTP. When on:
- each request is a server span whose parent comes from the caller's `traceparent` header;
- each event a use case records carries the current `traceparent` in its outbox headers, and so in its
  Kafka headers;
- each consumed event is handled in a span whose parent is the event's `traceparent`;
- SQL statements are spans of whatever span they run in.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping
from typing import Any

from opentelemetry import propagate, trace
from opentelemetry.trace import Span, SpanKind, Status, StatusCode
from starlette.types import Message, Receive, Scope, Send

from shared.context import correlation_id_var
from shared.http.middleware import HttpMiddleware

TRACER_NAME = "safety"
_enabled = False


def configure_tracing(service: str, endpoint: str | None, engine: Any = None) -> bool:
    """Export spans to `endpoint` (OTLP/HTTP) when one is configured; returns whether tracing is on."""
    global _enabled
    if not endpoint:
        return False
    if not _enabled:
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
        from opentelemetry.sdk.resources import Resource
        from opentelemetry.sdk.trace import TracerProvider
        from opentelemetry.sdk.trace.export import BatchSpanProcessor

        provider = TracerProvider(resource=Resource.create({"service.name": service}))
        provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter(endpoint=_traces_url(endpoint))))
        trace.set_tracer_provider(provider)
        _enabled = True
    if engine is not None:
        from opentelemetry.instrumentation.sqlalchemy import SQLAlchemyInstrumentor

        SQLAlchemyInstrumentor().instrument(engine=engine.sync_engine)
    return True


def enable_for_tests() -> None:
    """Treat tracing as on (a test installs its own in-memory provider)."""
    global _enabled
    _enabled = True


def tracing_enabled() -> bool:
    """Whether spans are exported (nothing is traced otherwise, at no cost)."""
    return _enabled


def _traces_url(endpoint: str) -> str:
    return endpoint if endpoint.rstrip("/").endswith("/v1/traces") else endpoint.rstrip("/") + "/v1/traces"


def current_trace_headers() -> dict[str, str]:
    """The W3C trace context of the current span, to travel with an event (empty when tracing is off)."""
    if not _enabled:
        return {}
    carrier: dict[str, str] = {}
    propagate.inject(carrier)
    return carrier


@contextlib.contextmanager
def consuming(event_type: str, group: str, headers: Mapping[str, str]) -> Iterator[Span | None]:
    """A consumer span for one event, continuing the trace of the request that caused it."""
    if not _enabled:
        yield None
        return
    parent = propagate.extract(dict(headers))
    tracer = trace.get_tracer(TRACER_NAME)
    with tracer.start_as_current_span(
        f"consume {event_type}",
        context=parent,
        kind=SpanKind.CONSUMER,
        attributes={"messaging.consumer.group.name": group, "messaging.operation.type": "process"},
    ) as span:
        yield span


class TracingMiddleware(HttpMiddleware):
    """A server span per request, child of the caller's `traceparent` (added only when tracing is on)."""

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        carrier = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        tracer = trace.get_tracer(TRACER_NAME)
        with tracer.start_as_current_span(
            f"{scope['method']} {scope['path']}",
            context=propagate.extract(carrier),
            kind=SpanKind.SERVER,
            attributes={"http.request.method": scope["method"], "url.path": scope["path"]},
        ) as span:

            async def send_with_status(message: Message) -> None:
                if message["type"] == "http.response.start":
                    span.set_attribute("http.response.status_code", message["status"])
                    if message["status"] >= 500:
                        span.set_status(Status(StatusCode.ERROR))
                await send(message)

            try:
                await self.app(scope, receive, send_with_status)
            finally:
                route = getattr(scope.get("route"), "path", None)
                if route:
                    span.set_attribute("http.route", route)
                    span.update_name(f"{scope['method']} {route}")
                correlation_id = correlation_id_var.get()
                if correlation_id:
                    span.set_attribute("correlation_id", correlation_id)
