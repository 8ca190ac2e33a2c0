"""Publication's wiring: two outbound streams from one log, the board and staff routes."""

from __future__ import annotations

from hotline.runtime.host import ServiceSpec
from services.publication.application import PublicationApplication
from services.publication.public_api import router as public_api_router
from services.publication.public_pages import router as public_pages_router
from services.publication.staff_api import router as staff_router
from services.publication.translation import to_contract, to_public

SPEC = ServiceSpec(
    name="publication",
    application=PublicationApplication,
    translate=to_contract,
    upstream=("intake", "routing", "sla", "feedback"),
    routers=(public_api_router, public_pages_router, staff_router),
    extra_streams=(("public", to_public),),
)
