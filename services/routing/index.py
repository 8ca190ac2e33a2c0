"""An in-memory view over routing's own log: queues, open masters, merged children, history.

Why not a table: everything here follows from the stored events, so the view catches
up by reading the notification log from where it stopped — after a restart it simply
reads from the beginning, and it can never disagree with the log.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.persistence import Notification

from services.routing.domain import Dispatch, Status
from services.routing.merging import OpenTicket

PAGE = 500


@dataclass
class TicketView:
    ticket_id: UUID
    text: str
    received_at: datetime
    district: str | None
    street: str | None
    category: str | None = None
    status: Status = Status.QUEUED
    unit_code: str | None = None
    best_guess_unit_code: str | None = None
    confidence: float | None = None
    master_ticket_id: UUID | None = None
    returned_units: set[str] = field(default_factory=set)
    candidate_units: tuple[str, ...] = ()
    returns: list[dict[str, str]] = field(default_factory=list)


class DispatchIndex:
    def __init__(
        self,
        read: Callable[[int, int], Iterable[Notification]],
        decode: Callable[[Notification], Any],
    ) -> None:
        self._read = read
        self._decode = decode
        self._position = 0
        self._tickets: dict[UUID, TicketView] = {}
        self._lock = threading.Lock()

    def catch_up(self) -> dict[UUID, TicketView]:
        with self._lock:
            while True:
                page = list(self._read(self._position, PAGE))
                for notification in page:
                    self._apply(self._decode(notification))
                    self._position = notification.id
                if len(page) < PAGE:
                    return dict(self._tickets)

    # --- queries ------------------------------------------------------------------------

    def awaiting_centre(self) -> list[TicketView]:
        """Tickets an operator or the hotline centre must act on, oldest first."""
        waiting = (Status.QUEUED, Status.CONSULTATION, Status.RETURN_PENDING)
        tickets = self.catch_up().values()
        found = [t for t in tickets if t.status in waiting and t.master_ticket_id is None]
        return sorted(found, key=lambda t: t.received_at)

    def open_masters(self) -> list[OpenTicket]:
        return [
            OpenTicket(t.ticket_id, t.received_at, t.category, t.street, t.text)
            for t in self.catch_up().values()
            if t.status is not Status.CLOSED and t.master_ticket_id is None
        ]

    def children_of(self, master: UUID) -> list[UUID]:
        return [t.ticket_id for t in self.catch_up().values() if t.master_ticket_id == master]

    def handled_without_return(self) -> list[TicketView]:
        """Closed tickets whose final unit never returned them: the history to learn from."""
        return [
            t
            for t in self.catch_up().values()
            if t.status is Status.CLOSED
            and t.unit_code is not None
            and t.unit_code not in t.returned_units
        ]

    # --- folding ------------------------------------------------------------------------

    def _apply(self, event: Any) -> None:
        if isinstance(event, Dispatch.Registered):
            self._tickets[event.originator_id] = TicketView(
                event.originator_id,
                event.description,
                event.received_at,
                event.district,
                event.street,
                category=event.category_hint,
            )
            return
        view = self._tickets.get(event.originator_id)
        if view is not None:
            _fold(view, event)


def _fold(view: TicketView, event: Any) -> None:
    if isinstance(event, Dispatch.Assigned):
        view.unit_code, view.status = event.unit_code, Status.ASSIGNED
        view.category = event.category or view.category
    elif isinstance(event, Dispatch.ManualQueued):
        view.status, view.confidence = Status.QUEUED, event.confidence
        view.best_guess_unit_code = event.best_guess_unit_code
        view.category = event.category or view.category
    elif isinstance(event, Dispatch.ConsultationOpened):
        view.status, view.candidate_units = Status.CONSULTATION, tuple(event.candidate_units)
    elif isinstance(event, Dispatch.Signed):
        view.status = Status.SIGNED
    elif isinstance(event, Dispatch.Returned):
        view.status = Status.RETURN_PENDING
        view.returned_units.add(event.unit_code)
        view.returns.append({"unit_code": event.unit_code, "reason": event.reason})
    elif isinstance(event, Dispatch.ReturnReviewed) and not event.accepted:
        view.status = Status.ASSIGNED
    elif isinstance(event, Dispatch.Merged):
        view.master_ticket_id = event.master_ticket_id
        view.category = event.category or view.category
    elif isinstance(event, Dispatch.Closed):
        view.status = Status.CLOSED
