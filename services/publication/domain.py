"""Publication's aggregate: what may one day be shown of a ticket. No I/O here."""

from __future__ import annotations

from uuid import UUID

from eventsourcing.domain import Aggregate, event


class Listing(Aggregate):
    """The public-facing record of a ticket; its id is the ticket id.

    It keeps only what publication may use: no contact data, no citizen reference.
    """

    @staticmethod
    def create_id(ticket_id: UUID) -> UUID:
        return ticket_id

    @event("Started")
    def __init__(self, ticket_id: UUID) -> None:
        self.ticket_id = ticket_id
        self.district: str | None = None
        self.consented = False
        self.unit_name: str | None = None

    @event("ComplaintNoted")
    def note_complaint(self, district: str | None, consented: bool) -> None:
        self.district = district
        self.consented = consented

    @event("ResponsibleUnitNoted")
    def note_responsible_unit(self, unit_code: str, unit_name: str) -> None:
        self.unit_name = unit_name
