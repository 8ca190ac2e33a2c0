"""SLA's aggregate: the clock of one ticket (id = ticket id). No I/O, no clock reads.

Every instant comes in as an argument (`at`), from the upstream event or the injected
clock, so a replay rebuilds exactly the same state and tests can run weeks in seconds.
Fired timers are events here, which is what makes them fire once: after a restart the
state says which warnings, breaches and ladder steps already happened.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from contracts import DeadlineKind, SupervisionLevel

LADDER: tuple[SupervisionLevel, ...] = tuple(SupervisionLevel)
TOP_LEVEL = len(LADDER)


class SlaRuleViolation(Exception):
    """A command the clock's state does not allow (e.g. an extension after the deadline)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Deadline:
    """One deadline of the ticket and what has happened to it."""

    kind: DeadlineKind
    starts_at: datetime
    due_at: datetime
    policy: str
    warned: tuple[float, ...] = ()
    breached: bool = False
    met: bool = False


class Clock(Aggregate):
    """A ticket's deadlines, pause, extension and supervision level."""

    class Started(Aggregate.Created):
        ticket_id: UUID
        unit_code: str
        started_at: datetime
        deadline_class: str
        category: str | None
        trace: dict[str, str] | None

    class HandlerChanged(Aggregate.Event):
        unit_code: str

    class DeadlineSet(Aggregate.Event):
        kind: str
        starts_at: datetime
        due_at: datetime
        policy: str
        unit_code: str
        at: datetime
        trace: dict[str, str] | None

    class DeadlineMoved(DeadlineSet):
        pass

    class DeadlineUncomputable(Aggregate.Event):
        kind: str
        missing_year: int
        at: datetime
        trace: dict[str, str] | None

    class DeadlineMet(Aggregate.Event):
        kind: str
        at: datetime

    class DeadlineWarned(Aggregate.Event):
        kind: str
        fraction: float
        due_at: datetime
        unit_code: str
        at: datetime
        trace: dict[str, str] | None

    class DeadlineBreached(Aggregate.Event):
        kind: str
        due_at: datetime
        unit_code: str
        at: datetime
        trace: dict[str, str] | None

    class Escalated(Aggregate.Event):
        level: int
        reason: str
        unit_code: str
        at: datetime
        overdue_step: bool
        trace: dict[str, str] | None

    class Paused(Aggregate.Event):
        reason: str
        at: datetime
        trace: dict[str, str] | None

    class Resumed(Aggregate.Event):
        at: datetime
        paused_seconds: float
        trace: dict[str, str] | None

    class ExtensionRequested(Aggregate.Event):
        unit_code: str
        reason: str
        requested_due_at: datetime
        at: datetime
        trace: dict[str, str] | None

    class ExtensionDecided(Aggregate.Event):
        granted: bool
        new_due_at: datetime | None
        note: str | None
        unit_code: str
        at: datetime
        trace: dict[str, str] | None

    class Stopped(Aggregate.Event):
        reason: str
        at: datetime

    class Reopened(Aggregate.Event):
        reopen_round: int
        at: datetime

    @staticmethod
    def create_id(ticket_id: UUID) -> UUID:
        return ticket_id

    @event(Started)
    def __init__(
        self,
        ticket_id: UUID,
        unit_code: str,
        started_at: datetime,
        deadline_class: str = "normal",
        category: str | None = None,
        trace: dict[str, str] | None = None,
    ) -> None:
        self.ticket_id = ticket_id
        self.unit_code = unit_code
        self.started_at = started_at
        self.deadline_class = deadline_class
        self.category = category
        self.trace: dict[str, str] = trace or {}
        self.deadlines: dict[DeadlineKind, Deadline] = {}
        self.uncomputable: dict[DeadlineKind, int] = {}
        self.stopped_reason: str | None = None
        self.paused_at: datetime | None = None
        self.level = 0
        self.overdue_steps = 0
        self.requested_due_at: datetime | None = None
        self.reopen_round = 0

    # --- queries --------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self.stopped_reason is None

    def open_deadline(self, kind: DeadlineKind) -> Deadline | None:
        found = self.deadlines.get(kind)
        return found if found is not None and not found.met else None

    # --- handler and deadlines --------------------------------------------------------

    @event(HandlerChanged)
    def change_handler(self, unit_code: str) -> None:
        self.unit_code = unit_code

    @event(DeadlineSet)
    def set_deadline(
        self,
        kind: str,
        starts_at: datetime,
        due_at: datetime,
        policy: str,
        unit_code: str,
        at: datetime,
        trace: dict[str, str] | None = None,
    ) -> None:
        """A fresh deadline of `kind`, replacing any earlier one of that kind."""
        deadline_kind = DeadlineKind(kind)
        self.deadlines[deadline_kind] = Deadline(deadline_kind, starts_at, due_at, policy)
        self.uncomputable.pop(deadline_kind, None)

    @event(DeadlineMoved)
    def move_deadline(
        self,
        kind: str,
        starts_at: datetime,
        due_at: datetime,
        policy: str,
        unit_code: str,
        at: datetime,
        trace: dict[str, str] | None = None,
    ) -> None:
        """The same deadline, later (pause, extension); warnings already given stay given."""
        deadline_kind = DeadlineKind(kind)
        self.deadlines[deadline_kind] = replace(
            self.deadlines[deadline_kind], starts_at=starts_at, due_at=due_at, policy=policy
        )

    @event(DeadlineUncomputable)
    def flag_uncomputable(
        self, kind: str, missing_year: int, at: datetime, trace: dict[str, str] | None = None
    ) -> None:
        self.uncomputable[DeadlineKind(kind)] = missing_year
        self.deadlines.pop(DeadlineKind(kind), None)

    @event(DeadlineMet)
    def meet(self, kind: str, at: datetime) -> None:
        deadline_kind = DeadlineKind(kind)
        self.deadlines[deadline_kind] = replace(self.deadlines[deadline_kind], met=True)

    # --- timers -------------------------------------------------------------------------

    @event(DeadlineWarned)
    def warn(
        self,
        kind: str,
        fraction: float,
        due_at: datetime,
        unit_code: str,
        at: datetime,
        trace: dict[str, str] | None = None,
    ) -> None:
        deadline = self.deadlines[DeadlineKind(kind)]
        self.deadlines[deadline.kind] = replace(deadline, warned=(*deadline.warned, fraction))

    @event(DeadlineBreached)
    def breach(
        self,
        kind: str,
        due_at: datetime,
        unit_code: str,
        at: datetime,
        trace: dict[str, str] | None = None,
    ) -> None:
        deadline = self.deadlines[DeadlineKind(kind)]
        self.deadlines[deadline.kind] = replace(deadline, breached=True)

    @event(Escalated)
    def escalate(
        self,
        level: int,
        reason: str,
        unit_code: str,
        at: datetime,
        overdue_step: bool = False,
        trace: dict[str, str] | None = None,
    ) -> None:
        """Up the ladder (五级督办); an overdue step also counts toward the overdue ladder."""
        self.level = level
        if overdue_step:
            self.overdue_steps += 1

    def escalate_one_level(self, reason: str, at: datetime, overdue_step: bool = False) -> None:
        """One level above where the ticket is; the top level repeats rather than vanishes."""
        self.escalate(
            level=min(self.level + 1, TOP_LEVEL),
            reason=reason,
            unit_code=self.unit_code,
            at=at,
            overdue_step=overdue_step,
            trace=self.trace,
        )

    # --- pause and extension -------------------------------------------------------------

    def request_pause(self, reason: str, at: datetime) -> None:
        self._require_running()
        if self.paused_at is not None:
            raise SlaRuleViolation("already_paused", "the clock is already paused")
        self.pause(reason=reason, at=at, trace=self.trace)

    @event(Paused)
    def pause(self, reason: str, at: datetime, trace: dict[str, str] | None = None) -> None:
        self.paused_at = at

    def request_resume(self, at: datetime) -> None:
        """Resume; every deadline still running moves by the time the clock stood still."""
        if self.paused_at is None:
            raise SlaRuleViolation("not_paused", "the clock is not paused")
        stood_still = at - self.paused_at
        self.resume(at=at, paused_seconds=max(stood_still.total_seconds(), 0.0), trace=self.trace)
        for deadline in list(self.deadlines.values()):
            if not deadline.met and not deadline.breached:
                self.move_deadline(
                    kind=deadline.kind.value,
                    starts_at=deadline.starts_at + stood_still,
                    due_at=deadline.due_at + stood_still,
                    policy=f"{deadline.policy}+paused",
                    unit_code=self.unit_code,
                    at=at,
                    trace=self.trace,
                )

    @event(Resumed)
    def resume(
        self, at: datetime, paused_seconds: float, trace: dict[str, str] | None = None
    ) -> None:
        self.paused_at = None

    def ask_extension(
        self, unit_code: str, reason: str, requested_due_at: datetime, at: datetime
    ) -> None:
        """The holding unit asks before its resolution deadline passes (申请延期)."""
        self._require_running()
        if unit_code != self.unit_code:
            raise SlaRuleViolation("not_holding_unit", "only the unit holding the ticket may ask")
        deadline = self.open_deadline(DeadlineKind.RESOLUTION)
        if deadline is None or deadline.breached or at >= deadline.due_at:
            raise SlaRuleViolation(
                "deadline_passed", "an extension must be asked before the resolution deadline"
            )
        if self.requested_due_at is not None:
            raise SlaRuleViolation("already_requested", "an extension request awaits a decision")
        if requested_due_at <= deadline.due_at:
            raise SlaRuleViolation(
                "not_later", "the requested deadline must be later than the current one"
            )
        self.request_extension(
            unit_code=unit_code,
            reason=reason,
            requested_due_at=requested_due_at,
            at=at,
            trace=self.trace,
        )

    @event(ExtensionRequested)
    def request_extension(
        self,
        unit_code: str,
        reason: str,
        requested_due_at: datetime,
        at: datetime,
        trace: dict[str, str] | None = None,
    ) -> None:
        self.requested_due_at = requested_due_at

    def decide(
        self, granted: bool, note: str | None, new_due_at: datetime | None, at: datetime
    ) -> None:
        """The hotline centre grants (the deadline moves) or denies the pending request."""
        if self.requested_due_at is None:
            raise SlaRuleViolation("no_request", "no extension request awaits a decision")
        deadline = self.deadlines[DeadlineKind.RESOLUTION]
        due = (new_due_at or self.requested_due_at) if granted else None
        if due is not None and due <= deadline.due_at:
            raise SlaRuleViolation("not_later", "the new deadline must be later than the current")
        self.decide_extension(
            granted=granted,
            new_due_at=due,
            note=note,
            unit_code=self.unit_code,
            at=at,
            trace=self.trace,
        )
        if due is not None:
            self.move_deadline(
                kind=deadline.kind.value,
                starts_at=deadline.starts_at,
                due_at=due,
                policy=f"{deadline.policy}+extension",
                unit_code=self.unit_code,
                at=at,
                trace=self.trace,
            )

    @event(ExtensionDecided)
    def decide_extension(
        self,
        granted: bool,
        new_due_at: datetime | None,
        note: str | None,
        unit_code: str,
        at: datetime,
        trace: dict[str, str] | None = None,
    ) -> None:
        self.requested_due_at = None

    # --- stop and reopen -------------------------------------------------------------

    @event(Stopped)
    def stop(self, reason: str, at: datetime) -> None:
        self.stopped_reason = reason
        self.paused_at = None
        self.requested_due_at = None

    @event(Reopened)
    def reopen(self, reopen_round: int, at: datetime) -> None:
        """二次办理: the earlier deadlines are history; the reopen policy's start now."""
        self.reopen_round = reopen_round
        self.deadlines = {}
        self.uncomputable = {}
        self.stopped_reason = None
        self.paused_at = None
        self.requested_due_at = None
        self.overdue_steps = 0

    def _require_running(self) -> None:
        if not self.running:
            raise SlaRuleViolation("clock_stopped", f"the clock stopped: {self.stopped_reason}")
