"""Intake's aggregate: a ticket as it was received (受理) and what intake learns after. No I/O.

Personal data arrives here already sealed (`contact`, under the citizen's own key)
or pseudonymised (`citizen_ref`): the store never holds it in clear.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event

from hotline.runtime.sealing import SealedDict

ERASURE_NAMESPACE = UUID("5f0e2a51-8d3c-4f7e-b1a2-3c4d5e6f7a8b")
"""Never change: a citizen's erasure record is found again through ids derived from it."""
OPEN_STATES = frozenset({"open", "investigating", "in_progress", "internal_referral"})
"""Extended (FixMyStreet-style) states in which the ticket still counts as open."""


class TicketStateError(Exception):
    """The command does not fit the ticket's state (e.g. supplementing a withdrawn ticket)."""


class Ticket(Aggregate):
    """A citizen's complaint, recorded as it came in on its channel. Its id is the ticket id."""

    class Received(Aggregate.Created):
        ticket_id: UUID
        channel: str
        description: str
        category_hint: str | None
        district: str | None
        address: str | None
        street: str | None
        latitude: float | None
        longitude: float | None
        urgency: str
        attachments: list[dict[str, Any]]
        media: dict[str, Any] | None
        citizen_ref: str | None
        contact: SealedDict | None
        anonymous: bool
        publication_consent: bool
        query_code_sha256: str
        query_code_sealed: SealedDict
        request_digest: str
        submitted_by: str
        trace: dict[str, str]

    class Supplemented(Aggregate.Event):
        text: str | None
        attachments: list[dict[str, Any]]
        submitted_by: str
        trace: dict[str, str]

    class Withdrawn(Aggregate.Event):
        reason: str | None
        submitted_by: str
        trace: dict[str, str]

    class HolderChanged(Aggregate.Event):
        """Internal: routing says which unit holds the ticket (for contact-data access)."""

        unit_code: str
        unit_name: str

    class StatusChanged(Aggregate.Event):
        """Internal: a downstream fact moved the public (Open311) status."""

        extended_status: str
        note: str | None

    class ContactRead(Aggregate.Event):
        """Someone with a right to it read the citizen's contact data."""

        role: str
        key_fingerprint: str
        citizen_key_id: str
        citizen_ref: str | None
        trace: dict[str, str]

    @staticmethod
    def create_id(ticket_id: UUID) -> UUID:
        return ticket_id

    @event(Received)
    def __init__(
        self,
        ticket_id: UUID,
        channel: str,
        description: str,
        category_hint: str | None,
        district: str | None,
        address: str | None,
        street: str | None,
        latitude: float | None,
        longitude: float | None,
        urgency: str,
        attachments: list[dict[str, Any]],
        media: dict[str, Any] | None,
        citizen_ref: str | None,
        contact: SealedDict | None,
        anonymous: bool,
        publication_consent: bool,
        query_code_sha256: str,
        query_code_sealed: SealedDict,
        request_digest: str,
        submitted_by: str,
        trace: dict[str, str],
    ) -> None:
        self.ticket_id = ticket_id
        self.channel = channel
        self.description = description
        self.category_hint = category_hint
        self.district = district
        self.address = address
        self.street = street
        self.latitude = latitude
        self.longitude = longitude
        self.urgency = urgency
        self.attachments = list(attachments)
        self.media = media
        self.citizen_ref = citizen_ref
        self.contact = contact
        self.anonymous = anonymous
        self.publication_consent = publication_consent
        self.query_code_sha256 = query_code_sha256
        self.query_code_sealed = query_code_sealed
        self.request_digest = request_digest
        self.submitted_by = submitted_by
        self.holder: tuple[str, str] | None = None
        self.extended_status = "open"
        self.supplements = 0

    @property
    def is_open(self) -> bool:
        return self.extended_status in OPEN_STATES

    def supplement(
        self,
        text: str | None,
        attachments: list[dict[str, Any]],
        submitted_by: str,
        trace: dict[str, str],
    ) -> None:
        """补充材料: only while the ticket is still being handled."""
        self._require_open("supplement")
        self._supplemented(text, attachments, submitted_by, trace)

    @event(Supplemented)
    def _supplemented(
        self,
        text: str | None,
        attachments: list[dict[str, Any]],
        submitted_by: str,
        trace: dict[str, str],
    ) -> None:
        self.supplements += 1
        self.attachments = [*self.attachments, *attachments]

    def withdraw(self, reason: str | None, submitted_by: str, trace: dict[str, str]) -> None:
        """撤诉: handling stops; the record stays."""
        self._require_open("withdraw")
        self._withdrawn(reason, submitted_by, trace)

    @event(Withdrawn)
    def _withdrawn(self, reason: str | None, submitted_by: str, trace: dict[str, str]) -> None:
        self.extended_status = "withdrawn"

    @event(HolderChanged)
    def change_holder(self, unit_code: str, unit_name: str) -> None:
        self.holder = (unit_code, unit_name)

    def move_status(self, extended_status: str, note: str | None) -> None:
        """Follow downstream progress, but a withdrawal is final for intake."""
        if self.extended_status == "withdrawn" or self.extended_status == extended_status:
            return
        self._status_changed(extended_status, note)

    @event(StatusChanged)
    def _status_changed(self, extended_status: str, note: str | None) -> None:
        self.extended_status = extended_status

    @event(ContactRead)
    def record_contact_read(
        self,
        role: str,
        key_fingerprint: str,
        citizen_key_id: str,
        citizen_ref: str | None,
        trace: dict[str, str],
    ) -> None:
        """Each read of contact data is itself a fact (PIPL: who saw what, when)."""

    @property
    def holder_unit_code(self) -> str | None:
        return self.holder[0] if self.holder else None

    def _require_open(self, action: str) -> None:
        if not self.is_open:
            raise TicketStateError(f"cannot {action}: the ticket is {self.extended_status}")


class Erasure(Aggregate):
    """The record that a citizen's personal data was erased (their keys destroyed).

    Its id is derived from the citizen's pseudonym; each erasure is one event, so
    auditors can see when a deletion request was honoured without seeing the person.
    """

    class Requested(Aggregate.Created):
        citizen_ref: str
        keys_destroyed: int

    class Repeated(Aggregate.Event):
        keys_destroyed: int

    @staticmethod
    def create_id(citizen_ref: str) -> UUID:
        return uuid5(ERASURE_NAMESPACE, citizen_ref)

    @event(Requested)
    def __init__(self, citizen_ref: str, keys_destroyed: int) -> None:
        self.citizen_ref = citizen_ref
        self.keys_destroyed = keys_destroyed

    @event(Repeated)
    def repeat(self, keys_destroyed: int) -> None:
        self.keys_destroyed += keys_destroyed
