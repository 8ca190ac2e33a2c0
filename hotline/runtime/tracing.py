"""OpenTelemetry traces whose context travels in Kafka headers and in events.

A complaint's journey crosses services only through Kafka, so the W3C trace
context rides in each record's headers. Events are published later by a relay
(outbox), not by the request that raised them, so the carrier is also stored in
the domain event and restored when the relay publishes: one trace from the
phone call to the unit's reply.

Only the W3C `traceparent`/`tracestate` propagator is used (not the global
composite, which may add `baggage`), so headers and stored carriers stay small
and predictable.
"""

from __future__ import annotations

import importlib
import os
import threading
from collections.abc import Mapping, Sequence

import structlog
from opentelemetry import trace
from opentelemetry.context import Context
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import SpanProcessor, TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from opentelemetry.trace import Tracer
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

OTLP_ENDPOINT_VARS = ("OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
_OTLP_MODULE = "opentelemetry.exporter.otlp.proto.http.trace_exporter"
_HEADER_NAMES = frozenset({"traceparent", "tracestate"})

_propagator = TraceContextTextMapPropagator()
_lock = threading.Lock()
_provider: TracerProvider | None = None
_log = structlog.get_logger(__name__)


def configure_tracing(service: str, environ: Mapping[str, str] | None = None) -> TracerProvider:
    """Install the global SDK TracerProvider (resource `service.name=hotline-<service>`).

    Exports over OTLP/HTTP only when an endpoint is configured and
    `opentelemetry-exporter-otlp-proto-http` is installed; otherwise spans are
    recorded for propagation but go nowhere. Idempotent: the first call in a
    process wins and later calls return the same provider. `environ` defaults
    to `os.environ` (a parameter so tests need not patch it).
    """
    global _provider
    with _lock:
        if _provider is not None:
            return _provider
        existing = trace.get_tracer_provider()
        if isinstance(existing, TracerProvider):  # set elsewhere, e.g. by auto-instrumentation
            _provider = existing
            return existing
        provider = TracerProvider(resource=Resource.create({"service.name": f"hotline-{service}"}))
        processor = _otlp_processor(os.environ if environ is None else environ)
        if processor is not None:
            provider.add_span_processor(processor)
        trace.set_tracer_provider(provider)
        _provider = provider
        return provider


def _otlp_processor(environ: Mapping[str, str]) -> SpanProcessor | None:
    if not any(environ.get(var) for var in OTLP_ENDPOINT_VARS):
        return None
    try:
        module = importlib.import_module(_OTLP_MODULE)
    except ImportError:
        _log.warning(
            "tracing.exporter_missing",
            hint="install opentelemetry-exporter-otlp-proto-http to export spans",
        )
        return None
    # The exporter reads the endpoint (and headers, timeouts) from OTEL_* itself.
    return BatchSpanProcessor(module.OTLPSpanExporter())


def tracer(name: str) -> Tracer:
    """A tracer from the global provider (a no-op one until `configure_tracing`)."""
    return trace.get_tracer(name)


def current_trace_context() -> dict[str, str]:
    """The W3C carrier of the current span, `{}` when there is no valid span.

    Stored in domain events so whoever publishes them later continues the trace.
    """
    carrier: dict[str, str] = {}
    _propagator.inject(carrier)
    return carrier


def context_from_carrier(carrier: Mapping[str, str]) -> Context:
    """A Context whose remote parent is the span in `carrier` (empty if none/invalid)."""
    wanted = {k.lower(): v for k, v in carrier.items() if k.lower() in _HEADER_NAMES}
    return _propagator.extract(wanted)


def kafka_headers_from_context(ctx: Context | None = None) -> list[tuple[str, bytes]]:
    """Kafka record headers carrying `ctx` (default: the current context)."""
    carrier: dict[str, str] = {}
    _propagator.inject(carrier, context=ctx)
    return [(name, value.encode("utf-8")) for name, value in carrier.items()]


def context_from_kafka_headers(headers: Sequence[tuple[str, bytes]]) -> Context:
    """The Context carried in a record's headers; other headers are ignored."""
    carrier: dict[str, str] = {}
    for name, value in headers:
        key = name.lower()
        if key in _HEADER_NAMES and value is not None and key not in carrier:
            carrier[key] = bytes(value).decode("utf-8", errors="replace")
    return _propagator.extract(carrier)
