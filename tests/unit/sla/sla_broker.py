"""Broker helpers for the SLA integration tests: produce upstream events, read SLA's topic."""

from __future__ import annotations

import asyncio
import time
from uuid import UUID

from contracts import IntegrationEvent, parse_event
from hotline.settings import Settings

from support import publish_events, read_topic


async def produce(settings: Settings, *events: IntegrationEvent) -> None:
    """Put upstream events on their source's topic, as that service's relay would."""
    await publish_events(settings, *events)


async def sla_events_of(settings: Settings, ticket_id: UUID) -> list[IntegrationEvent]:
    """The ticket's events on the SLA topic, in the SLA log's order."""
    records = await read_topic(settings, settings.topic("sla"))
    events = [parse_event(record.value or b"") for record in records]
    return sorted((e for e in events if e.ticket_id == ticket_id), key=lambda e: e.position)


async def wait_for_sla_events(
    settings: Settings, ticket_id: UUID, count: int, within: float = 30.0
) -> list[IntegrationEvent]:
    """Wait until the ticket has at least `count` events on the SLA topic."""
    deadline = time.monotonic() + within
    events: list[IntegrationEvent] = []
    while time.monotonic() < deadline:
        events = await sla_events_of(settings, ticket_id)
        if len(events) >= count:
            return events
        await asyncio.sleep(0.1)
    summary = [e.event_type for e in events]
    errors = await dead_letters(settings)
    raise AssertionError(f"expected {count} SLA events, got {summary}; dead letters: {errors}")


async def dead_letters(settings: Settings) -> list[str]:
    """Errors of the SLA consumer's dead letters (to explain a failing wait)."""
    records = await read_topic(settings, settings.dead_letter_topic("sla"))
    return [dict(record.headers or ()).get("error", b"").decode() for record in records]
