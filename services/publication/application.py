"""Publication's policy for upstream events, and its commands (takedown, comments).

Every piece of free text is masked here, before it reaches the aggregate, so nothing
publication stores or publishes carries personal data. A ticket is aired on the board
as soon as it may be (consent, non-sensitive category, a handling unit known).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from functools import singledispatchmethod
from typing import Any
from uuid import UUID

from eventsourcing.application import ProcessingEvent

from contracts import (
    Assigned,
    AssignmentSigned,
    CallbackRated,
    ComplaintReceived,
    ComplaintWithdrawn,
    DeadlineBreached,
    Escalated,
    ReplyAccepted,
    TicketClosed,
    TicketReopened,
)
from hotline.runtime.store import ServiceApplication
from services.publication.domain import Listing, PublicationError, is_sensitive
from services.publication.masking import mask

SENSITIVE_CATEGORIES_ENV = "HOTLINE_PUBLICATION_SENSITIVE_CATEGORIES"
DEFAULT_SENSITIVE_CATEGORIES = (
    "涉法涉诉",
    "信访",
    "纪检",
    "监察",
    "婚姻家庭",
    "家庭暴力",
    "未成年",
    "心理",
    "医疗纠纷",
    "治安",
    "户籍",
)


def _masked(value: str | None) -> str | None:
    return mask(value) if value else None


class PublicationApplication(ServiceApplication):
    name = "publication"

    def __init__(self, env: dict[str, str] | None = None) -> None:
        super().__init__(env)
        configured = self.env.get(SENSITIVE_CATEGORIES_ENV)
        self.sensitive_categories: tuple[str, ...] = (
            tuple(term.strip() for term in configured.split(",") if term.strip())
            if configured is not None
            else DEFAULT_SENSITIVE_CATEGORIES
        )

    # --- upstream events ---------------------------------------------------------------

    @singledispatchmethod
    def policy(self, domain_event: Any, processing_event: ProcessingEvent[Any]) -> None:
        """Events publication does not act on are only tracked."""

    @policy.register
    def _(self, event: ComplaintReceived, processing_event: ProcessingEvent[Any]) -> None:
        listing = self._listing(event.ticket_id)
        listing.note_complaint(
            district=_masked(event.district),
            consented=event.publication_consent,
            masked_description=mask(event.description),
            category=_masked(event.category_hint),
            channel=event.channel.value,
            street=_masked(event.street),
            at=event.occurred_at,
        )
        self._settle(listing, event.occurred_at, processing_event)

    @policy.register
    def _(self, event: Assigned, processing_event: ProcessingEvent[Any]) -> None:
        listing = self._listing(event.ticket_id)
        listing.note_responsible_unit(
            unit_code=event.unit_code,
            unit_name=event.unit_name,
            category=_masked(event.category),
            at=event.occurred_at,
        )
        self._settle(listing, event.occurred_at, processing_event)

    @policy.register
    def _(self, event: AssignmentSigned, processing_event: ProcessingEvent[Any]) -> None:
        listing = self._listing(event.ticket_id)
        listing.note_signed(unit_code=event.unit_code, at=event.occurred_at)
        processing_event.collect_events(listing)

    @policy.register
    def _(self, event: DeadlineBreached, processing_event: ProcessingEvent[Any]) -> None:
        listing = self._listing(event.ticket_id)
        listing.note_breach(kind=event.kind.value, unit_code=event.unit_code, at=event.occurred_at)
        processing_event.collect_events(listing)

    @policy.register
    def _(self, event: Escalated, processing_event: ProcessingEvent[Any]) -> None:
        listing = self._listing(event.ticket_id)
        listing.note_escalation(
            level=event.level.value, level_number=event.level_number, at=event.occurred_at
        )
        processing_event.collect_events(listing)

    @policy.register
    def _(self, event: ReplyAccepted, processing_event: ProcessingEvent[Any]) -> None:
        listing = self._listing(event.ticket_id)
        listing.note_reply(
            result=event.result.value, masked_reply=mask(event.public_reply), at=event.occurred_at
        )
        processing_event.collect_events(listing)

    @policy.register
    def _(self, event: CallbackRated, processing_event: ProcessingEvent[Any]) -> None:
        listing = self._listing(event.ticket_id)
        listing.note_rating(
            solved=event.solved, satisfaction=event.satisfaction.value, at=event.occurred_at
        )
        processing_event.collect_events(listing)

    @policy.register
    def _(self, event: TicketReopened, processing_event: ProcessingEvent[Any]) -> None:
        listing = self._listing(event.ticket_id)
        listing.note_reopened(round_number=event.round, at=event.occurred_at)
        processing_event.collect_events(listing)

    @policy.register
    def _(self, event: TicketClosed, processing_event: ProcessingEvent[Any]) -> None:
        listing = self._listing(event.ticket_id)
        listing.note_closed(
            outcome=event.outcome.value,
            satisfaction=event.satisfaction.value if event.satisfaction else None,
            solved=event.solved,
            at=event.occurred_at,
        )
        processing_event.collect_events(listing)

    @policy.register
    def _(self, event: ComplaintWithdrawn, processing_event: ProcessingEvent[Any]) -> None:
        listing = self._listing(event.ticket_id)
        listing.note_withdrawn(at=event.occurred_at)
        listing.withdraw_from_board(reason="citizen withdrew the complaint", at=event.occurred_at)
        processing_event.collect_events(listing)

    def _settle(
        self, listing: Listing, at: datetime, processing_event: ProcessingEvent[Any]
    ) -> None:
        """Air the ticket when it may be aired; take it down when its category turned sensitive."""
        if not listing.published and listing.may_be_aired(self.sensitive_categories):
            listing.publish(at=at)
        elif listing.published and is_sensitive(listing.category, self.sensitive_categories):
            listing.withdraw_from_board(reason="sensitive category", at=at)
        processing_event.collect_events(listing)

    def _listing(self, ticket_id: UUID) -> Listing:
        found = self.find(ticket_id)
        return found if isinstance(found, Listing) else Listing(ticket_id=ticket_id)

    # --- commands ----------------------------------------------------------------------

    def take_down(self, ticket_id: UUID, reason: str, at: datetime) -> None:
        """Remove a ticket from the board on request (the citizen's or the centre's)."""
        listing = self._existing(ticket_id)
        listing.take_down(reason=mask(reason), at=at)
        self.save(listing)

    def post_comment(self, ticket_id: UUID, text: str, at: datetime) -> str:
        """A member of the public comments; the text is masked and held for moderation."""
        listing = self._existing(ticket_id)
        comment_id = uuid.uuid4().hex[:12]
        listing.post_comment(comment_id=comment_id, masked_text=mask(text), at=at)
        self.save(listing)
        return comment_id

    def moderate_comment(
        self, ticket_id: UUID, comment_id: str, approve: bool, at: datetime
    ) -> None:
        listing = self._existing(ticket_id)
        listing.moderate(comment_id=comment_id, approve=approve, at=at)
        self.save(listing)

    def listing(self, ticket_id: UUID) -> Listing | None:
        found = self.find(ticket_id)
        return found if isinstance(found, Listing) else None

    def _existing(self, ticket_id: UUID) -> Listing:
        listing = self.listing(ticket_id)
        if listing is None:
            raise PublicationError("not_found", f"no ticket {ticket_id} on the public board")
        return listing
