"""Routing's aggregate: the dispatch (派单) of one ticket. No I/O here."""

from __future__ import annotations

from uuid import UUID

from eventsourcing.domain import Aggregate, event


class Dispatch(Aggregate):
    """Who handles a ticket. Its id is the ticket id."""

    class Registered(Aggregate.Created):
        ticket_id: UUID
        description: str
        category_hint: str | None
        district: str | None
        trace: dict[str, str]

    class Assigned(Aggregate.Event):
        unit_code: str
        unit_name: str
        category: str | None
        rule: str
        trace: dict[str, str]

    @staticmethod
    def create_id(ticket_id: UUID) -> UUID:
        return ticket_id

    @event(Registered)
    def __init__(
        self,
        ticket_id: UUID,
        description: str,
        category_hint: str | None,
        district: str | None,
        trace: dict[str, str],
    ) -> None:
        self.ticket_id = ticket_id
        self.description = description
        self.category_hint = category_hint
        self.district = district
        self.unit_code: str | None = None

    @event(Assigned)
    def assign(
        self, unit_code: str, unit_name: str, category: str | None, rule: str, trace: dict[str, str]
    ) -> None:
        self.unit_code = unit_code
