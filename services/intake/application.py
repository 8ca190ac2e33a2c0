"""Intake's commands."""

from __future__ import annotations

import json
from dataclasses import dataclass
from uuid import UUID

from hotline.runtime.sealing import KeyRing, SealedDict
from hotline.runtime.store import ServiceApplication
from hotline.runtime.tracing import current_trace_context, tracer
from services.intake.domain import Ticket


@dataclass(frozen=True)
class Contact:
    name: str | None
    phone: str | None


@dataclass(frozen=True)
class ReceiveComplaint:
    channel: str
    description: str
    category_hint: str | None = None
    district: str | None = None
    address: str | None = None
    contact: Contact | None = None
    anonymous: bool = False
    publication_consent: bool = False


class IntakeApplication(ServiceApplication):
    name = "intake"

    def receive_complaint(self, command: ReceiveComplaint, keyring: KeyRing) -> UUID:
        """Record a complaint as a new ticket; its contact data is sealed before storing.

        The span started here is the root of the ticket's trace across all services.
        """
        with tracer("hotline.intake").start_as_current_span("receive complaint"):
            return self._receive(command, keyring)

    def _receive(self, command: ReceiveComplaint, keyring: KeyRing) -> UUID:
        contact = command.contact
        sealed: SealedDict | None = None
        citizen_ref = None
        if contact is not None and not command.anonymous:
            sealed = keyring.seal(_contact_text(contact), associated_data=b"contact")
            if contact.phone:
                citizen_ref = keyring.pseudonym(contact.phone)
        ticket = Ticket(
            channel=command.channel,
            description=command.description,
            category_hint=command.category_hint,
            district=command.district,
            address=command.address,
            citizen_ref=citizen_ref,
            contact=sealed,
            anonymous=command.anonymous,
            publication_consent=command.publication_consent,
            trace=current_trace_context(),
        )
        self.save(ticket)
        return ticket.id


def _contact_text(contact: Contact) -> str:
    return json.dumps({"name": contact.name, "phone": contact.phone}, ensure_ascii=False)
