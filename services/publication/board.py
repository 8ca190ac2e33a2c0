"""Read models of the public board, rebuilt from publication's own event log.

Why a projection rather than queries on aggregates: the board lists and ranks all
tickets, which the event store cannot query. The projection follows the notification
log (the same one the relays read), reloads each touched ticket and keeps a plain,
already-masked view of it. Restarting rebuilds it from the log; nothing else is stored.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

from services.publication.application import PublicationApplication
from services.publication.domain import Listing, Step

SATISFIED = frozenset({"very_satisfied", "satisfied", "basically_satisfied"})
PUBLIC_MEDIA_LEVEL = 2
"""五级督办 level 2 is media exposure (媒体曝光); the column shows that level and above."""


@dataclass(frozen=True)
class TicketView:
    """What the public may know of one ticket. Text only when it is on the board."""

    ticket_id: UUID
    published: bool
    masked_description: str | None
    category: str | None
    district: str | None
    street: str | None
    unit_code: str | None
    unit_name: str | None
    status: str
    received_at: datetime | None
    closed_at: datetime | None
    signed: bool
    breached: bool
    escalation_level: int
    reply_result: str | None
    masked_reply: str | None
    satisfaction: str | None
    solved: bool | None
    steps: tuple[Step, ...]
    comments: tuple[tuple[str, str, datetime], ...]
    pending_comments: tuple[tuple[str, str, datetime], ...]

    @classmethod
    def of(cls, listing: Listing) -> TicketView:
        shown = listing.published
        return cls(
            ticket_id=listing.ticket_id,
            published=shown,
            masked_description=listing.masked_description if shown else None,
            category=listing.category,
            district=listing.district,
            street=listing.street if shown else None,
            unit_code=listing.unit_code,
            unit_name=listing.unit_name,
            status=listing.status,
            received_at=listing.received_at,
            closed_at=listing.closed_at,
            signed=any(step.stage == "signed" for step in listing.steps),
            breached=listing.breached,
            escalation_level=listing.escalation_level,
            reply_result=listing.reply_result,
            masked_reply=listing.masked_reply if shown else None,
            satisfaction=listing.satisfaction,
            solved=listing.solved,
            steps=tuple(listing.steps) if shown else (),
            comments=tuple(
                (c.comment_id, c.masked_text, c.posted_at) for c in listing.approved_comments()
            )
            if shown
            else (),
            pending_comments=tuple(
                (c.comment_id, c.masked_text, c.posted_at)
                for c in listing.comments.values()
                if c.status == "pending"
            ),
        )

    @property
    def satisfied(self) -> bool:
        return self.satisfaction in SATISFIED

    @property
    def well_handled(self) -> bool:
        """A typical good case: aired, closed, solved, satisfied, never overdue."""
        return (
            self.published
            and self.status == "closed"
            and bool(self.solved)
            and self.satisfied
            and not self.breached
        )


@dataclass(frozen=True)
class Filters:
    query: str | None = None
    category: str | None = None
    district: str | None = None
    unit: str | None = None
    status: str | None = None
    date_from: date | None = None
    date_to: date | None = None

    def admit(self, view: TicketView) -> bool:
        received = view.received_at.date() if view.received_at else None
        searchable = " ".join(
            part for part in (view.masked_description, view.category, view.unit_name) if part
        )
        return (
            (not self.query or self.query in searchable)
            and (not self.category or view.category == self.category)
            and (not self.district or view.district == self.district)
            and (not self.unit or self.unit in (view.unit_code, view.unit_name))
            and (not self.status or view.status == self.status)
            and (not self.date_from or (received is not None and received >= self.date_from))
            and (not self.date_to or (received is not None and received <= self.date_to))
        )


class Board:
    """All tickets' public views, kept up to date from the application's log on demand."""

    def __init__(self, application: PublicationApplication) -> None:
        self._application = application
        self._views: dict[UUID, TicketView] = {}
        self._position = 0
        self._lock = threading.Lock()

    def refresh(self) -> None:
        """Fold in every event recorded since the last refresh (blocking: call in a thread)."""
        with self._lock:
            while True:
                notifications = self._application.notifications_after(self._position, 500)
                if not notifications:
                    return
                touched = {_uuid(notification.originator_id) for notification in notifications}
                for ticket_id in touched:
                    listing = self._application.listing(ticket_id)
                    if listing is not None:
                        self._views[ticket_id] = TicketView.of(listing)
                self._position = notifications[-1].id

    def all_views(self) -> list[TicketView]:
        return sorted(self._views.values(), key=_newest_first)

    def published(self, filters: Filters = Filters()) -> list[TicketView]:
        return [view for view in self.all_views() if view.published and filters.admit(view)]

    def ticket(self, ticket_id: UUID) -> TicketView | None:
        view = self._views.get(ticket_id)
        return view if view is not None and view.published else None

    def media_column(self) -> list[TicketView]:
        return [v for v in self.all_views() if v.escalation_level >= PUBLIC_MEDIA_LEVEL]

    def typical_cases(self, limit: int = 20) -> list[TicketView]:
        return [view for view in self.all_views() if view.well_handled][:limit]

    def facets(self) -> dict[str, list[str]]:
        """Values the filters offer, from the aired tickets only."""
        shown = self.published()
        return {
            "category": sorted({v.category for v in shown if v.category}),
            "district": sorted({v.district for v in shown if v.district}),
            "unit": sorted({v.unit_name for v in shown if v.unit_name}),
            "status": sorted({v.status for v in shown}),
        }


def _newest_first(view: TicketView) -> tuple[float, str]:
    at = view.received_at.timestamp() if view.received_at else 0.0
    return (-at, str(view.ticket_id))


def _uuid(value: UUID | str) -> UUID:
    return value if isinstance(value, UUID) else UUID(value)
