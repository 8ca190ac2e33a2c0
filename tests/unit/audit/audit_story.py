"""One ticket's whole life as contract events: return, extension, breach, escalation,
reopen and closure — the story the replay tests tell."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta, timezone
from typing import Any, Literal
from uuid import UUID, uuid4

from contracts import (
    Assigned,
    AssignmentReturned,
    AssignmentSigned,
    CallbackRated,
    ComplaintReceived,
    DeadlineBreached,
    DeadlineSet,
    Escalated,
    ExtensionDecided,
    ExtensionRequested,
    IntegrationEvent,
    ReplyAccepted,
    ReplySubmitted,
    ReturnReviewed,
    TicketClosed,
    TicketReopened,
    event_id_for,
)

CST = timezone(timedelta(hours=8))
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=CST)


class AuditNoteAdded(IntegrationEvent):
    """An event type the fold has never heard of (a producer added it later)."""

    event_type: Literal["AuditNoteAdded"] = "AuditNoteAdded"
    schema_version: Literal[1] = 1
    source: Literal["sla"] = "sla"
    note: str


class Story:
    """Builds one ticket's events, numbering each service's positions in order."""

    def __init__(self, ticket_id: UUID | None = None, origin: datetime = T0) -> None:
        self.ticket_id = ticket_id or uuid4()
        self.origin = origin
        self.events: list[IntegrationEvent] = []
        self._positions: Counter[str] = Counter()

    def add(self, cls: type[IntegrationEvent], after: timedelta, **fields: Any) -> None:
        source = cls.declared_source()
        self._positions[source] += 1
        position = self._positions[source]
        self.events.append(
            cls(
                event_id=event_id_for(source, self.ticket_id, position),
                ticket_id=self.ticket_id,
                occurred_at=self.origin + after,
                position=position,
                **fields,
            )
        )


def d(days: float = 0, hours: float = 0, minutes: float = 0) -> timedelta:
    return timedelta(days=days, hours=hours, minutes=minutes)


def full_life(ticket_id: UUID | None = None) -> Story:
    s = Story(ticket_id)
    s.add(
        ComplaintReceived, d(), channel="phone", description="小区路灯坏了三天", district="美兰区"
    )
    s.add(Assigned, d(minutes=1), unit_code="water", unit_name="水务局", rule="catalogue:路灯")
    s.add(
        DeadlineSet,
        d(minutes=2),
        kind="resolution",
        due_at=T0 + d(5),
        unit_code="water",
        policy="normal:resolution:5wd",
    )
    s.add(
        AssignmentReturned, d(hours=1), unit_code="water", reason="not_our_duty", returns_so_far=1
    )
    s.add(ReturnReviewed, d(hours=2), unit_code="water", accepted=True)
    s.add(
        Assigned,
        d(hours=2, minutes=1),
        unit_code="housing",
        unit_name="住建局",
        rule="manual:abc",
        previous_unit_code="water",
    )
    s.add(
        DeadlineSet,
        d(hours=2, minutes=2),
        kind="resolution",
        due_at=T0 + d(5, hours=2),
        unit_code="housing",
        policy="normal:resolution:5wd",
    )
    s.add(AssignmentSigned, d(hours=3), unit_code="housing")
    s.add(
        ExtensionRequested,
        d(2),
        unit_code="housing",
        reason="需要采购灯具",
        requested_due_at=T0 + d(8),
    )
    s.add(ExtensionDecided, d(2, hours=1), granted=True, unit_code="housing", new_due_at=T0 + d(8))
    s.add(AuditNoteAdded, d(3), note="an inspector looked")
    s.add(DeadlineBreached, d(8), kind="resolution", due_at=T0 + d(8), unit_code="housing")
    s.add(
        Escalated,
        d(8, minutes=1),
        level="hotline_centre",
        level_number=1,
        reason="overdue",
        unit_code="housing",
    )
    s.add(ReplySubmitted, d(9), unit_code="housing", result="solved", public_reply="已更换路灯")
    s.add(
        ReplyAccepted,
        d(9, hours=1),
        unit_code="housing",
        result="solved",
        public_reply="已更换路灯",
    )
    s.add(CallbackRated, d(10), unit_code="housing", solved=False, satisfaction="unsatisfied")
    s.add(TicketReopened, d(10, minutes=1), round=1, unit_code="housing")
    s.add(
        Assigned,
        d(10, minutes=5),
        unit_code="housing",
        unit_name="住建局",
        rule="reopen",
        reopen_round=1,
    )
    s.add(ReplySubmitted, d(12), unit_code="housing", result="solved", public_reply="已修复线路")
    s.add(
        ReplyAccepted,
        d(12, hours=1),
        unit_code="housing",
        result="solved",
        public_reply="已修复线路",
    )
    s.add(CallbackRated, d(13), unit_code="housing", solved=True, satisfaction="satisfied", round=2)
    s.add(
        TicketClosed,
        d(13, minutes=1),
        outcome="satisfied",
        satisfaction="satisfied",
        solved=True,
        unit_code="housing",
    )
    return s
