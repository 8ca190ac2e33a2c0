"""Events published by the routing service, which decides who handles a ticket."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from contracts.envelope import IntegrationEvent
from contracts.registry import register_event


@register_event
class Assigned(IntegrationEvent):
    """The ticket was assigned to a handling unit.

    Records which rule or model decided, so a wrong assignment can be traced to
    its cause and the SLA clock can start for the right unit.
    """

    event_type: Literal["Assigned"] = "Assigned"
    schema_version: Literal[1] = 1
    source: Literal["routing"] = "routing"

    unit_code: str = Field(min_length=1)
    """Code of the handling unit."""
    unit_name: str = Field(min_length=1)
    """Display name of the handling unit."""
    category: str | None = None
    """The category routing settled on, if any."""
    rule: str = Field(min_length=1)
    """Which rule or model made the decision."""
    model_version: str | None = None
    """Version of the model, when a model decided."""
    confidence: float | None = Field(default=None, ge=0.0, le=1.0)
    """The model's confidence in the decision, 0..1."""
