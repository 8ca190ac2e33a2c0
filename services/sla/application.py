"""SLA's policy for upstream events and its commands (pause, extension, firing timers).

Clocks start on `Assigned`, are met by `AssignmentSigned` and the first contact, stop on
an accepted reply, closure or withdrawal, and restart with the reopen policy on
`TicketReopened`. Time comes from the injected context (`services.sla.context`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import singledispatchmethod
from typing import Any
from uuid import UUID

import structlog
from eventsourcing.application import ProcessingEvent
from eventsourcing.persistence import IntegrityError

from contracts import (
    Assigned,
    AssignmentReturned,
    AssignmentSigned,
    ComplaintReceived,
    ComplaintWithdrawn,
    DeadlineClass,
    DeadlineKind,
    ReplyAccepted,
    ReplySubmitted,
    TicketClosed,
    TicketReopened,
)
from hotline.runtime.store import ServiceApplication
from hotline.runtime.tracing import current_trace_context
from services.sla.complainants import Complainant, PendingSignals
from services.sla.context import SlaContext, current_context
from services.sla.deadlines import Span
from services.sla.domain import Clock, SlaRuleViolation
from services.sla.metrics import count_recorded
from services.sla.policies import PolicyChoice
from services.sla.timers import fire_due, next_fire_at
from services.sla.workdays import CalendarGap

log = structlog.get_logger(__name__)
SAVE_ATTEMPTS = 5


class TicketNotFound(Exception):
    """The SLA service has no clock for this ticket (not assigned yet, or unknown)."""


class SlaApplication(ServiceApplication):
    name = "sla"

    def __init__(self, env: dict[str, str] | None = None) -> None:
        super().__init__(env)
        self.context: SlaContext = current_context()
        self.scheduler_ticks = 0
        """How many times the timer scheduler has caught up and fired (for readiness, tests)."""

    def _notify(self, recordings: list[Any]) -> None:
        super()._notify(recordings)
        count_recorded(recording.domain_event for recording in recordings)

    # --- upstream events ---------------------------------------------------------------

    @singledispatchmethod
    def policy(self, domain_event: Any, processing_event: ProcessingEvent[Any]) -> None:
        """Events the SLA service does not act on are only tracked."""

    @policy.register
    def _(self, event: Assigned, processing_event: ProcessingEvent[Any]) -> None:
        clock = self._clock_or_none(event.ticket_id)
        if clock is None:
            clock = Clock(
                ticket_id=event.ticket_id,
                unit_code=event.unit_code,
                started_at=event.occurred_at,
                deadline_class=event.deadline_class.value,
                category=event.category,
                trace=current_trace_context(),
            )
            self._start_deadlines(clock, self._choice(clock), event.occurred_at, None)
            self._raise_pending_signals(clock)
        elif clock.unit_code != event.unit_code:
            clock.change_handler(unit_code=event.unit_code)
            if clock.running:
                self._start_deadlines(
                    clock, self._choice(clock), event.occurred_at, self._restarted_kinds()
                )
        processing_event.collect_events(clock)

    @policy.register
    def _(self, event: ComplaintReceived, processing_event: ProcessingEvent[Any]) -> None:
        """The same citizen about the same category again within the window escalates."""
        if event.citizen_ref is None or event.category_hint is None:
            return
        complainant = self._complainant(event.citizen_ref)
        if complainant.knows(event.ticket_id):
            return
        complainant.note(
            ticket_id=event.ticket_id, category=event.category_hint, at=event.occurred_at
        )
        processing_event.collect_events(complainant)
        rules = self.context.rules
        count = complainant.count_within(
            event.category_hint, event.occurred_at, rules.repeat_complaint_window
        )
        if count >= rules.repeat_complaint_count:
            days = rules.repeat_complaint_window.days
            reason = f"repeat complaint: {count} in {days} days"
            self._signal_now_or_later(event.ticket_id, reason, event.occurred_at, processing_event)

    @policy.register
    def _(self, event: AssignmentSigned, processing_event: ProcessingEvent[Any]) -> None:
        self._meet(event.ticket_id, DeadlineKind.SIGN_IN, event.occurred_at, processing_event)

    @policy.register
    def _(self, event: AssignmentReturned, processing_event: ProcessingEvent[Any]) -> None:
        if event.returns_so_far >= self.context.rules.escalate_after_returns:
            reason = f"returned {event.returns_so_far} times"
            self._signal_now_or_later(event.ticket_id, reason, event.occurred_at, processing_event)

    @policy.register
    def _(self, event: ReplySubmitted, processing_event: ProcessingEvent[Any]) -> None:
        contacted = event.contacted_citizen_at
        if contacted is None and self.context.rules.first_contact_met_by == "reply_submitted":
            contacted = event.occurred_at
        if contacted is not None:
            self._meet(event.ticket_id, DeadlineKind.FIRST_CONTACT, contacted, processing_event)

    @policy.register
    def _(self, event: ReplyAccepted, processing_event: ProcessingEvent[Any]) -> None:
        clock = self._clock_or_none(event.ticket_id)
        if clock is None or not clock.running:
            return
        if clock.open_deadline(DeadlineKind.RESOLUTION) is not None:
            clock.meet(kind=DeadlineKind.RESOLUTION.value, at=event.occurred_at)
        clock.stop(reason="reply accepted", at=event.occurred_at)
        processing_event.collect_events(clock)

    @policy.register
    def _(self, event: TicketClosed, processing_event: ProcessingEvent[Any]) -> None:
        self._stop(
            event.ticket_id, f"closed: {event.outcome.value}", event.occurred_at, processing_event
        )

    @policy.register
    def _(self, event: ComplaintWithdrawn, processing_event: ProcessingEvent[Any]) -> None:
        self._stop(event.ticket_id, "withdrawn", event.occurred_at, processing_event)

    @policy.register
    def _(self, event: TicketReopened, processing_event: ProcessingEvent[Any]) -> None:
        clock = self._clock_or_none(event.ticket_id)
        if clock is None or event.round <= clock.reopen_round:
            return
        clock.reopen(reopen_round=event.round, at=event.occurred_at)
        if event.unit_code and event.unit_code != clock.unit_code:
            clock.change_handler(unit_code=event.unit_code)
        self._start_deadlines(clock, self.context.rules.for_reopen(), event.occurred_at, None)
        if event.round >= self.context.rules.escalate_on_reopen_round:
            clock.escalate_one_level(
                f"unsatisfied callback, round {event.round}", event.occurred_at
            )
        processing_event.collect_events(clock)

    # --- commands ------------------------------------------------------------------------

    def deadlines_of(self, ticket_id: UUID) -> Clock:
        clock = self._clock_or_none(ticket_id)
        if clock is None:
            raise TicketNotFound(str(ticket_id))
        return clock

    def pause(self, ticket_id: UUID, reason: str) -> Clock:
        return self._command(ticket_id, lambda c: c.request_pause(reason, self.now()))

    def resume(self, ticket_id: UUID) -> Clock:
        return self._command(ticket_id, lambda c: c.request_resume(self.now()))

    def request_extension(
        self,
        ticket_id: UUID,
        unit_code: str,
        reason: str,
        requested_due_at: datetime | None,
        extra_working_days: int | None,
    ) -> Clock:
        def ask(clock: Clock) -> None:
            due = requested_due_at or self._extended_due(clock, extra_working_days)
            clock.ask_extension(unit_code, reason, due, self.now())

        return self._command(ticket_id, ask)

    def decide_extension(
        self, ticket_id: UUID, granted: bool, note: str | None, new_due_at: datetime | None
    ) -> Clock:
        return self._command(ticket_id, lambda c: c.decide(granted, note, new_due_at, self.now()))

    def fire_due_timers(self, ticket_id: UUID) -> datetime | None:
        """Record every timer of the ticket due now; returns when its next timer is due."""
        context = self.context

        def fire(clock: Clock) -> None:
            fire_due(clock, context.clock.now(), context.rules, context.rule)

        clock = self._command(ticket_id, fire)
        return next_fire_at(clock, context.rules, context.rule)

    def next_fire_at(self, ticket_id: UUID) -> datetime | None:
        clock = self._clock_or_none(ticket_id)
        if clock is None:
            return None
        return next_fire_at(clock, self.context.rules, self.context.rule)

    def now(self) -> datetime:
        return self.context.clock.now()

    # --- helpers ---------------------------------------------------------------------

    def _clock_or_none(self, ticket_id: UUID) -> Clock | None:
        found = self.find(ticket_id)
        return found if isinstance(found, Clock) else None

    def _choice(self, clock: Clock) -> PolicyChoice:
        rules = self.context.rules
        if clock.reopen_round > 0:
            return rules.for_reopen()
        return rules.for_assignment(DeadlineClass(clock.deadline_class), clock.category)

    def _restarted_kinds(self) -> frozenset[DeadlineKind]:
        """On re-assignment the new unit must sign; citizen-facing clocks only if configured."""
        if self.context.rules.fresh_clock_on_reassignment:
            return frozenset(DeadlineKind)
        return frozenset({DeadlineKind.SIGN_IN})

    def _start_deadlines(
        self,
        clock: Clock,
        choice: PolicyChoice,
        start: datetime,
        only: frozenset[DeadlineKind] | None,
    ) -> None:
        for kind, span in choice.spans.items():
            if only is not None and kind not in only:
                continue
            try:
                due = self.context.rule.due_at(start, span)
            except CalendarGap as gap:
                log.error(
                    "sla.deadline_uncomputable",
                    ticket_id=str(clock.id),
                    kind=kind.value,
                    missing_year=gap.year,
                )
                clock.flag_uncomputable(
                    kind=kind.value, missing_year=gap.year, at=start, trace=clock.trace
                )
                continue
            clock.set_deadline(
                kind=kind.value,
                starts_at=start,
                due_at=due,
                policy=choice.label(kind),
                unit_code=clock.unit_code,
                at=start,
                trace=clock.trace,
            )

    def _meet(
        self, ticket_id: UUID, kind: DeadlineKind, at: datetime, processing: ProcessingEvent[Any]
    ) -> None:
        clock = self._clock_or_none(ticket_id)
        if clock is not None and clock.running and clock.open_deadline(kind) is not None:
            clock.meet(kind=kind.value, at=at)
            processing.collect_events(clock)

    def _stop(
        self, ticket_id: UUID, reason: str, at: datetime, processing: ProcessingEvent[Any]
    ) -> None:
        clock = self._clock_or_none(ticket_id)
        if clock is not None and clock.running:
            clock.stop(reason=reason, at=at)
            processing.collect_events(clock)

    def _signal_now_or_later(
        self, ticket_id: UUID, reason: str, at: datetime, processing: ProcessingEvent[Any]
    ) -> None:
        """Escalate the ticket's clock, or keep the signal until its clock starts."""
        clock = self._clock_or_none(ticket_id)
        if clock is not None:
            clock.escalate_one_level(reason, at)
            processing.collect_events(clock)
            return
        pending = self.find(PendingSignals.create_id(ticket_id))
        if not isinstance(pending, PendingSignals):
            pending = PendingSignals(ticket_id=ticket_id)
        pending.raise_signal(reason=reason, at=at)
        processing.collect_events(pending)

    def _raise_pending_signals(self, clock: Clock) -> None:
        pending = self.find(PendingSignals.create_id(clock.id))
        if isinstance(pending, PendingSignals):
            for reason, _ in pending.signals:
                clock.escalate_one_level(reason, clock.started_at)

    def _complainant(self, citizen_ref: str) -> Complainant:
        found = self.find(Complainant.create_id(citizen_ref))
        return found if isinstance(found, Complainant) else Complainant(citizen_ref=citizen_ref)

    def _extended_due(self, clock: Clock, extra_working_days: int | None) -> datetime:
        deadline = clock.open_deadline(DeadlineKind.RESOLUTION)
        if deadline is None or not extra_working_days:
            raise SlaRuleViolation("no_deadline", "no running resolution deadline to extend")
        try:
            return self.context.rule.due_at(deadline.due_at, Span(extra_working_days, "wd"))
        except CalendarGap as gap:
            raise SlaRuleViolation("calendar_gap", str(gap)) from None

    def _command(self, ticket_id: UUID, change: Callable[[Clock], None]) -> Clock:
        """Load, change, save; on a concurrent write (the inbox or the scheduler), retry."""
        for attempt in range(1, SAVE_ATTEMPTS + 1):
            clock = self.deadlines_of(ticket_id)
            change(clock)
            try:
                self.save(clock)
            except IntegrityError:
                if attempt == SAVE_ATTEMPTS:
                    raise
                continue
            return clock
        raise AssertionError("unreachable")
