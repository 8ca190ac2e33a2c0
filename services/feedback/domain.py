"""Feedback's aggregate: the follow-up case of one ticket. No I/O here."""

from __future__ import annotations

from uuid import UUID

from eventsourcing.domain import Aggregate, event


class FollowUp(Aggregate):
    """What feedback needs to call the citizen back later; its id is the ticket id.

    Upstream events arrive from two topics in no guaranteed order, so the case is
    opened by whichever comes first.
    """

    @staticmethod
    def create_id(ticket_id: UUID) -> UUID:
        return ticket_id

    @event("Opened")
    def __init__(self, ticket_id: UUID) -> None:
        self.ticket_id = ticket_id
        self.channel: str | None = None
        self.citizen_ref: str | None = None
        self.handling_unit: str | None = None

    @event("CitizenNoted")
    def note_citizen(self, channel: str, citizen_ref: str | None, anonymous: bool) -> None:
        self.channel = channel
        self.citizen_ref = citizen_ref

    @event("HandlingUnitNoted")
    def note_handling_unit(self, unit_code: str) -> None:
        self.handling_unit = unit_code
