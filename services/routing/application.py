"""Routing's commands and its policy for upstream events."""

from __future__ import annotations

from functools import singledispatchmethod
from typing import Any

from eventsourcing.application import ProcessingEvent

from contracts import ComplaintReceived
from hotline.runtime.store import ServiceApplication
from hotline.runtime.tracing import current_trace_context
from services.routing.domain import Dispatch

# A placeholder until the routing issue brings the catalogue and the classifier:
# every ticket goes to the fallback unit (兜底单位), and the decision says so.
FALLBACK_UNIT = ("fallback", "12345热线兜底单位")
PLACEHOLDER_RULE = "placeholder:fallback-unit"


class RoutingApplication(ServiceApplication):
    name = "routing"

    @singledispatchmethod
    def policy(self, domain_event: Any, processing_event: ProcessingEvent[Any]) -> None:
        """Events routing does not act on are only tracked."""

    @policy.register
    def _(self, event: ComplaintReceived, processing_event: ProcessingEvent[Any]) -> None:
        if self.find(event.ticket_id) is not None:
            return
        trace = current_trace_context()
        dispatch = Dispatch(
            ticket_id=event.ticket_id,
            description=event.description,
            category_hint=event.category_hint,
            district=event.district,
            trace=trace,
        )
        unit_code, unit_name = FALLBACK_UNIT
        dispatch.assign(
            unit_code=unit_code,
            unit_name=unit_name,
            category=event.category_hint,
            rule=PLACEHOLDER_RULE,
            trace=trace,
        )
        processing_event.collect_events(dispatch)
