"""Intake's stored events → integration contracts (what leaves the service).

Internal facts (who holds the ticket, the public status) return None: other
services learn those from their own producers.
"""

from __future__ import annotations

from typing import Any

from contracts import (
    Attachment,
    Channel,
    ComplaintReceived,
    ComplaintSupplemented,
    ComplaintWithdrawn,
    ContactDataAccessed,
    IntegrationEvent,
    MediaSource,
    SealedValue,
    Urgency,
)
from hotline.runtime.envelope import envelope_of
from services.intake.domain import Ticket

SOURCE = "intake"
PRIVATE_FIELDS = frozenset(
    {"contact", "citizen_ref", "query_code_sha256", "query_code_sealed", "request_digest"}
)


def to_contract(domain_event: Any, position: int) -> IntegrationEvent | None:
    if isinstance(domain_event, Ticket.Received):
        return _complaint_received(domain_event, position)
    if isinstance(domain_event, Ticket.Supplemented):
        return ComplaintSupplemented(
            **_envelope(domain_event, position),
            text=domain_event.text,
            attachments=_attachments(domain_event.attachments),
        )
    if isinstance(domain_event, Ticket.Withdrawn):
        return ComplaintWithdrawn(**_envelope(domain_event, position), reason=domain_event.reason)
    if isinstance(domain_event, Ticket.ContactRead):
        return ContactDataAccessed(
            **_envelope(domain_event, position),
            role=domain_event.role,
            key_fingerprint=domain_event.key_fingerprint,
            citizen_ref=domain_event.citizen_ref,
        )
    return None


def _envelope(event: Any, position: int) -> dict[str, Any]:
    return envelope_of(SOURCE, event, position)


def _complaint_received(event: Any, position: int) -> ComplaintReceived:
    return ComplaintReceived(
        **_envelope(event, position),
        channel=Channel(event.channel),
        description=event.description,
        category_hint=event.category_hint,
        district=event.district,
        address=event.address,
        street=event.street,
        latitude=event.latitude,
        longitude=event.longitude,
        urgency=Urgency(event.urgency),
        attachments=_attachments(event.attachments),
        media=MediaSource(**event.media) if event.media else None,
        citizen_ref=event.citizen_ref,
        contact=SealedValue(**event.contact) if event.contact else None,
        anonymous=event.anonymous,
        publication_consent=event.publication_consent,
        query_code_sha256=event.query_code_sha256,
    )


def _attachments(items: list[dict[str, Any]]) -> tuple[Attachment, ...]:
    return tuple(Attachment(**item) for item in items)
