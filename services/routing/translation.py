"""Routing's stored events → integration contracts."""

from __future__ import annotations

from typing import Any

from contracts import Assigned, IntegrationEvent, TraceContext, event_id_for
from services.routing.domain import Dispatch

SOURCE = "routing"


def to_contract(domain_event: Any, position: int) -> IntegrationEvent | None:
    if isinstance(domain_event, Dispatch.Assigned):
        return Assigned(
            event_id=event_id_for(
                SOURCE, domain_event.originator_id, domain_event.originator_version
            ),
            ticket_id=domain_event.originator_id,
            occurred_at=domain_event.timestamp,
            position=position,
            trace=TraceContext(**domain_event.trace),
            unit_code=domain_event.unit_code,
            unit_name=domain_event.unit_name,
            category=domain_event.category,
            rule=domain_event.rule,
        )
    return None
