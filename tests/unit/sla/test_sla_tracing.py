"""SLA's events join the ticket's trace: the clock keeps the assignment's trace context."""

from __future__ import annotations

from opentelemetry.sdk.trace import TracerProvider
from sla_story import assigned, deliver, local, new_ticket, published, sla_app

from hotline.runtime.clock import ManualClock


def test_deadlines_and_fired_timers_carry_the_trace_of_the_assignment() -> None:
    clock = ManualClock(local("2026-09-28 09:00"))
    app = sla_app(clock)
    ticket = new_ticket()
    with TracerProvider().get_tracer("inbox").start_as_current_span("handle Assigned") as span:
        deliver(app, assigned(ticket, local("2026-09-28 09:00")))
    clock.set(local("2026-10-30 09:00"))

    app.fire_due_timers(ticket)

    trace_id = format(span.get_span_context().trace_id, "032x")
    events = published(app, ticket)
    assert len(events) > 3
    assert all(trace_id in (e.trace.traceparent or "") for e in events)
