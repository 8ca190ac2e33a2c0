"""Feedback's commands (reply, callback, self-rating) and its policy for upstream events."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from functools import singledispatchmethod
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from eventsourcing.application import ProcessingEvent
from eventsourcing.persistence import RecordConflictError

from contracts import (
    Assigned,
    AssignmentSigned,
    ComplaintReceived,
    ComplaintWithdrawn,
    DeadlineBreached,
    DeadlineKind,
    TicketMerged,
)
from hotline.runtime.sealing import SealedDict
from hotline.runtime.store import ServiceApplication
from hotline.runtime.tracing import current_trace_context
from services.feedback.domain import FeedbackError, FollowUp, ReplyBook, book_id
from services.feedback.quality import EarlierReply, ReplyDraft, check_reply

CHINA = ZoneInfo("Asia/Shanghai")
LOG_PAGE = 500
SAVE_ATTEMPTS = 3


class TicketUnknown(FeedbackError):
    """Feedback has heard nothing of this ticket."""


class QueryCodeRejected(FeedbackError):
    """The ticket id and query code do not match."""


@dataclass(frozen=True)
class SubmitReply:
    ticket_id: UUID
    unit_code: str | None
    result: str
    public_reply: str
    measures: str | None
    evidence_urls: tuple[str, ...]
    contacted_citizen_at: datetime | None
    at: datetime


@dataclass(frozen=True)
class RecordCallback:
    ticket_id: UUID
    reached: bool
    attempted_at: datetime
    solved: bool | None = None
    satisfaction: str | None = None
    comment: SealedDict | None = None


@dataclass(frozen=True)
class ReplyVerdict:
    accepted: bool
    reasons: tuple[str, ...]


class FeedbackApplication(ServiceApplication):
    name = "feedback"

    # --- commands ----------------------------------------------------------------------

    def submit_reply(self, command: SubmitReply) -> ReplyVerdict:
        """Record the unit's reply and the quality check's verdict on it, in one save.

        Two replies of one unit at the same moment both append to its reply book; the
        loser of that race re-reads and tries again rather than failing the request.
        """
        for _ in range(SAVE_ATTEMPTS - 1):
            try:
                return self._submit_reply(command)
            except RecordConflictError:
                continue
        return self._submit_reply(command)

    def _submit_reply(self, command: SubmitReply) -> ReplyVerdict:
        follow_up = self._existing(command.ticket_id)
        follow_up.check_can_reply(command.unit_code)
        unit_code = follow_up.handling_unit
        assert unit_code is not None
        book = self._reply_book(unit_code)
        draft = ReplyDraft(
            result=command.result,
            public_reply=command.public_reply,
            measures=command.measures,
            evidence_urls=command.evidence_urls,
            contacted_citizen_at=command.contacted_citizen_at,
        )
        earlier = [
            EarlierReply.of(entry["reply"], entry["complaint"])
            for entry in book.entries
            if entry["ticket_id"] != command.ticket_id
        ]
        reasons = check_reply(draft, follow_up.description, earlier)
        trace = current_trace_context()
        follow_up.submit_reply(
            unit_code=unit_code,
            result=command.result,
            public_reply=command.public_reply,
            measures=command.measures,
            evidence_urls=list(command.evidence_urls),
            contacted_citizen_at=command.contacted_citizen_at,
            submitted_at=command.at,
            round=follow_up.round,
            trace=trace,
        )
        if reasons:
            follow_up.reject_reply(
                unit_code=unit_code, reasons=list(reasons), rejected_at=command.at, trace=trace
            )
            self.save(follow_up)
            return ReplyVerdict(False, reasons)
        follow_up.accept_reply(
            unit_code=unit_code,
            result=command.result,
            public_reply=command.public_reply,
            accepted_at=command.at,
            trace=trace,
        )
        follow_up.queue_callback_once("reply_accepted", unit_code, command.at)
        book.keep(
            ticket_id=command.ticket_id, reply=command.public_reply, complaint=follow_up.description
        )
        children = [self._follow_up(child) for child in follow_up.children]
        for child in children:
            child.queue_callback_once("master_reply_accepted", unit_code, command.at)
        self.save(follow_up, book, *children)
        return ReplyVerdict(True, ())

    def record_callback(self, command: RecordCallback) -> str:
        """A callback attempt by hotline staff: not reached, or the citizen's verdict."""
        follow_up = self._existing(command.ticket_id)
        trace = current_trace_context()
        if not command.reached:
            day = command.attempted_at.astimezone(CHINA).date().isoformat()
            follow_up.record_failed_attempt(command.attempted_at, day, trace)
            self.save(follow_up)
            return "unreachable" if follow_up.closed else "attempt_failed"
        if command.solved is None or command.satisfaction is None:
            raise FeedbackError("a reached citizen's callback needs solved and satisfaction")
        outcome = follow_up.record_rating(
            solved=command.solved,
            satisfaction=command.satisfaction,
            by_citizen=False,
            comment=command.comment,
            rated_at=command.attempted_at,
            trace=trace,
        )
        self.save(follow_up)
        return outcome

    def rate_by_citizen(
        self, ticket_id: UUID, query_code: str, solved: bool, satisfaction: str, at: datetime
    ) -> str:
        """The citizen rates online with ticket id and query code (checked by digest)."""
        follow_up = self.find(ticket_id)
        expected = follow_up.query_code_sha256 if isinstance(follow_up, FollowUp) else None
        given = hashlib.sha256(f"{ticket_id}:{query_code}".encode()).hexdigest()
        if expected is None or not hmac.compare_digest(expected, given):
            raise QueryCodeRejected("ticket id and query code do not match")
        assert isinstance(follow_up, FollowUp)
        outcome = follow_up.record_rating(
            solved=solved,
            satisfaction=satisfaction,
            by_citizen=True,
            comment=None,
            rated_at=at,
            trace=current_trace_context(),
        )
        self.save(follow_up)
        return outcome

    # --- reading the log (三率, callback queue) -----------------------------------------

    def log_events(self) -> Iterator[Any]:
        """Every stored domain event of feedback, in log order."""
        position = 0
        while True:
            page = self.notifications_after(position, LOG_PAGE)
            if not page:
                return
            for notification in page:
                yield self.mapper.to_domain_event(notification)
            position = page[-1].id

    # --- policy for upstream events ------------------------------------------------------

    @singledispatchmethod
    def policy(self, domain_event: Any, processing_event: ProcessingEvent[Any]) -> None:
        """Events feedback does not act on are only tracked."""

    @policy.register
    def _(self, event: ComplaintReceived, processing_event: ProcessingEvent[Any]) -> None:
        follow_up = self._follow_up(event.ticket_id)
        follow_up.note_citizen(
            channel=event.channel.value, citizen_ref=event.citizen_ref, anonymous=event.anonymous
        )
        follow_up.note_complaint(
            description=event.description,
            query_code_sha256=event.query_code_sha256,
            received_at=event.occurred_at,
        )
        processing_event.collect_events(follow_up)

    @policy.register
    def _(self, event: Assigned, processing_event: ProcessingEvent[Any]) -> None:
        follow_up = self._follow_up(event.ticket_id)
        follow_up.note_assignment(unit_code=event.unit_code, assigned_at=event.occurred_at)
        processing_event.collect_events(follow_up)

    @policy.register
    def _(self, event: AssignmentSigned, processing_event: ProcessingEvent[Any]) -> None:
        follow_up = self._follow_up(event.ticket_id)
        follow_up.note_signed(unit_code=event.unit_code, signed_at=event.occurred_at)
        processing_event.collect_events(follow_up)

    @policy.register
    def _(self, event: DeadlineBreached, processing_event: ProcessingEvent[Any]) -> None:
        follow_up = self._follow_up(event.ticket_id)
        follow_up.note_breach(kind=event.kind.value, unit_code=event.unit_code, due_at=event.due_at)
        if event.kind is DeadlineKind.RESOLUTION and not follow_up.reply_accepted:
            follow_up.queue_callback_once("resolution_overdue", event.unit_code, event.occurred_at)
        processing_event.collect_events(follow_up)

    @policy.register
    def _(self, event: TicketMerged, processing_event: ProcessingEvent[Any]) -> None:
        child = self._follow_up(event.ticket_id)
        master = self._follow_up(event.master_ticket_id)
        child.merge_into(master_ticket_id=event.master_ticket_id)
        master.attach_child(child_ticket_id=event.ticket_id)
        if master.reply_accepted or master.closed:
            child.queue_callback_once(
                "master_reply_accepted", master.handling_unit, event.occurred_at
            )
        processing_event.collect_events(child, master)

    @policy.register
    def _(self, event: ComplaintWithdrawn, processing_event: ProcessingEvent[Any]) -> None:
        follow_up = self._follow_up(event.ticket_id)
        follow_up.withdraw(at=event.occurred_at, trace=current_trace_context())
        processing_event.collect_events(follow_up)

    # --- helpers -------------------------------------------------------------------------

    def _follow_up(self, ticket_id: UUID) -> FollowUp:
        found = self.find(ticket_id)
        return found if isinstance(found, FollowUp) else FollowUp(ticket_id=ticket_id)

    def _existing(self, ticket_id: UUID) -> FollowUp:
        found = self.find(ticket_id)
        if not isinstance(found, FollowUp):
            raise TicketUnknown(f"feedback knows no ticket {ticket_id}")
        return found

    def _reply_book(self, unit_code: str) -> ReplyBook:
        found = self.find(book_id(unit_code))
        return found if isinstance(found, ReplyBook) else ReplyBook(unit_code=unit_code)
