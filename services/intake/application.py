"""Intake's commands (receive, supplement, withdraw, read contact) and its upstream policy.

Intake listens to routing (who holds the ticket: the unit that may read the
citizen's contact data; the public status) and to feedback (closure, reopening).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from functools import singledispatchmethod
from typing import Any
from uuid import UUID

from eventsourcing.application import ProcessingEvent
from eventsourcing.persistence import IntegrityError

from contracts import (
    Assigned,
    AssignmentReturned,
    AssignmentSigned,
    TicketClosed,
    TicketMerged,
    TicketReopened,
)
from hotline.runtime.sealing import KeyRing, SealedDict
from hotline.runtime.store import ServiceApplication
from hotline.runtime.tracing import current_trace_context, tracer
from services.intake.citizen_keys import CitizenKeys
from services.intake.domain import Erasure, Ticket
from services.intake.public_view import RequestView
from services.intake.query_code import new_query_code, query_code_digest
from services.intake.rules import mask_personal_numbers, normalise_phone
from services.intake.side_store import SideStore, side_store_for

IDEMPOTENCY_NAMESPACE = UUID("0b6f4a63-2a43-4c4e-9d43-6f3c2b7c9e11")
"""Never change: retried submissions find their ticket through ids derived from it."""


class TicketNotFound(LookupError):
    """No such ticket (or the caller may not know it exists)."""


class IdempotencyConflict(Exception):
    """An Idempotency-Key was reused for a different complaint."""


class ContactAccessDenied(PermissionError):
    """The caller's role has no need for this citizen's contact data."""


@dataclass(frozen=True)
class Contact:
    name: str | None
    phone: str | None
    id_number: str | None = None
    email: str | None = None


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
    street: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    urgency: str = "normal"
    attachments: tuple[dict[str, Any], ...] = ()
    media: dict[str, Any] | None = None


@dataclass(frozen=True)
class Accepted:
    ticket_id: UUID
    query_code: str
    created: bool


@dataclass(frozen=True)
class Caller:
    """Who asked: role and API-key fingerprint (never the key)."""

    role: str
    key_fingerprint: str

    @property
    def label(self) -> str:
        return f"{self.role}:{self.key_fingerprint}"


SYSTEM = Caller("system", "-")


class IntakeApplication(ServiceApplication):
    name = "intake"

    def __init__(self, env: dict[str, str] | None = None) -> None:
        super().__init__(env)
        self.clock: Callable[[], datetime] = _utc_now
        self.side_store: SideStore = side_store_for(self.env)
        self.citizen_keys = CitizenKeys(self.side_store)
        self.request_view = RequestView(self.side_store)

    def close(self) -> None:
        self.side_store.close()
        super().close()

    # --- receiving -----------------------------------------------------------------

    def receive_complaint(self, command: ReceiveComplaint, keyring: KeyRing) -> UUID:
        """Record a complaint as a new ticket (no idempotency key); returns its id."""
        return self.submit(command, keyring).ticket_id

    def submit(
        self,
        command: ReceiveComplaint,
        keyring: KeyRing,
        caller: Caller = SYSTEM,
        idempotency_key: str | None = None,
    ) -> Accepted:
        """Record a complaint; a retry with the same idempotency key returns the same ticket.

        The span started here is the root of the ticket's trace across all services.
        """
        with tracer("hotline.intake").start_as_current_span("receive complaint"):
            ticket_id = _ticket_id(caller, idempotency_key)
            digest = keyring.pseudonym("request:" + _canonical(command))
            if idempotency_key is not None:
                existing = self._get(ticket_id)
                if existing is not None:
                    return self._replay(existing, digest, keyring)
            try:
                return self._record_complaint(ticket_id, command, keyring, caller, digest)
            except IntegrityError:
                existing = self._get(ticket_id)
                if existing is None:
                    raise
                return self._replay(existing, digest, keyring)

    def _record_complaint(
        self,
        ticket_id: UUID,
        command: ReceiveComplaint,
        keyring: KeyRing,
        caller: Caller,
        digest: str,
    ) -> Accepted:
        code = new_query_code()
        citizen_ref, sealed = self._seal_contact(ticket_id, command.contact, keyring)
        ticket = Ticket(
            ticket_id=ticket_id,
            channel=command.channel,
            description=mask_personal_numbers(command.description),
            category_hint=command.category_hint,
            district=command.district,
            address=command.address,
            street=command.street,
            latitude=command.latitude,
            longitude=command.longitude,
            urgency=command.urgency,
            attachments=_masked_attachments(command.attachments),
            media=dict(command.media) if command.media else None,
            citizen_ref=citizen_ref,
            contact=sealed,
            anonymous=command.anonymous,
            publication_consent=command.publication_consent,
            query_code_sha256=query_code_digest(ticket_id, code),
            query_code_sealed=keyring.seal(code, _query_code_context(ticket_id)),
            request_digest=digest,
            submitted_by=caller.label,
            trace=current_trace_context(),
        )
        self.save(ticket)
        return Accepted(ticket_id, code, created=True)

    def _replay(self, ticket: Ticket, digest: str, keyring: KeyRing) -> Accepted:
        if ticket.request_digest != digest:
            raise IdempotencyConflict("this Idempotency-Key was used for a different complaint")
        code = keyring.open(ticket.query_code_sealed, _query_code_context(ticket.id))
        return Accepted(ticket.id, code, created=False)

    def _seal_contact(
        self, ticket_id: UUID, contact: Contact | None, keyring: KeyRing
    ) -> tuple[str | None, SealedDict | None]:
        if contact is None:
            return None, None
        citizen_ref = keyring.pseudonym(_identity(contact, ticket_id))
        text = json.dumps(asdict(contact), ensure_ascii=False)
        now = self.clock().isoformat()
        sealed = self.citizen_keys.seal(
            citizen_ref, text, _contact_context(ticket_id), keyring, now
        )
        return citizen_ref, sealed

    # --- later commands --------------------------------------------------------------

    def ticket(self, ticket_id: UUID) -> Ticket:
        found = self._get(ticket_id)
        if found is None:
            raise TicketNotFound(str(ticket_id))
        return found

    def supplement(
        self, ticket_id: UUID, text: str | None, attachments: list[dict[str, Any]], caller: Caller
    ) -> Ticket:
        ticket = self.ticket(ticket_id)
        masked = mask_personal_numbers(text) if text is not None else None
        ticket.supplement(
            masked, _masked_attachments(attachments), caller.label, current_trace_context()
        )
        self.save(ticket)
        return ticket

    def withdraw(self, ticket_id: UUID, reason: str | None, caller: Caller) -> Ticket:
        ticket = self.ticket(ticket_id)
        masked = mask_personal_numbers(reason) if reason is not None else None
        ticket.withdraw(masked, caller.label, current_trace_context())
        self.save(ticket)
        return ticket

    def read_contact(self, ticket_id: UUID, caller: Caller, keyring: KeyRing) -> dict[str, Any]:
        """Open the citizen's contact data for a caller who needs it, recording the read first.

        Operators and callback staff (hotline_centre) may read; a unit only the
        tickets it holds, and never an anonymous citizen's.
        """
        ticket = self.ticket(ticket_id)
        if not may_read_contact(ticket, caller.role):
            raise ContactAccessDenied(
                f"role {caller.role!r} may not read this citizen's contact data"
            )
        if ticket.contact is None:
            return {}
        opened: dict[str, Any] = json.loads(
            self.citizen_keys.open(ticket.contact, _contact_context(ticket.id), keyring)
        )
        ticket.record_contact_read(
            role=caller.role,
            key_fingerprint=caller.key_fingerprint,
            citizen_key_id=ticket.contact["key_id"],
            citizen_ref=ticket.citizen_ref,
            trace=current_trace_context(),
        )
        self.save(ticket)
        return opened

    def forget_citizen(self, citizen_ref: str) -> int:
        """Destroy the citizen's keys, then record that it was done (how many, never who)."""
        destroyed = self.citizen_keys.forget(citizen_ref)
        if destroyed:
            self._record_erasure(citizen_ref, destroyed)
        return destroyed

    def _record_erasure(self, citizen_ref: str, destroyed: int) -> None:
        found = self.find(Erasure.create_id(citizen_ref))
        if isinstance(found, Erasure):
            found.repeat(destroyed)
            self.save(found)
        else:
            self.save(Erasure(citizen_ref=citizen_ref, keys_destroyed=destroyed))

    def _get(self, ticket_id: UUID) -> Ticket | None:
        found = self.find(ticket_id)
        return found if isinstance(found, Ticket) else None

    # --- upstream policy -------------------------------------------------------------

    @singledispatchmethod
    def policy(self, domain_event: Any, processing_event: ProcessingEvent[Any]) -> None:
        """Events intake does not act on are only tracked."""

    @policy.register
    def _(self, event: Assigned, processing_event: ProcessingEvent[Any]) -> None:
        ticket = self._get(event.ticket_id)
        if ticket is None:
            return
        ticket.change_holder(event.unit_code, event.unit_name)
        ticket.move_status("investigating", f"assigned to {event.unit_name}")
        processing_event.collect_events(ticket)

    @policy.register
    def _(self, event: AssignmentSigned, processing_event: ProcessingEvent[Any]) -> None:
        self._move(event.ticket_id, "in_progress", None, processing_event)

    @policy.register
    def _(self, event: AssignmentReturned, processing_event: ProcessingEvent[Any]) -> None:
        self._move(event.ticket_id, "internal_referral", None, processing_event)

    @policy.register
    def _(self, event: TicketMerged, processing_event: ProcessingEvent[Any]) -> None:
        self._move(
            event.ticket_id, "duplicate", f"merged into {event.master_ticket_id}", processing_event
        )

    @policy.register
    def _(self, event: TicketClosed, processing_event: ProcessingEvent[Any]) -> None:
        status = "fixed" if event.solved else "closed"
        self._move(event.ticket_id, status, None, processing_event)

    @policy.register
    def _(self, event: TicketReopened, processing_event: ProcessingEvent[Any]) -> None:
        self._move(event.ticket_id, "in_progress", "reopened", processing_event)

    def _move(
        self, ticket_id: UUID, status: str, note: str | None, processing_event: ProcessingEvent[Any]
    ) -> None:
        ticket = self._get(ticket_id)
        if ticket is None:
            return
        ticket.move_status(status, note)
        processing_event.collect_events(ticket)


def may_read_contact(ticket: Ticket, role: str) -> bool:
    if role in ("operator", "hotline_centre"):
        return True
    holder = ticket.holder_unit_code
    return holder is not None and role == f"unit:{holder}" and not ticket.anonymous


def _masked_attachments(items: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Transcripts of calls and voice notes are where spoken numbers end up."""
    masked = []
    for item in items:
        copy = dict(item)
        if isinstance(copy.get("transcript"), str):
            copy["transcript"] = mask_personal_numbers(copy["transcript"])
        masked.append(copy)
    return masked


def _utc_now() -> datetime:
    """The default clock; tests inject their own through `IntakeApplication.clock`."""
    return datetime.now(UTC)


def _ticket_id(caller: Caller, idempotency_key: str | None) -> UUID:
    if idempotency_key is None:
        return uuid.uuid4()
    return uuid.uuid5(
        IDEMPOTENCY_NAMESPACE, f"{caller.role}:{caller.key_fingerprint}:{idempotency_key}"
    )


def _identity(contact: Contact, ticket_id: UUID) -> str:
    """What makes two complaints the same citizen's: the phone, else ID number, else e-mail.

    A contact with only a name is nobody's repeat: it gets a one-off identity.
    """
    if contact.phone:
        try:
            return "phone:" + normalise_phone(contact.phone)
        except ValueError:
            return "phone:" + contact.phone.strip()
    if contact.id_number:
        return "id:" + contact.id_number.upper()
    if contact.email:
        return "email:" + contact.email.strip().lower()
    return f"ticket:{ticket_id}"


def _canonical(command: ReceiveComplaint) -> str:
    return json.dumps(asdict(command), ensure_ascii=False, sort_keys=True, default=str)


def _contact_context(ticket_id: UUID) -> bytes:
    return f"contact:{ticket_id}".encode()


def _query_code_context(ticket_id: UUID) -> bytes:
    return f"query-code:{ticket_id}".encode()
