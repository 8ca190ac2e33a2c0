"""The one fold from a ticket's integration events to the ticket's state.

Audit (replay, ``--as-of``, the inspection report) and analytics must agree on what a
ticket's events mean, so the meaning lives here, once, beside the contracts. The
fold is pure: ``fold(events)`` applies the events in the order given (callers sort,
usually by ``occurred_at``). An event type this fold does not know — a producer may
add events before this module learns them — is counted in ``unfolded`` and otherwise
left alone, so a newer log never breaks an older reader.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from typing import Any, TypeVar
from uuid import UUID

from contracts.envelope import IntegrationEvent
from contracts.feedback import (
    CallbackFailed,
    CallbackRated,
    ReplyAccepted,
    ReplyRejected,
    ReplySubmitted,
    TicketClosed,
    TicketReopened,
)
from contracts.intake import (
    ComplaintReceived,
    ComplaintSupplemented,
    ComplaintWithdrawn,
    ContactDataAccessed,
)
from contracts.public import (
    PublicCommentApproved,
    PublicStage,
    PublicTicketAired,
    PublicTicketOpened,
    PublicTicketProgressed,
    PublicTicketWithdrawnFromBoard,
)
from contracts.publication import TicketPublished, TicketUnpublished
from contracts.routing import (
    Assigned,
    AssignmentReturned,
    AssignmentSigned,
    ConsultationOpened,
    ManualDispatchQueued,
    ReturnReviewed,
    TicketMerged,
)
from contracts.sla import (
    ClockPaused,
    ClockResumed,
    DeadlineBreached,
    DeadlineKind,
    DeadlineSet,
    DeadlineUncomputable,
    DeadlineWarned,
    Escalated,
    ExtensionDecided,
    ExtensionRequested,
    SupervisionLevel,
)


class TicketStatus(StrEnum):
    """Where the ticket stands in the closed loop."""

    UNKNOWN = "unknown"
    """No event that opens a ticket was seen (e.g. only downstream events)."""
    RECEIVED = "received"
    AWAITING_MANUAL_DISPATCH = "awaiting_manual_dispatch"
    IN_CONSULTATION = "in_consultation"
    ASSIGNED = "assigned"
    SIGNED = "signed"
    RETURN_UNDER_REVIEW = "return_under_review"
    REPLIED = "replied"
    REPLY_ACCEPTED = "reply_accepted"
    MERGED = "merged"
    REOPENED = "reopened"
    """The citizen was unsatisfied; waiting to be assigned again (二次办理)."""
    CLOSED = "closed"
    WITHDRAWN = "withdrawn"


@dataclass(frozen=True)
class Escalation:
    """One step up the supervision ladder (五级督办)."""

    at: datetime
    level: str
    level_number: int
    reason: str
    unit_code: str | None


@dataclass(frozen=True)
class TicketState:
    """Everything a ticket's events say about it, as of the last event folded."""

    ticket_id: UUID | None = None
    status: TicketStatus = TicketStatus.UNKNOWN
    received_at: datetime | None = None
    last_event_at: datetime | None = None
    channel: str | None = None
    district: str | None = None
    category: str | None = None
    urgency: str | None = None
    unit_code: str | None = None
    """The unit that holds the ticket now."""
    unit_name: str | None = None
    units_assigned: tuple[str, ...] = ()
    """Every unit the ticket was assigned to, in order (repeats kept)."""
    co_handlers: tuple[str, ...] = ()
    dispatch_level: str | None = None
    returns: int = 0
    """Returns (退单) so far, as the last AssignmentReturned counted them."""
    deadlines: tuple[tuple[str, datetime], ...] = ()
    """(kind, due_at) of every deadline now in force."""
    breached: tuple[str, ...] = ()
    """Kinds of deadline breached (超期), in order."""
    warned: tuple[str, ...] = ()
    escalations: tuple[Escalation, ...] = ()
    extensions_requested: int = 0
    extensions_granted: int = 0
    clock_paused: bool = False
    replies_submitted: int = 0
    replies_rejected: int = 0
    reply_result: str | None = None
    satisfaction: str | None = None
    solved: bool | None = None
    callbacks_failed: int = 0
    reopen_round: int = 0
    closure_outcome: str | None = None
    closed_at: datetime | None = None
    withdrawn: bool = False
    merged_into: UUID | None = None
    published: bool = False
    supplements: int = 0
    contact_reads: int = 0
    public_comments: int = 0
    events: int = 0
    """Events folded, known or not."""
    unfolded: tuple[str, ...] = field(default=())
    """Event types seen but not understood by this fold (kept in history, not folded)."""

    @property
    def escalation_level(self) -> int:
        """The highest supervision level reached, 0 if never escalated."""
        return max((step.level_number for step in self.escalations), default=0)

    def deadline(self, kind: str) -> datetime | None:
        return dict(self.deadlines).get(kind)


_LADDER = tuple(SupervisionLevel)
E = TypeVar("E", bound=IntegrationEvent)
Rule = Callable[[TicketState, Any], TicketState]
_RULES: dict[type[IntegrationEvent], Rule] = {}


def _rule(event_type: type[E]) -> Callable[[Callable[[TicketState, E], TicketState]], Rule]:
    def register(func: Callable[[TicketState, E], TicketState]) -> Rule:
        _RULES[event_type] = func
        return func

    return register


def fold(events: Iterable[IntegrationEvent], state: TicketState | None = None) -> TicketState:
    """The state after applying ``events`` in the order given, starting from ``state``."""
    current = state or TicketState()
    for event in events:
        current = apply(current, event)
    return current


def fold_as_of(events: Iterable[IntegrationEvent], moment: datetime) -> TicketState:
    """The state as it stood at ``moment``: only events that occurred by then count."""
    return fold(event for event in events if event.occurred_at <= moment)


def apply(state: TicketState, event: IntegrationEvent) -> TicketState:
    """One step of the fold: envelope bookkeeping, then the event's own rule if known."""
    base = replace(
        state,
        ticket_id=state.ticket_id or event.ticket_id,
        last_event_at=max(state.last_event_at or event.occurred_at, event.occurred_at),
        events=state.events + 1,
    )
    rule = _RULES.get(type(event))
    if rule is None:
        return replace(base, unfolded=(*base.unfolded, event.event_type))
    return rule(base, event)


def is_folded(event_type: type[IntegrationEvent]) -> bool:
    """Whether the fold gives meaning to this event type."""
    return event_type in _RULES


def _set_deadline(state: TicketState, kind: str, due_at: datetime | None) -> TicketState:
    others = tuple((k, due) for k, due in state.deadlines if k != kind)
    return replace(state, deadlines=others if due_at is None else (*others, (kind, due_at)))


def _open(state: TicketState, status: TicketStatus) -> TicketState:
    """Change the status unless the ticket is already finished."""
    finished = {TicketStatus.CLOSED, TicketStatus.WITHDRAWN}
    return state if state.status in finished else replace(state, status=status)


# -- intake -------------------------------------------------------------------------


@_rule(ComplaintReceived)
def _received(state: TicketState, event: ComplaintReceived) -> TicketState:
    return replace(
        _open(state, TicketStatus.RECEIVED) if state.status is TicketStatus.UNKNOWN else state,
        received_at=event.occurred_at,
        channel=event.channel.value,
        district=event.district,
        category=state.category or event.category_hint,
        urgency=event.urgency.value,
    )


@_rule(ComplaintSupplemented)
def _supplemented(state: TicketState, event: ComplaintSupplemented) -> TicketState:
    return replace(state, supplements=state.supplements + 1)


@_rule(ComplaintWithdrawn)
def _withdrawn(state: TicketState, event: ComplaintWithdrawn) -> TicketState:
    return replace(state, status=TicketStatus.WITHDRAWN, withdrawn=True, deadlines=())


@_rule(ContactDataAccessed)
def _contact_read(state: TicketState, event: ContactDataAccessed) -> TicketState:
    return replace(state, contact_reads=state.contact_reads + 1)


# -- routing ------------------------------------------------------------------------


@_rule(Assigned)
def _assigned(state: TicketState, event: Assigned) -> TicketState:
    return replace(
        _open(state, TicketStatus.ASSIGNED),
        unit_code=event.unit_code,
        unit_name=event.unit_name,
        units_assigned=(*state.units_assigned, event.unit_code),
        category=event.category or state.category,
        co_handlers=event.co_handlers,
        dispatch_level=event.dispatch_level.value,
    )


@_rule(ManualDispatchQueued)
def _manual(state: TicketState, event: ManualDispatchQueued) -> TicketState:
    return _open(state, TicketStatus.AWAITING_MANUAL_DISPATCH)


@_rule(AssignmentSigned)
def _signed(state: TicketState, event: AssignmentSigned) -> TicketState:
    return _open(state, TicketStatus.SIGNED)


@_rule(AssignmentReturned)
def _returned(state: TicketState, event: AssignmentReturned) -> TicketState:
    returned = _open(state, TicketStatus.RETURN_UNDER_REVIEW)
    return replace(returned, returns=max(state.returns, event.returns_so_far))


@_rule(ReturnReviewed)
def _return_reviewed(state: TicketState, event: ReturnReviewed) -> TicketState:
    # Accepted: the ticket waits for its next Assigned. Rejected: the unit keeps it.
    return _open(state, TicketStatus.RECEIVED if event.accepted else TicketStatus.SIGNED)


@_rule(ConsultationOpened)
def _consultation(state: TicketState, event: ConsultationOpened) -> TicketState:
    return _open(state, TicketStatus.IN_CONSULTATION)


@_rule(TicketMerged)
def _merged(state: TicketState, event: TicketMerged) -> TicketState:
    return replace(_open(state, TicketStatus.MERGED), merged_into=event.master_ticket_id)


# -- sla ----------------------------------------------------------------------------


@_rule(DeadlineSet)
def _deadline_set(state: TicketState, event: DeadlineSet) -> TicketState:
    return _set_deadline(state, event.kind.value, event.due_at)


@_rule(DeadlineWarned)
def _deadline_warned(state: TicketState, event: DeadlineWarned) -> TicketState:
    return replace(state, warned=(*state.warned, event.kind.value))


@_rule(DeadlineBreached)
def _deadline_breached(state: TicketState, event: DeadlineBreached) -> TicketState:
    return replace(state, breached=(*state.breached, event.kind.value))


@_rule(DeadlineUncomputable)
def _uncomputable(state: TicketState, event: DeadlineUncomputable) -> TicketState:
    return _set_deadline(state, event.kind.value, None)


@_rule(Escalated)
def _escalated(state: TicketState, event: Escalated) -> TicketState:
    step = Escalation(
        at=event.occurred_at,
        level=event.level.value,
        level_number=event.level_number,
        reason=event.reason,
        unit_code=event.unit_code,
    )
    return replace(state, escalations=(*state.escalations, step))


@_rule(ExtensionRequested)
def _extension_requested(state: TicketState, event: ExtensionRequested) -> TicketState:
    return replace(state, extensions_requested=state.extensions_requested + 1)


@_rule(ExtensionDecided)
def _extension_decided(state: TicketState, event: ExtensionDecided) -> TicketState:
    if not event.granted:
        return state
    granted = replace(state, extensions_granted=state.extensions_granted + 1)
    if event.new_due_at is None:
        return granted
    return _set_deadline(granted, "resolution", event.new_due_at)


@_rule(ClockPaused)
def _paused(state: TicketState, event: ClockPaused) -> TicketState:
    return replace(state, clock_paused=True)


@_rule(ClockResumed)
def _resumed(state: TicketState, event: ClockResumed) -> TicketState:
    return replace(state, clock_paused=False)


# -- feedback -----------------------------------------------------------------------


@_rule(ReplySubmitted)
def _reply_submitted(state: TicketState, event: ReplySubmitted) -> TicketState:
    replied = _open(state, TicketStatus.REPLIED)
    return replace(
        replied, replies_submitted=state.replies_submitted + 1, reply_result=event.result.value
    )


@_rule(ReplyAccepted)
def _reply_accepted(state: TicketState, event: ReplyAccepted) -> TicketState:
    accepted = replace(_open(state, TicketStatus.REPLY_ACCEPTED), reply_result=event.result.value)
    return _set_deadline(accepted, "resolution", None)


@_rule(ReplyRejected)
def _reply_rejected(state: TicketState, event: ReplyRejected) -> TicketState:
    rejected = _open(state, TicketStatus.SIGNED)
    return replace(rejected, replies_rejected=state.replies_rejected + 1)


@_rule(CallbackRated)
def _rated(state: TicketState, event: CallbackRated) -> TicketState:
    return replace(state, satisfaction=event.satisfaction.value, solved=event.solved)


@_rule(CallbackFailed)
def _callback_failed(state: TicketState, event: CallbackFailed) -> TicketState:
    return replace(state, callbacks_failed=state.callbacks_failed + 1)


@_rule(TicketReopened)
def _reopened(state: TicketState, event: TicketReopened) -> TicketState:
    return replace(
        state,
        status=TicketStatus.REOPENED,
        closure_outcome=None,
        closed_at=None,
        reopen_round=max(state.reopen_round, event.round),
    )


@_rule(TicketClosed)
def _closed(state: TicketState, event: TicketClosed) -> TicketState:
    return replace(
        state,
        status=TicketStatus.CLOSED,
        closure_outcome=event.outcome.value,
        closed_at=event.occurred_at,
        satisfaction=event.satisfaction.value if event.satisfaction else state.satisfaction,
        solved=event.solved if event.solved is not None else state.solved,
        deadlines=(),
    )


# -- publication --------------------------------------------------------------------


@_rule(TicketPublished)
def _published(state: TicketState, event: TicketPublished) -> TicketState:
    return replace(state, published=True)


@_rule(TicketUnpublished)
def _unpublished(state: TicketState, event: TicketUnpublished) -> TicketState:
    return replace(state, published=False)


# -- the public stream (hotline.public), for analytics ------------------------------
# The same facts, masked: folding them gives the same status, unit, escalation and
# satisfaction as the full events, without anything that identifies a citizen.

_PUBLIC_STATUS = {
    PublicStage.ASSIGNED: TicketStatus.ASSIGNED,
    PublicStage.SIGNED: TicketStatus.SIGNED,
    PublicStage.REPLIED: TicketStatus.REPLIED,
    PublicStage.REOPENED: TicketStatus.REOPENED,
    PublicStage.CLOSED: TicketStatus.CLOSED,
    PublicStage.WITHDRAWN: TicketStatus.WITHDRAWN,
}


@_rule(PublicTicketOpened)
def _public_opened(state: TicketState, event: PublicTicketOpened) -> TicketState:
    return replace(
        _open(state, TicketStatus.RECEIVED) if state.status is TicketStatus.UNKNOWN else state,
        received_at=event.occurred_at,
        channel=event.channel,
        district=event.district,
        category=state.category or event.category,
    )


@_rule(PublicTicketProgressed)
def _public_progressed(state: TicketState, event: PublicTicketProgressed) -> TicketState:
    stage = event.stage
    moved = replace(state, status=_PUBLIC_STATUS.get(stage, state.status))
    if stage is PublicStage.ASSIGNED and event.unit_code:
        moved = replace(
            moved,
            unit_code=event.unit_code,
            units_assigned=(*state.units_assigned, event.unit_code),
            category=event.category or state.category,
        )
    if stage is PublicStage.DEADLINE_BREACHED:
        moved = replace(moved, breached=(*state.breached, DeadlineKind.RESOLUTION.value))
    if stage is PublicStage.ESCALATED and event.escalation_level:
        step = Escalation(
            at=event.occurred_at,
            level=_LADDER[event.escalation_level - 1].value,
            level_number=event.escalation_level,
            reason="",
            unit_code=event.unit_code,
        )
        moved = replace(moved, escalations=(*state.escalations, step))
    if stage in (PublicStage.RATED, PublicStage.CLOSED) and event.satisfaction:
        moved = replace(moved, satisfaction=event.satisfaction, solved=event.solved)
    if stage is PublicStage.REOPENED:
        moved = replace(moved, reopen_round=state.reopen_round + 1)
    if stage is PublicStage.CLOSED:
        moved = replace(moved, closed_at=event.occurred_at)
    return moved


@_rule(PublicTicketAired)
def _public_aired(state: TicketState, event: PublicTicketAired) -> TicketState:
    return replace(state, published=True)


@_rule(PublicTicketWithdrawnFromBoard)
def _public_withdrawn_from_board(
    state: TicketState, event: PublicTicketWithdrawnFromBoard
) -> TicketState:
    return replace(state, published=False)


@_rule(PublicCommentApproved)
def _public_comment(state: TicketState, event: PublicCommentApproved) -> TicketState:
    return replace(state, public_comments=state.public_comments + 1)
