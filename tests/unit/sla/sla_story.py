"""Builders for SLA rule stories: upstream events at chosen instants, an app on a manual clock."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from itertools import count
from typing import Any
from uuid import UUID, uuid4
from zoneinfo import ZoneInfo

from eventsourcing.persistence import Tracking

from contracts import (
    Assigned,
    AssignmentReturned,
    AssignmentSigned,
    Channel,
    ClosureOutcome,
    ComplaintReceived,
    DeadlineClass,
    IntegrationEvent,
    ReplyAccepted,
    ReplyResult,
    ReplySubmitted,
    ReturnReason,
    TicketClosed,
    TicketReopened,
    event_id_for,
)
from hotline.runtime.clock import ManualClock
from services.sla.application import SlaApplication
from services.sla.context import SlaContext, using
from services.sla.policies import load_rules
from services.sla.translation import to_contract

IN_MEMORY = {"PERSISTENCE_MODULE": "eventsourcing.popo"}
SHANGHAI = ZoneInfo("Asia/Shanghai")
_positions = count(1)


def local(text: str) -> datetime:
    """`2026-09-30 10:00` in Shanghai."""
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


def envelope(ticket_id: UUID, source: str, at: datetime) -> dict[str, Any]:
    position = next(_positions)
    return {
        "event_id": event_id_for(source, ticket_id, position),
        "ticket_id": ticket_id,
        "occurred_at": at,
        "position": position,
    }


def assigned(
    ticket_id: UUID,
    at: datetime,
    unit_code: str = "water",
    deadline_class: DeadlineClass = DeadlineClass.NORMAL,
    category: str | None = None,
) -> Assigned:
    return Assigned(
        **envelope(ticket_id, "routing", at),
        unit_code=unit_code,
        unit_name=f"{unit_code} bureau",
        rule="test",
        deadline_class=deadline_class,
        category=category,
    )


def complaint(ticket_id: UUID, at: datetime, citizen_ref: str, category: str) -> Any:
    return ComplaintReceived(
        **envelope(ticket_id, "intake", at),
        channel=Channel.PHONE,
        description="楼上装修噪音",
        citizen_ref=citizen_ref,
        category_hint=category,
    )


def signed(ticket_id: UUID, at: datetime, unit_code: str = "water") -> AssignmentSigned:
    return AssignmentSigned(**envelope(ticket_id, "routing", at), unit_code=unit_code)


def returned(ticket_id: UUID, at: datetime, times: int, unit_code: str = "water") -> Any:
    return AssignmentReturned(
        **envelope(ticket_id, "routing", at),
        unit_code=unit_code,
        reason=ReturnReason.NOT_OUR_DUTY,
        returns_so_far=times,
    )


def reply_submitted(ticket_id: UUID, at: datetime, contacted: datetime | None) -> Any:
    return ReplySubmitted(
        **envelope(ticket_id, "feedback", at),
        unit_code="water",
        result=ReplyResult.SOLVED,
        public_reply="已修复",
        contacted_citizen_at=contacted,
    )


def reply_accepted(ticket_id: UUID, at: datetime) -> ReplyAccepted:
    return ReplyAccepted(
        **envelope(ticket_id, "feedback", at),
        unit_code="water",
        result=ReplyResult.SOLVED,
        public_reply="已修复",
    )


def reopened(ticket_id: UUID, at: datetime, round_: int) -> TicketReopened:
    return TicketReopened(**envelope(ticket_id, "feedback", at), round=round_)


def closed(ticket_id: UUID, at: datetime) -> TicketClosed:
    return TicketClosed(**envelope(ticket_id, "feedback", at), outcome=ClosureOutcome.SATISFIED)


def sla_app(clock: ManualClock, **rule_changes: Any) -> SlaApplication:
    """An SLA application on the in-memory store, with the default policies as changed."""
    rules = replace(load_rules(), **rule_changes)
    with using(SlaContext(clock=clock, rules=rules)):
        return SlaApplication(IN_MEMORY)


def deliver(app: SlaApplication, event: IntegrationEvent) -> None:
    app.process_event(event, Tracking(event.source, event.position))  # type: ignore[arg-type]


def published(app: SlaApplication, ticket_id: UUID) -> list[IntegrationEvent]:
    """What the relay would publish for the ticket, in order."""
    contracts = (to_contract(e, i + 1) for i, e in enumerate(app.history(ticket_id)))
    return [c for c in contracts if c is not None]


def kinds(app: SlaApplication, ticket_id: UUID) -> list[str]:
    return [c.event_type for c in published(app, ticket_id)]


def new_ticket() -> UUID:
    return uuid4()
