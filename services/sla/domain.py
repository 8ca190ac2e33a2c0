"""SLA's aggregate: the clock of one ticket. No I/O here."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from eventsourcing.domain import Aggregate, event


class Clock(Aggregate):
    """A ticket's handling clock; its id is the ticket id.

    For now it only records when handling started and by whom; the SLA issue adds
    the working-day calendar, deadlines, warnings and the supervision ladder.
    """

    @staticmethod
    def create_id(ticket_id: UUID) -> UUID:
        return ticket_id

    @event("Started")
    def __init__(self, ticket_id: UUID, unit_code: str, started_at: datetime) -> None:
        self.ticket_id = ticket_id
        self.unit_code = unit_code
        self.started_at = started_at

    @event("HandlerChanged")
    def change_handler(self, unit_code: str) -> None:
        self.unit_code = unit_code
