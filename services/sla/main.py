"""SLA's wiring."""

from __future__ import annotations

from hotline.runtime.host import ServiceSpec
from services.sla.api import router
from services.sla.application import SlaApplication
from services.sla.scheduler import run_scheduler
from services.sla.translation import to_contract

SPEC = ServiceSpec(
    name="sla",
    application=SlaApplication,
    translate=to_contract,
    upstream=("intake", "routing", "feedback"),
    routers=(router,),
    workers=(run_scheduler,),
)
