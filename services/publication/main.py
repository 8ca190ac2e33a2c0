"""Publication's wiring."""

from __future__ import annotations

from hotline.runtime.host import ServiceSpec
from services.publication.application import PublicationApplication
from services.publication.translation import to_contract

SPEC = ServiceSpec(
    name="publication",
    application=PublicationApplication,
    translate=to_contract,
    upstream=("intake", "routing"),
)
