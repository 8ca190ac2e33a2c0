"""Feedback's aggregates: the follow-up case of one ticket, and each unit's reply book.

No I/O and no clock here: every event carries the time it is about (taken from the
upstream event or given by the command), so the rules and the 三率 can be replayed.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from hotline.runtime.sealing import SealedDict

UNHAPPY = frozenset({"unsatisfied", "very_unsatisfied"})
"""Satisfaction levels that reopen the ticket (二次办理)."""
DAYS_OF_FAILED_ATTEMPTS_FOR_UNREACHABLE = 3


class FeedbackError(Exception):
    """A command the case cannot accept; the API maps each subclass to a status code."""


class NotYourTicket(FeedbackError):
    """Only the unit that holds the ticket may reply."""


class WrongState(FeedbackError):
    """The case is not at the step the command belongs to."""


class FollowUp(Aggregate):
    """Reply, callback, reopen and closure of one ticket; its id is the ticket id.

    Upstream events arrive from three topics in no guaranteed order, so the case is
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
        self.description: str | None = None
        self.query_code_sha256: str | None = None
        self.handling_unit: str | None = None
        self.master_ticket_id: UUID | None = None
        self.children: list[UUID] = []
        self.reopen_round = 0
        self.reply_accepted = False
        self.callback_pending = False
        self.failed_attempt_days: list[str] = []
        self.failed_attempts = 0
        self.closed = False

    # --- what upstream told us -------------------------------------------------------

    @event("CitizenNoted")
    def note_citizen(self, channel: str, citizen_ref: str | None, anonymous: bool) -> None:
        self.channel = channel
        self.citizen_ref = citizen_ref

    @event("ComplaintNoted")
    def note_complaint(
        self, description: str, query_code_sha256: str | None, received_at: datetime
    ) -> None:
        self.description = description
        self.query_code_sha256 = query_code_sha256

    @event("HandlingUnitNoted")
    def note_handling_unit(self, unit_code: str) -> None:
        """Kept so that logs written before AssignmentNoted existed still replay."""
        self.handling_unit = unit_code

    @event("AssignmentNoted")
    def note_assignment(self, unit_code: str, assigned_at: datetime) -> None:
        self.handling_unit = unit_code

    @event("SignedNoted")
    def note_signed(self, unit_code: str, signed_at: datetime) -> None:
        pass

    @event("BreachNoted")
    def note_breach(self, kind: str, unit_code: str, due_at: datetime) -> None:
        pass

    @event("MergedInto")
    def merge_into(self, master_ticket_id: UUID) -> None:
        self.master_ticket_id = master_ticket_id

    @event("ChildAttached")
    def attach_child(self, child_ticket_id: UUID) -> None:
        if child_ticket_id not in self.children:
            self.children.append(child_ticket_id)

    # --- reply -------------------------------------------------------------------------

    def check_can_reply(self, unit_code: str | None) -> None:
        if self.handling_unit is None or unit_code != self.handling_unit:
            raise NotYourTicket("only the unit that holds this ticket may reply to it")
        if self.closed:
            raise WrongState("the ticket is closed")
        if self.master_ticket_id is not None:
            raise WrongState("this ticket was merged: the master ticket's reply answers it")
        if self.reply_accepted:
            raise WrongState("a reply was already accepted for this round")

    @property
    def round(self) -> int:
        """1 for the first handling, 2 after the first reopening, …"""
        return self.reopen_round + 1

    @event("ReplySubmitted")
    def submit_reply(
        self,
        unit_code: str,
        result: str,
        public_reply: str,
        measures: str | None,
        evidence_urls: list[str],
        contacted_citizen_at: datetime | None,
        submitted_at: datetime,
        round: int,
        trace: dict[str, str],
    ) -> None:
        pass

    @event("ReplyAccepted")
    def accept_reply(
        self,
        unit_code: str,
        result: str,
        public_reply: str,
        accepted_at: datetime,
        trace: dict[str, str],
    ) -> None:
        self.reply_accepted = True

    @event("ReplyRejected")
    def reject_reply(
        self, unit_code: str, reasons: list[str], rejected_at: datetime, trace: dict[str, str]
    ) -> None:
        pass

    # --- callback ----------------------------------------------------------------------

    def queue_callback_once(self, reason: str, unit_code: str | None, at: datetime) -> None:
        if not self.closed and not self.callback_pending:
            self.queue_callback(reason=reason, unit_code=unit_code, queued_at=at)

    @event("CallbackQueued")
    def queue_callback(self, reason: str, unit_code: str | None, queued_at: datetime) -> None:
        self.callback_pending = True

    def check_can_rate(self) -> None:
        if self.closed:
            raise WrongState("the ticket is closed")
        if not self.callback_pending:
            raise WrongState("the ticket is not waiting for a callback")

    def record_failed_attempt(
        self, attempted_at: datetime, day: str, trace: dict[str, str]
    ) -> None:
        """A call that did not reach the citizen; three different days make them unreachable."""
        self.check_can_rate()
        days = {*self.failed_attempt_days, day}
        unreachable = len(days) >= DAYS_OF_FAILED_ATTEMPTS_FOR_UNREACHABLE
        self.fail_attempt(
            attempt=self.failed_attempts + 1,
            attempted_at=attempted_at,
            day=day,
            unreachable=unreachable,
            unit_code=self.handling_unit,
            trace=trace,
        )
        if unreachable:
            self._close("unreachable", None, None, attempted_at, trace)

    @event("CallbackAttemptFailed")
    def fail_attempt(
        self,
        attempt: int,
        attempted_at: datetime,
        day: str,
        unreachable: bool,
        unit_code: str | None,
        trace: dict[str, str],
    ) -> None:
        self.failed_attempts = attempt
        if day not in self.failed_attempt_days:
            self.failed_attempt_days.append(day)

    def record_rating(
        self,
        solved: bool,
        satisfaction: str,
        by_citizen: bool,
        comment: SealedDict | None,
        rated_at: datetime,
        trace: dict[str, str],
    ) -> str:
        """The citizen's verdict; unsatisfied reopens, anything else closes. Returns which."""
        self.check_can_rate()
        self.rate(
            unit_code=self.handling_unit,
            solved=solved,
            satisfaction=satisfaction,
            by_citizen=by_citizen,
            round=self.round,
            comment=comment,
            rated_at=rated_at,
            trace=trace,
        )
        if satisfaction in UNHAPPY:
            self.reopen(
                round=self.reopen_round + 1,
                unit_code=self.handling_unit,
                reopened_at=rated_at,
                trace=trace,
            )
            return "reopened"
        self._close("satisfied", satisfaction, solved, rated_at, trace)
        return "closed"

    @event("CallbackRated")
    def rate(
        self,
        unit_code: str | None,
        solved: bool,
        satisfaction: str,
        by_citizen: bool,
        round: int,
        comment: SealedDict | None,
        rated_at: datetime,
        trace: dict[str, str],
    ) -> None:
        self.callback_pending = False

    # --- reopen and close ----------------------------------------------------------------

    @event("Reopened")
    def reopen(
        self, round: int, unit_code: str | None, reopened_at: datetime, trace: dict[str, str]
    ) -> None:
        self.reopen_round = round
        self.reply_accepted = False
        self.callback_pending = False
        self.failed_attempt_days = []
        self.failed_attempts = 0

    def withdraw(self, at: datetime, trace: dict[str, str]) -> None:
        if not self.closed:
            self._close("withdrawn", None, None, at, trace)

    def _close(
        self,
        outcome: str,
        satisfaction: str | None,
        solved: bool | None,
        at: datetime,
        trace: dict[str, str],
    ) -> None:
        self.close(
            outcome=outcome,
            satisfaction=satisfaction,
            solved=solved,
            unit_code=self.handling_unit,
            closed_at=at,
            trace=trace,
        )

    @event("Closed")
    def close(
        self,
        outcome: str,
        satisfaction: str | None,
        solved: bool | None,
        unit_code: str | None,
        closed_at: datetime,
        trace: dict[str, str],
    ) -> None:
        self.closed = True
        self.callback_pending = False


REPLY_BOOK_NAMESPACE = uuid5(NAMESPACE_URL, "hotline:feedback:reply-book")
REPLY_BOOK_MEMORY = 300
"""How many of a unit's latest accepted replies the near-copy test compares against."""


class ReplyBook(Aggregate):
    """A unit's accepted replies, so a new reply can be compared with its earlier ones."""

    @staticmethod
    def create_id(unit_code: str) -> UUID:
        return book_id(unit_code)

    @event("Started")
    def __init__(self, unit_code: str) -> None:
        self.unit_code = unit_code
        self.entries: list[dict[str, Any]] = []

    @event("ReplyKept")
    def keep(self, ticket_id: UUID, reply: str, complaint: str | None) -> None:
        self.entries.append({"ticket_id": ticket_id, "reply": reply, "complaint": complaint})
        del self.entries[:-REPLY_BOOK_MEMORY]


def book_id(unit_code: str) -> UUID:
    return uuid5(REPLY_BOOK_NAMESPACE, unit_code)
