"""SLA's policy for upstream events."""

from __future__ import annotations

from functools import singledispatchmethod
from typing import Any

from eventsourcing.application import ProcessingEvent

from contracts import Assigned
from hotline.runtime.store import ServiceApplication
from services.sla.domain import Clock


class SlaApplication(ServiceApplication):
    name = "sla"

    @singledispatchmethod
    def policy(self, domain_event: Any, processing_event: ProcessingEvent[Any]) -> None:
        """Events the SLA service does not act on are only tracked."""

    @policy.register
    def _(self, event: Assigned, processing_event: ProcessingEvent[Any]) -> None:
        clock = self.find(event.ticket_id)
        if clock is None:
            clock = Clock(
                ticket_id=event.ticket_id, unit_code=event.unit_code, started_at=event.occurred_at
            )
        elif isinstance(clock, Clock) and clock.unit_code != event.unit_code:
            clock.change_handler(unit_code=event.unit_code)
        processing_event.collect_events(clock)
