"""Publication's policy for upstream events."""

from __future__ import annotations

from functools import singledispatchmethod
from typing import Any
from uuid import UUID

from eventsourcing.application import ProcessingEvent

from contracts import Assigned, ComplaintReceived
from hotline.runtime.store import ServiceApplication
from services.publication.domain import Listing


class PublicationApplication(ServiceApplication):
    name = "publication"

    @singledispatchmethod
    def policy(self, domain_event: Any, processing_event: ProcessingEvent[Any]) -> None:
        """Events publication does not act on are only tracked."""

    @policy.register
    def _(self, event: ComplaintReceived, processing_event: ProcessingEvent[Any]) -> None:
        listing = self._listing(event.ticket_id)
        listing.note_complaint(district=event.district, consented=event.publication_consent)
        processing_event.collect_events(listing)

    @policy.register
    def _(self, event: Assigned, processing_event: ProcessingEvent[Any]) -> None:
        listing = self._listing(event.ticket_id)
        listing.note_responsible_unit(unit_code=event.unit_code, unit_name=event.unit_name)
        processing_event.collect_events(listing)

    def _listing(self, ticket_id: UUID) -> Listing:
        found = self.find(ticket_id)
        return found if isinstance(found, Listing) else Listing(ticket_id=ticket_id)
