"""Intake's wiring."""

from __future__ import annotations

from hotline.runtime.host import ServiceSpec
from services.intake.api import router
from services.intake.application import IntakeApplication
from services.intake.open311 import router as open311_router
from services.intake.translation import PRIVATE_FIELDS, to_contract
from services.intake.worker import follow_log

SPEC = ServiceSpec(
    name="intake",
    application=IntakeApplication,
    translate=to_contract,
    upstream=("routing", "feedback"),
    routers=(router, open311_router),
    private_fields=PRIVATE_FIELDS,
    workers=(follow_log,),
)
