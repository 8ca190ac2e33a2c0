"""Trace context survives a hop through Kafka headers and through a stored carrier."""

from __future__ import annotations

from opentelemetry import trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from hotline.runtime.tracing import (
    configure_tracing,
    context_from_carrier,
    context_from_kafka_headers,
    current_trace_context,
    kafka_headers_from_context,
    tracer,
)


def _service(name: str) -> tuple[TracerProvider, InMemorySpanExporter]:
    """A separate provider per 'service', as if each ran in its own process."""
    exporter = InMemorySpanExporter()
    provider = TracerProvider(resource=Resource.create({"service.name": name}))
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    return provider, exporter


def test_context_travels_through_kafka_headers() -> None:
    provider_a, spans_a = _service("hotline-a")
    provider_b, spans_b = _service("hotline-b")

    with provider_a.get_tracer("a").start_as_current_span("publish") as parent:
        headers = kafka_headers_from_context()
    headers.append(("content-type", b"application/json"))
    assert {name for name, _ in headers} >= {"traceparent"}

    ctx = context_from_kafka_headers(headers)
    with provider_b.get_tracer("b").start_as_current_span("consume", context=ctx):
        pass

    (published,) = spans_a.get_finished_spans()
    (consumed,) = spans_b.get_finished_spans()
    assert consumed.context is not None and published.context is not None
    assert consumed.context.trace_id == published.context.trace_id
    assert consumed.parent is not None
    assert consumed.parent.span_id == parent.get_span_context().span_id
    assert consumed.resource.attributes["service.name"] == "hotline-b"


def test_stored_carrier_continues_trace_later() -> None:
    provider, spans = _service("hotline-a")
    with provider.get_tracer("a").start_as_current_span("handle-call"):
        carrier = current_trace_context()
    assert set(carrier) <= {"traceparent", "tracestate"} and "traceparent" in carrier

    # Later, the relay publishes with the stored carrier.
    headers = kafka_headers_from_context(context_from_carrier(carrier))
    with provider.get_tracer("relay").start_as_current_span(
        "relay", context=context_from_kafka_headers(headers)
    ):
        pass
    first, relay = spans.get_finished_spans()
    assert first.context is not None and relay.context is not None
    assert relay.context.trace_id == first.context.trace_id
    assert relay.parent is not None and relay.parent.span_id == first.context.span_id


def test_no_span_means_empty_carrier_and_root_spans() -> None:
    assert current_trace_context() == {}
    assert kafka_headers_from_context() == []
    ctx = context_from_kafka_headers([("traceparent", b"garbage")])
    assert not trace.get_current_span(ctx).get_span_context().is_valid
    assert not trace.get_current_span(context_from_carrier({})).get_span_context().is_valid


def test_configure_tracing_is_idempotent() -> None:
    provider = configure_tracing("intake", environ={})
    assert configure_tracing("routing", environ={}) is provider
    assert trace.get_tracer_provider() is provider

    exporter = InMemorySpanExporter()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    with tracer("test").start_as_current_span("span"):
        pass
    assert [span.name for span in exporter.get_finished_spans()] == ["span"]


def test_missing_otlp_exporter_is_tolerated() -> None:
    # The exporter package is optional; asking for it must not break startup.
    provider = configure_tracing("intake", environ={"OTEL_EXPORTER_OTLP_ENDPOINT": "http://x:4318"})
    assert isinstance(provider, TracerProvider)


def test_the_first_configuration_names_the_process_service() -> None:
    """In a fresh process (the global provider can be set only once per process)."""
    import subprocess
    import sys

    script = (
        "from hotline.runtime.tracing import configure_tracing;"
        "p = configure_tracing('intake', environ={});"
        "print(p.resource.attributes['service.name'])"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "hotline-intake"
