"""Events published by the publication service about what the public sees.

These go to `hotline.publication`. The personal-data-free stream for analytics,
`hotline.public`, is publication's to define (masked views of the events above).
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from contracts.envelope import IntegrationEvent
from contracts.registry import register_event


@register_event
class TicketPublished(IntegrationEvent):
    """A ticket was aired on the public board (首发晾晒), masked."""

    event_type: Literal["TicketPublished"] = "TicketPublished"
    schema_version: Literal[1] = 1
    source: Literal["publication"] = "publication"

    masked_description: str = Field(min_length=1)
    unit_code: str | None = None
    category: str | None = None
    district: str | None = None


@register_event
class TicketUnpublished(IntegrationEvent):
    """A published ticket was taken down on request."""

    event_type: Literal["TicketUnpublished"] = "TicketUnpublished"
    schema_version: Literal[1] = 1
    source: Literal["publication"] = "publication"

    reason: str = Field(min_length=1)
