"""Scripted upstream events (intake, routing, sla) for feedback's tests.

Each source numbers its events itself, as a real service's log would, so the inbox
sees distinct (source, position) pairs.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

from eventsourcing.persistence import Tracking

from contracts import (
    Assigned,
    AssignmentSigned,
    Channel,
    ComplaintReceived,
    ComplaintWithdrawn,
    DeadlineBreached,
    DeadlineKind,
    IntegrationEvent,
    TicketMerged,
    event_id_for,
)

IN_MEMORY = {"PERSISTENCE_MODULE": "eventsourcing.popo"}
NOV_2 = datetime(2026, 11, 2, 1, 0, tzinfo=UTC)
LAMP_COMPLAINT = "美兰区海甸岛人民路小区门口的路灯坏了三天，晚上出行很不方便，请尽快修复路灯"
GOOD_REPLY = (
    "经现场核查，人民路小区门口路灯因线路老化损坏。维修班组已于11月3日更换灯具和线路，"
    "路灯已恢复照明，晚上出行不再受影响。我们将每周巡查该路段路灯。"
)
EMPTY_REPLY = "网友：您好！留言已收悉。感谢您对我们工作的关心、监督与支持！"


def query_digest(ticket_id: UUID, code: str) -> str:
    return hashlib.sha256(f"{ticket_id}:{code}".encode()).hexdigest()


class Upstream:
    """Builds upstream contracts with increasing positions per source."""

    def __init__(self) -> None:
        self._positions: dict[str, int] = defaultdict(int)

    def _envelope(self, source: str, ticket_id: UUID, at: datetime) -> dict[str, Any]:
        self._positions[source] += 1
        position = self._positions[source]
        return {
            "event_id": event_id_for(source, uuid4(), position),
            "ticket_id": ticket_id,
            "occurred_at": at,
            "position": position,
        }

    def complaint(
        self,
        ticket_id: UUID,
        at: datetime = NOV_2,
        description: str = LAMP_COMPLAINT,
        query_code: str | None = None,
    ) -> ComplaintReceived:
        return ComplaintReceived(
            **self._envelope("intake", ticket_id, at),
            channel=Channel.PHONE,
            description=description,
            query_code_sha256=query_digest(ticket_id, query_code) if query_code else None,
        )

    def assigned(self, ticket_id: UUID, unit_code: str, at: datetime = NOV_2) -> Assigned:
        return Assigned(
            **self._envelope("routing", ticket_id, at + timedelta(minutes=1)),
            unit_code=unit_code,
            unit_name=f"单位{unit_code}",
            rule="test",
        )

    def signed(self, ticket_id: UUID, unit_code: str, at: datetime = NOV_2) -> AssignmentSigned:
        return AssignmentSigned(
            **self._envelope("routing", ticket_id, at + timedelta(hours=1)), unit_code=unit_code
        )

    def breached(
        self, ticket_id: UUID, unit_code: str, kind: DeadlineKind, at: datetime = NOV_2
    ) -> DeadlineBreached:
        return DeadlineBreached(
            **self._envelope("sla", ticket_id, at), kind=kind, due_at=at, unit_code=unit_code
        )

    def merged(self, child: UUID, master: UUID, at: datetime = NOV_2) -> TicketMerged:
        return TicketMerged(
            **self._envelope("routing", child, at), master_ticket_id=master, reason="同一路灯"
        )

    def withdrawn(self, ticket_id: UUID, at: datetime = NOV_2) -> ComplaintWithdrawn:
        return ComplaintWithdrawn(**self._envelope("intake", ticket_id, at))


def deliver(app: Any, *events: IntegrationEvent) -> None:
    """What the inbox consumer does with each message."""
    for event in events:
        app.process_event(event, Tracking(event.source, event.position))
