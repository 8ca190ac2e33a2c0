"""Opening the five services' stores read-side, for the audit tools.

Why a module of its own: every audit command (verify, replay, report, rebuild) reads
the services' logs the same way, without starting any service.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from eventsourcing.persistence import Notification

from hotline.runtime.host import ServiceSpec
from hotline.runtime.store import ServiceApplication, prepare_store, store_environment
from hotline.settings import Settings

READ_BATCH = 1000


def service_spec(service: str) -> ServiceSpec:
    spec = importlib.import_module(f"services.{service}.main").SPEC
    assert isinstance(spec, ServiceSpec)
    return spec


@contextmanager
def opened(settings: Settings, service: str) -> Iterator[ServiceApplication]:
    """The service's application over its store, closed afterwards."""
    prepare_store(settings, service)
    application = service_spec(service).application(store_environment(settings, service))
    try:
        yield application
    finally:
        application.close()


def read_log(application: ServiceApplication) -> Iterator[Notification]:
    """Every stored event of the log, in notification order."""
    position = 0
    while batch := application.notifications_after(position, READ_BATCH):
        yield from batch
        position = batch[-1].id


def read_whole_log(application: ServiceApplication) -> Sequence[Notification]:
    return list(read_log(application))
