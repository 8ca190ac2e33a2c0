"""Intake's wiring."""

from __future__ import annotations

from hotline.runtime.host import ServiceSpec
from services.intake.api import router
from services.intake.application import IntakeApplication
from services.intake.translation import PRIVATE_FIELDS, to_contract

SPEC = ServiceSpec(
    name="intake",
    application=IntakeApplication,
    translate=to_contract,
    upstream=(),
    routers=(router,),
    private_fields=PRIVATE_FIELDS,
)
