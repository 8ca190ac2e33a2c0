"""Durable timers: what fell due while the SLA service was down fires once on start,
and a further restart fires nothing again (the fired timers are events in the log)."""

from __future__ import annotations

from collections import Counter

from unit.sla.sla_broker import produce, sla_events_of, wait_for_sla_events
from unit.sla.sla_story import assigned, local, new_ticket

from hotline.runtime.clock import ManualClock
from hotline.settings import Settings
from services.sla.context import SlaContext, using

from support import eventually, running

DEADLINES = 3
FIRED_BY_OCT_14 = 4 + 1 + 2 + 1 + 1 + 1
"""Sign-in/first-contact warnings ×4, resolution 50%, their breaches ×2, resolution 75%,
resolution breach, level 1 escalation."""


async def start_and_tick(settings: Settings, clock: ManualClock) -> None:
    """Run the SLA service until its scheduler has caught up with the log twice."""
    with using(SlaContext(clock=clock, tick_seconds=0.02)):
        async with running(settings, "sla") as services:
            application = services["sla"].application
            await eventually(lambda: application.scheduler_ticks >= 2)  # type: ignore[attr-defined]


async def test_timers_due_while_the_service_was_down_fire_exactly_once(
    settings: Settings,
) -> None:
    clock = ManualClock(local("2026-09-30 10:00"))
    tickets = [new_ticket(), new_ticket()]
    with using(SlaContext(clock=clock, tick_seconds=0.02)):
        async with running(settings, "sla"):
            await produce(settings, *(assigned(t, local("2026-09-30 10:00")) for t in tickets))
            for ticket in tickets:
                await wait_for_sla_events(settings, ticket, DEADLINES)

    clock.set(local("2026-10-14 09:00"))  # down over the holiday and past the breach
    await start_and_tick(settings, clock)
    await start_and_tick(settings, clock)

    for ticket in tickets:
        events = await sla_events_of(settings, ticket)
        fired = Counter(
            (e.event_type, getattr(e, "kind", None), getattr(e, "fraction", None))
            for e in events[DEADLINES:]
        )
        assert len(events) == DEADLINES + FIRED_BY_OCT_14
        assert set(fired.values()) == {1}
        assert all(e.occurred_at == local("2026-10-14 09:00") for e in events[DEADLINES:])
