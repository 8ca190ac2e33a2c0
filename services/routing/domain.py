"""Routing's aggregate: the dispatch (派单) of one ticket. No I/O here.

The aggregate guards what a unit and the hotline centre may do in each state: only
the holder signs or returns, a return waits for the centre's review, a consultation
waits for the centre to name a lead. Violations raise `DispatchRuleError` (→ HTTP 409).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from uuid import UUID

from eventsourcing.domain import Aggregate, event


class DispatchRuleError(ValueError):
    """The command does not fit the ticket's current dispatch state."""


class Status(StrEnum):
    QUEUED = "queued"
    """Waiting for an operator (manual dispatch queue)."""
    CONSULTATION = "consultation"
    """Waiting for the hotline centre to name a lead unit (会商)."""
    ASSIGNED = "assigned"
    SIGNED = "signed"
    RETURN_PENDING = "return_pending"
    """Returned by the holder; the hotline centre reviews."""
    CLOSED = "closed"


class Dispatch(Aggregate):
    """Who handles a ticket. Its id is the ticket id."""

    class Registered(Aggregate.Created):
        ticket_id: UUID
        description: str
        category_hint: str | None
        district: str | None
        street: str | None
        received_at: datetime
        trace: dict[str, str]

    class Assigned(Aggregate.Event):
        unit_code: str
        unit_name: str
        category: str | None
        rule: str
        model_version: str | None
        confidence: float | None
        deadline_class: str
        dispatch_level: str
        co_handlers: tuple[str, ...]
        reopen_round: int
        previous_unit_code: str | None
        trace: dict[str, str]

    class ManualQueued(Aggregate.Event):
        best_guess_unit_code: str | None
        confidence: float | None
        category: str | None
        trace: dict[str, str]

    class ConsultationOpened(Aggregate.Event):
        candidate_units: tuple[str, ...]
        reason: str
        category: str | None
        trace: dict[str, str]

    class Signed(Aggregate.Event):
        unit_code: str
        trace: dict[str, str]

    class Returned(Aggregate.Event):
        unit_code: str
        reason: str
        note: str | None
        returns_so_far: int
        trace: dict[str, str]

    class ReturnReviewed(Aggregate.Event):
        unit_code: str
        accepted: bool
        note: str | None
        trace: dict[str, str]

    class Merged(Aggregate.Event):
        master_ticket_id: UUID
        reason: str
        category: str | None
        trace: dict[str, str]

    class Closed(Aggregate.Event):
        """Feedback closed the ticket: it can no longer be a merge master."""

        unit_code: str | None
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
        street: str | None,
        received_at: datetime,
        trace: dict[str, str],
    ) -> None:
        self.ticket_id = ticket_id
        self.description = description
        self.category_hint = category_hint
        self.district = district
        self.street = street
        self.received_at = received_at
        self.status = Status.QUEUED
        self.unit_code: str | None = None
        self.unit_name: str | None = None
        self.category: str | None = category_hint
        self.deadline_class = "normal"
        self.dispatch_level = "direct"
        self.co_handlers: tuple[str, ...] = ()
        self.reopen_round = 0
        self.master_ticket_id: UUID | None = None
        self.returns: list[tuple[str, str]] = []
        self.accepted_returns = 0
        self.candidate_units: tuple[str, ...] = ()

    # --- decisions ------------------------------------------------------------------------

    @event(Assigned)
    def assign(
        self,
        unit_code: str,
        unit_name: str,
        category: str | None,
        rule: str,
        model_version: str | None,
        confidence: float | None,
        deadline_class: str,
        dispatch_level: str,
        co_handlers: tuple[str, ...],
        reopen_round: int,
        previous_unit_code: str | None,
        trace: dict[str, str],
    ) -> None:
        self.unit_code = unit_code
        self.unit_name = unit_name
        self.category = category or self.category
        self.deadline_class = deadline_class
        self.dispatch_level = dispatch_level
        self.co_handlers = co_handlers
        self.reopen_round = reopen_round
        self.status = Status.ASSIGNED

    @event(ManualQueued)
    def queue(
        self,
        best_guess_unit_code: str | None,
        confidence: float | None,
        category: str | None,
        trace: dict[str, str],
    ) -> None:
        self.category = category or self.category
        self.status = Status.QUEUED

    @event(ConsultationOpened)
    def open_consultation(
        self,
        candidate_units: tuple[str, ...],
        reason: str,
        category: str | None,
        trace: dict[str, str],
    ) -> None:
        self.candidate_units = candidate_units
        self.category = category or self.category
        self.status = Status.CONSULTATION

    @event(Merged)
    def merge_into(
        self, master_ticket_id: UUID, reason: str, category: str | None, trace: dict[str, str]
    ) -> None:
        self.master_ticket_id = master_ticket_id
        self.category = category or self.category

    @event(Closed)
    def close(self, unit_code: str | None, trace: dict[str, str]) -> None:
        self.status = Status.CLOSED

    # --- the unit ---------------------------------------------------------------------------

    def check_holder(self, unit_code: str) -> None:
        if self.unit_code != unit_code:
            raise PermissionError(f"ticket {self.id} is not held by unit {unit_code}")

    def sign(self, unit_code: str, trace: dict[str, str]) -> None:
        self.check_holder(unit_code)
        if self.status is not Status.ASSIGNED:
            raise DispatchRuleError(
                f"only an assigned ticket can be signed for (it is {self.status})"
            )
        self._signed(unit_code=unit_code, trace=trace)

    @event(Signed)
    def _signed(self, unit_code: str, trace: dict[str, str]) -> None:
        self.status = Status.SIGNED

    def give_back(
        self, unit_code: str, reason: str, note: str | None, trace: dict[str, str]
    ) -> None:
        self.check_holder(unit_code)
        if self.status not in (Status.ASSIGNED, Status.SIGNED):
            raise DispatchRuleError(f"the ticket cannot be returned while {self.status}")
        if self.master_ticket_id is not None:
            raise DispatchRuleError("a merged ticket follows its master: return the master")
        self._returned(
            unit_code=unit_code,
            reason=reason,
            note=note,
            returns_so_far=len(self.returns) + 1,
            trace=trace,
        )

    @event(Returned)
    def _returned(
        self,
        unit_code: str,
        reason: str,
        note: str | None,
        returns_so_far: int,
        trace: dict[str, str],
    ) -> None:
        self.returns.append((unit_code, reason))
        self.status = Status.RETURN_PENDING

    # --- the hotline centre -------------------------------------------------------------------

    def review_return(self, accepted: bool, note: str | None, trace: dict[str, str]) -> None:
        if self.status is not Status.RETURN_PENDING or self.unit_code is None:
            raise DispatchRuleError("there is no return waiting for review")
        self._reviewed(unit_code=self.unit_code, accepted=accepted, note=note, trace=trace)

    @event(ReturnReviewed)
    def _reviewed(
        self, unit_code: str, accepted: bool, note: str | None, trace: dict[str, str]
    ) -> None:
        if accepted:
            self.accepted_returns += 1
        else:
            self.status = Status.ASSIGNED

    @property
    def returned_units(self) -> frozenset[str]:
        return frozenset(unit for unit, _ in self.returns)

    def require(self, *statuses: Status) -> None:
        if self.status not in statuses:
            wanted = " or ".join(statuses)
            raise DispatchRuleError(f"the ticket is {self.status}, not {wanted}")
