"""Feedback's wiring."""

from __future__ import annotations

from hotline.runtime.host import ServiceSpec
from services.feedback.api import router
from services.feedback.application import FeedbackApplication
from services.feedback.translation import PRIVATE_FIELDS, to_contract

SPEC = ServiceSpec(
    name="feedback",
    application=FeedbackApplication,
    translate=to_contract,
    upstream=("intake", "routing", "sla"),
    routers=(router,),
    private_fields=PRIVATE_FIELDS,
)
