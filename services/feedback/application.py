"""Feedback's policy for upstream events."""

from __future__ import annotations

from functools import singledispatchmethod
from typing import Any
from uuid import UUID

from eventsourcing.application import ProcessingEvent

from contracts import Assigned, ComplaintReceived
from hotline.runtime.store import ServiceApplication
from services.feedback.domain import FollowUp


class FeedbackApplication(ServiceApplication):
    name = "feedback"

    @singledispatchmethod
    def policy(self, domain_event: Any, processing_event: ProcessingEvent[Any]) -> None:
        """Events feedback does not act on are only tracked."""

    @policy.register
    def _(self, event: ComplaintReceived, processing_event: ProcessingEvent[Any]) -> None:
        follow_up = self._follow_up(event.ticket_id)
        follow_up.note_citizen(
            channel=event.channel.value, citizen_ref=event.citizen_ref, anonymous=event.anonymous
        )
        processing_event.collect_events(follow_up)

    @policy.register
    def _(self, event: Assigned, processing_event: ProcessingEvent[Any]) -> None:
        follow_up = self._follow_up(event.ticket_id)
        follow_up.note_handling_unit(unit_code=event.unit_code)
        processing_event.collect_events(follow_up)

    def _follow_up(self, ticket_id: UUID) -> FollowUp:
        found = self.find(ticket_id)
        return found if isinstance(found, FollowUp) else FollowUp(ticket_id=ticket_id)
