"""Routing's wiring."""

from __future__ import annotations

import asyncio

import structlog

from hotline.runtime.host import RunningService, ServiceSpec
from services.routing.api import router
from services.routing.application import RoutingApplication
from services.routing.published import publish
from services.routing.translation import to_contract

log = structlog.get_logger(__name__)


async def publish_catalogue_on_start(running: RunningService, stopping: asyncio.Event) -> None:
    """Intake reads the categories from a file; write it once the service is up."""
    application = running.application
    assert isinstance(application, RoutingApplication)
    path = await asyncio.to_thread(publish, application.catalogue, running.settings.data_dir)
    log.info("catalogue.published", path=str(path), version=application.catalogue.version)
    await stopping.wait()


SPEC = ServiceSpec(
    name="routing",
    application=RoutingApplication,
    translate=to_contract,
    upstream=("intake", "feedback", "sla"),
    routers=(router,),
    workers=(publish_catalogue_on_start,),
)
