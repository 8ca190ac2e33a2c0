"""Builders for upstream events, for service rule tests on the in-memory store."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

from eventsourcing.persistence import Tracking

from contracts import Assigned, Channel, ComplaintReceived, IntegrationEvent, event_id_for

IN_MEMORY = {"PERSISTENCE_MODULE": "eventsourcing.popo"}


def complaint_received(ticket_id: UUID, position: int = 1, **fields: Any) -> ComplaintReceived:
    values: dict[str, Any] = {
        "event_id": event_id_for("intake", ticket_id, position),
        "ticket_id": ticket_id,
        "occurred_at": datetime(2026, 9, 30, 2, 0, tzinfo=UTC),
        "position": position,
        "channel": Channel.PHONE,
        "description": "小区路灯坏了",
        "district": "美兰区",
        "publication_consent": True,
    }
    return ComplaintReceived(**(values | fields))


def assigned(ticket_id: UUID, position: int = 1, unit_code: str = "fallback") -> Assigned:
    return Assigned(
        event_id=event_id_for("routing", ticket_id, position),
        ticket_id=ticket_id,
        occurred_at=datetime(2026, 9, 30, 2, 1, tzinfo=UTC),
        position=position,
        unit_code=unit_code,
        unit_name="兜底单位",
        rule="test",
    )


def deliver(app: Any, event: IntegrationEvent) -> None:
    """What the inbox consumer does with one message."""
    app.process_event(event, Tracking(event.source, event.position))


def new_ticket() -> UUID:
    return uuid4()
