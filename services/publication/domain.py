"""Publication's aggregate: what the public may see of one ticket. No I/O here.

Everything textual is stored already masked (the application masks before it calls
these methods), so the log itself holds no personal data to leak: no contact, no
citizen reference, no exact address.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from eventsourcing.domain import Aggregate, event

STATUSES = frozenset(
    {"received", "assigned", "signed", "replied", "reopened", "closed", "withdrawn"}
)


class PublicationError(Exception):
    """A command that does not fit the ticket's public state (→ 404/409)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Step:
    """One entry of the public status timeline."""

    at: datetime
    stage: str
    unit_name: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Comment:
    comment_id: str
    masked_text: str
    posted_at: datetime
    status: str  # pending | approved | rejected


class Listing(Aggregate):
    """The public-facing record of a ticket; its id is the ticket id."""

    @staticmethod
    def create_id(ticket_id: UUID) -> UUID:
        return ticket_id

    @event("Started")
    def __init__(self, ticket_id: UUID) -> None:
        self.ticket_id = ticket_id
        self.district: str | None = None
        self.street: str | None = None
        self.category: str | None = None
        self.channel: str | None = None
        self.consented = False
        self.masked_description: str | None = None
        self.received_at: datetime | None = None
        self.unit_code: str | None = None
        self.unit_name: str | None = None
        self.steps: list[Step] = []
        self.breached = False
        self.escalation_level = 0
        self.reply_result: str | None = None
        self.masked_reply: str | None = None
        self.satisfaction: str | None = None
        self.solved: bool | None = None
        self.published = False
        self.taken_down = False
        self.comments: dict[str, Comment] = {}

    # --- upstream facts ------------------------------------------------------------------

    @event("ComplaintNoted")
    def note_complaint(
        self,
        district: str | None,
        consented: bool,
        masked_description: str | None = None,
        category: str | None = None,
        channel: str | None = None,
        street: str | None = None,
        at: datetime | None = None,
    ) -> None:
        self.district = district
        self.street = street
        self.consented = consented
        self.masked_description = masked_description
        self.category = self.category or category
        self.channel = channel
        self.received_at = at
        if at is not None:
            self._record(Step(at, "received"))

    @event("ResponsibleUnitNoted")
    def note_responsible_unit(
        self,
        unit_code: str,
        unit_name: str,
        category: str | None = None,
        at: datetime | None = None,
    ) -> None:
        self.unit_code = unit_code
        self.unit_name = unit_name
        self.category = category or self.category
        self._advance("assigned", at, unit_name)

    @event("SignedNoted")
    def note_signed(self, unit_code: str, at: datetime) -> None:
        self._advance("signed", at, self.unit_name)

    @event("BreachNoted")
    def note_breach(self, kind: str, unit_code: str, at: datetime) -> None:
        self.breached = True
        self._record(Step(at, "deadline_breached", self.unit_name, kind))

    @event("EscalationNoted")
    def note_escalation(self, level: str, level_number: int, at: datetime) -> None:
        self.escalation_level = max(self.escalation_level, level_number)
        self._record(Step(at, "escalated", self.unit_name, level))

    @event("ReplyNoted")
    def note_reply(self, result: str, masked_reply: str, at: datetime) -> None:
        self.reply_result = result
        self.masked_reply = masked_reply
        self._advance("replied", at, self.unit_name)

    @event("RatingNoted")
    def note_rating(self, solved: bool, satisfaction: str, at: datetime) -> None:
        self.solved = solved
        self.satisfaction = satisfaction
        self._record(Step(at, "rated", None, satisfaction))

    @event("ReopenNoted")
    def note_reopened(self, round_number: int, at: datetime) -> None:
        self._advance("reopened", at, self.unit_name, str(round_number))

    @event("ClosureNoted")
    def note_closed(
        self, outcome: str, satisfaction: str | None, solved: bool | None, at: datetime
    ) -> None:
        self.satisfaction = satisfaction or self.satisfaction
        self.solved = self.solved if solved is None else solved
        self._advance("closed", at, self.unit_name, outcome)

    @event("WithdrawalNoted")
    def note_withdrawn(self, at: datetime) -> None:
        self._advance("withdrawn", at, None)

    def _advance(
        self, status: str, at: datetime | None, unit: str | None, note: str | None = None
    ) -> None:
        if at is not None:
            self._record(Step(at, status, unit, note))

    def _record(self, step: Step) -> None:
        """Keep steps in time order: upstream services' events arrive in any order."""
        bisect.insort(self.steps, step, key=lambda kept: kept.at)

    @property
    def status(self) -> str:
        """The latest status-bearing step by when it happened, not by when it arrived."""
        for step in reversed(self.steps):
            if step.stage in STATUSES:
                return step.stage
        return "received"

    @property
    def closed_at(self) -> datetime | None:
        if self.status != "closed":
            return None
        return next(step.at for step in reversed(self.steps) if step.stage == "closed")

    # --- the board -------------------------------------------------------------------

    def may_be_aired(self, sensitive_categories: tuple[str, ...]) -> bool:
        """Full display needs consent, a non-sensitive category, a unit, and no takedown."""
        return (
            self.consented
            and self.masked_description is not None
            and self.unit_code is not None
            and self.status != "withdrawn"
            and not self.taken_down
            and not is_sensitive(self.category, sensitive_categories)
        )

    def publish(self, at: datetime) -> None:
        """Air the ticket; the event carries what the public sees, for the outbound streams."""
        assert self.masked_description is not None
        self._published(
            masked_description=self.masked_description,
            category=self.category,
            district=self.district,
            unit_code=self.unit_code,
            at=at,
        )

    @event("Published")
    def _published(
        self,
        masked_description: str,
        category: str | None,
        district: str | None,
        unit_code: str | None,
        at: datetime,
    ) -> None:
        self.published = True

    def take_down(self, reason: str, at: datetime) -> None:
        if not self.published:
            raise PublicationError("not_published", "this ticket is not on the public board")
        self._unpublish(reason=reason, at=at, on_request=True)

    def withdraw_from_board(self, reason: str, at: datetime) -> None:
        """Automatic removal: the category turned sensitive or the citizen withdrew."""
        if self.published:
            self._unpublish(reason=reason, at=at, on_request=False)

    @event("Unpublished")
    def _unpublish(self, reason: str, at: datetime, on_request: bool) -> None:
        self.published = False
        self.taken_down = self.taken_down or on_request

    # --- comments --------------------------------------------------------------------

    def post_comment(self, comment_id: str, masked_text: str, at: datetime) -> None:
        if not self.published:
            raise PublicationError("not_found", "only tickets on the public board take comments")
        self._comment_posted(comment_id=comment_id, masked_text=masked_text, at=at)

    @event("CommentPosted")
    def _comment_posted(self, comment_id: str, masked_text: str, at: datetime) -> None:
        self.comments[comment_id] = Comment(comment_id, masked_text, at, "pending")

    def moderate(self, comment_id: str, approve: bool, at: datetime) -> None:
        comment = self.comments.get(comment_id)
        if comment is None:
            raise PublicationError("not_found", f"no comment {comment_id} on this ticket")
        if comment.status != "pending":
            raise PublicationError("conflict", f"comment {comment_id} was already {comment.status}")
        self._comment_moderated(
            comment_id=comment_id, approved=approve, masked_text=comment.masked_text, at=at
        )

    @event("CommentModerated")
    def _comment_moderated(
        self, comment_id: str, approved: bool, masked_text: str, at: datetime
    ) -> None:
        comment = self.comments[comment_id]
        status = "approved" if approved else "rejected"
        self.comments[comment_id] = Comment(comment_id, masked_text, comment.posted_at, status)

    def approved_comments(self) -> list[Comment]:
        return [comment for comment in self.comments.values() if comment.status == "approved"]


def is_sensitive(category: str | None, sensitive_categories: tuple[str, ...]) -> bool:
    """A category is sensitive when it contains any configured term (涉法涉诉, 信访, …)."""
    return category is not None and any(term and term in category for term in sensitive_categories)
