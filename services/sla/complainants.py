"""Repeat complaints: the same citizen about the same category again and again (重复投诉).

Two small aggregates, no I/O. `Complainant` (one per pseudonymous `citizen_ref`) keeps
when each of the citizen's tickets came and in which category, to count repeats within a
window. `PendingSignals` (one per ticket) holds an escalation that was decided before
the ticket's clock existed (intake's topic is not ordered with routing's), so the clock
can escalate as soon as it starts.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event


class Complainant(Aggregate):
    class Registered(Aggregate.Created):
        citizen_ref: str

    class ComplaintNoted(Aggregate.Event):
        ticket_id: UUID
        category: str
        at: datetime

    @staticmethod
    def create_id(citizen_ref: str) -> UUID:
        return uuid5(NAMESPACE_URL, f"hotline:sla:complainant:{citizen_ref}")

    @event(Registered)
    def __init__(self, citizen_ref: str) -> None:
        self.citizen_ref = citizen_ref
        self.complaints: list[tuple[UUID, str, datetime]] = []

    @event(ComplaintNoted)
    def note(self, ticket_id: UUID, category: str, at: datetime) -> None:
        self.complaints.append((ticket_id, category, at))

    def knows(self, ticket_id: UUID) -> bool:
        return any(known == ticket_id for known, _, _ in self.complaints)

    def count_within(self, category: str, at: datetime, window: timedelta) -> int:
        """Complaints in `category` from `window` before `at` up to `at`, inclusive."""
        return sum(
            1
            for _, noted_category, noted_at in self.complaints
            if noted_category == category and at - window <= noted_at <= at
        )


class PendingSignals(Aggregate):
    class Created(Aggregate.Created):
        ticket_id: UUID

    class Raised(Aggregate.Event):
        reason: str
        at: datetime

    @staticmethod
    def create_id(ticket_id: UUID) -> UUID:
        return uuid5(NAMESPACE_URL, f"hotline:sla:signals:{ticket_id}")

    @event(Created)
    def __init__(self, ticket_id: UUID) -> None:
        self.ticket_id = ticket_id
        self.signals: list[tuple[str, datetime]] = []

    @event(Raised)
    def raise_signal(self, reason: str, at: datetime) -> None:
        self.signals.append((reason, at))
