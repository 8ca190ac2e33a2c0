"""Builders for intake's rule tests on the in-memory store (no broker, no database)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from eventsourcing.persistence import Tracking

from contracts import Assigned, IntegrationEvent, TicketClosed, event_id_for
from hotline.runtime.sealing import KeyRing
from services.intake.application import Caller, Contact, IntakeApplication, ReceiveComplaint

IN_MEMORY = {"PERSISTENCE_MODULE": "eventsourcing.popo"}
OPERATOR = Caller("operator", "0perat0r")
PARTNER = Caller("partner", "partner1")
_positions = iter(range(1, 10**6))


def new_app() -> tuple[IntakeApplication, KeyRing]:
    return IntakeApplication(IN_MEMORY), KeyRing.generate()


def complaint(**fields: Any) -> ReceiveComplaint:
    values: dict[str, Any] = {
        "channel": "phone",
        "description": "小区路灯坏了，电话13800001234",
        "district": "美兰区",
        "street": "海甸街道",
        "address": "海甸五西路28号",
        "contact": Contact(name="张三", phone="13800001234", id_number="11010519491231002X"),
    }
    return ReceiveComplaint(**(values | fields))


def assigned(ticket_id: UUID, unit_code: str) -> Assigned:
    position = next(_positions)
    return Assigned(
        event_id=event_id_for("routing", ticket_id, position),
        ticket_id=ticket_id,
        occurred_at=datetime(2026, 9, 30, 2, 1, tzinfo=UTC),
        position=position,
        unit_code=unit_code,
        unit_name="水务局",
        rule="test",
    )


def closed(ticket_id: UUID, solved: bool) -> TicketClosed:
    position = next(_positions)
    return TicketClosed(
        event_id=event_id_for("feedback", ticket_id, position),
        ticket_id=ticket_id,
        occurred_at=datetime(2026, 10, 3, 2, 0, tzinfo=UTC),
        position=position,
        outcome="satisfied",  # type: ignore[arg-type]
        solved=solved,
    )


def deliver(app: IntakeApplication, event: IntegrationEvent) -> None:
    """What the inbox consumer does with one message."""
    app.process_event(event, Tracking(event.source, event.position))  # type: ignore[arg-type]
