"""Routing's wiring."""

from __future__ import annotations

from hotline.runtime.host import ServiceSpec
from services.routing.application import RoutingApplication
from services.routing.translation import to_contract

SPEC = ServiceSpec(
    name="routing",
    application=RoutingApplication,
    translate=to_contract,
    upstream=("intake",),
)
