"""One ticket's path through the services is one trace, carried in Kafka headers."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from hotline.runtime.tracing import configure_tracing
from hotline.settings import Settings
from services.sla.domain import Clock

from support import complaint_command, eventually, running


@pytest.fixture
def spans() -> Iterator[InMemorySpanExporter]:
    exporter = InMemorySpanExporter()
    configure_tracing("tests").add_span_processor(SimpleSpanProcessor(exporter))
    yield exporter
    exporter.clear()


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
async def test_intake_routing_and_sla_spans_share_the_tickets_trace(
    settings: Settings, spans: InMemorySpanExporter
) -> None:
    async with running(settings, "intake", "routing", "sla") as services:
        intake = services["intake"]
        ticket_id = intake.application.receive_complaint(complaint_command(1), intake.keyring)
        await eventually(lambda: isinstance(services["sla"].application.find(ticket_id), Clock))

    by_name = {span.name: span for span in spans.get_finished_spans()}
    root = by_name["receive complaint"]
    handled_by_routing = by_name["handle ComplaintReceived"]
    handled_by_sla = by_name["handle Assigned"]
    assert root.parent is None
    trace_id = root.context.trace_id
    assert handled_by_routing.context.trace_id == trace_id
    assert handled_by_sla.context.trace_id == trace_id
    assert by_name["publish Assigned"].context.trace_id == trace_id
