"""The integration envelope of a stored domain event, for every service's translation."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from contracts import TraceContext, event_id_for


def envelope_of(
    source: str, stored: Any, position: int, occurred_at: datetime | None = None
) -> dict[str, Any]:
    """Envelope fields for the contract built from `stored` (an eventsourcing event).

    The event id is derived from the stored event, so a re-published event keeps it;
    the trace continues from the carrier the event recorded, if any. `occurred_at`
    defaults to when the event was stored; pass the domain's own instant when it has one.
    """
    return {
        "event_id": event_id_for(source, stored.originator_id, stored.originator_version),
        "ticket_id": stored.originator_id,
        "occurred_at": occurred_at if occurred_at is not None else stored.timestamp,
        "position": position,
        "trace": TraceContext(**(getattr(stored, "trace", None) or {})),
    }
