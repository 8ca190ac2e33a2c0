"""The callback queue (回访队列), folded from feedback's own log. Pure, no I/O."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

_LEAVES_QUEUE = frozenset({"CallbackRated", "Reopened", "Closed"})


@dataclass(frozen=True)
class QueuedCallback:
    ticket_id: UUID
    reason: str
    """`reply_accepted`, `master_reply_accepted` or `resolution_overdue`."""
    unit_code: str | None
    queued_at: datetime
    failed_attempts: int


def callback_queue(events: Iterable[Any]) -> list[QueuedCallback]:
    """Tickets waiting for a callback, oldest first."""
    waiting: dict[UUID, QueuedCallback] = {}
    for event in events:
        name = type(event).__name__
        ticket: UUID = event.originator_id
        if name == "CallbackQueued":
            waiting[ticket] = QueuedCallback(
                ticket, event.reason, event.unit_code, event.queued_at, failed_attempts=0
            )
        elif name == "CallbackAttemptFailed" and ticket in waiting:
            queued = waiting[ticket]
            waiting[ticket] = QueuedCallback(
                ticket, queued.reason, queued.unit_code, queued.queued_at, event.attempt
            )
        elif name in _LEAVES_QUEUE:
            waiting.pop(ticket, None)
    return sorted(waiting.values(), key=lambda queued: queued.queued_at)
