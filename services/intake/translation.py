"""Intake's stored events → integration contracts (what leaves the service)."""

from __future__ import annotations

from typing import Any

from contracts import (
    Channel,
    ComplaintReceived,
    IntegrationEvent,
    SealedValue,
    TraceContext,
    event_id_for,
)
from services.intake.domain import Ticket

SOURCE = "intake"
PRIVATE_FIELDS = frozenset({"contact", "citizen_ref"})


def to_contract(domain_event: Any, position: int) -> IntegrationEvent | None:
    if isinstance(domain_event, Ticket.Received):
        return _complaint_received(domain_event, position)
    return None


def _complaint_received(event: Any, position: int) -> ComplaintReceived:
    return ComplaintReceived(
        event_id=event_id_for(SOURCE, event.originator_id, event.originator_version),
        ticket_id=event.originator_id,
        occurred_at=event.timestamp,
        position=position,
        trace=TraceContext(**event.trace),
        channel=Channel(event.channel),
        description=event.description,
        category_hint=event.category_hint,
        district=event.district,
        address=event.address,
        citizen_ref=event.citizen_ref,
        contact=SealedValue(**event.contact) if event.contact else None,
        anonymous=event.anonymous,
        publication_consent=event.publication_consent,
    )
