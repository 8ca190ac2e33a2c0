"""SLA's wiring."""

from __future__ import annotations

from hotline.runtime.host import ServiceSpec
from services.sla.application import SlaApplication
from services.sla.translation import to_contract

SPEC = ServiceSpec(
    name="sla", application=SlaApplication, translate=to_contract, upstream=("routing",)
)
