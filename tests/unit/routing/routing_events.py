"""Builders of upstream events and a routing application on the in-memory store."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

from eventsourcing.persistence import Tracking

from contracts import (
    Channel,
    ClosureOutcome,
    ComplaintReceived,
    Escalated,
    IntegrationEvent,
    SupervisionLevel,
    TicketClosed,
    TicketReopened,
    event_id_for,
)
from services.routing.application import RoutingApplication

T0 = datetime(2026, 9, 30, 2, 0, tzinfo=UTC)
_positions = iter(range(1, 1_000_000))


def routing_app(data_dir: Path | None = None, catalogue: Path | None = None) -> RoutingApplication:
    env = {"PERSISTENCE_MODULE": "eventsourcing.popo"}
    env["HOTLINE_DATA_DIR"] = str(data_dir or Path("/nonexistent-routing-test-dir"))
    if catalogue is not None:
        env["HOTLINE_ROUTING_CATALOGUE"] = str(catalogue)
    return RoutingApplication(env)


def _envelope(source: str, ticket_id: UUID, at: datetime) -> dict[str, Any]:
    position = next(_positions)
    return {
        "event_id": event_id_for(source, ticket_id, position),
        "ticket_id": ticket_id,
        "occurred_at": at,
        "position": position,
    }


def complaint(
    description: str = "小区门口路灯不亮了",
    ticket_id: UUID | None = None,
    minutes_later: float = 0,
    **fields: Any,
) -> ComplaintReceived:
    values: dict[str, Any] = {"channel": Channel.PHONE, "description": description}
    values.setdefault("district", "美兰区")
    at = T0 + timedelta(minutes=minutes_later)
    return ComplaintReceived(**_envelope("intake", ticket_id or uuid4(), at), **(values | fields))


def reopened(ticket_id: UUID, round_: int = 1) -> TicketReopened:
    return TicketReopened(**_envelope("feedback", ticket_id, T0 + timedelta(days=5)), round=round_)


def closed(ticket_id: UUID) -> TicketClosed:
    return TicketClosed(
        **_envelope("feedback", ticket_id, T0 + timedelta(days=6)),
        outcome=ClosureOutcome.SATISFIED,
    )


def escalated(ticket_id: UUID, level: SupervisionLevel) -> Escalated:
    number = list(SupervisionLevel).index(level) + 1
    return Escalated(
        **_envelope("sla", ticket_id, T0 + timedelta(days=3)),
        level=level,
        level_number=number,
        reason="deadline breached",
    )


def deliver(app: RoutingApplication, event: IntegrationEvent) -> UUID:
    """What the inbox consumer does with one message; returns the ticket id."""
    app.process_event(event, Tracking(event.source, event.position))
    return event.ticket_id


def kinds(app: RoutingApplication, ticket_id: UUID) -> list[str]:
    return [type(event).__name__ for event in app.history(ticket_id)]


def last(app: RoutingApplication, ticket_id: UUID) -> Any:
    return app.history(ticket_id)[-1]
