"""Run services in-process against the real broker and store, for delivery tests."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from hotline.cli import load_spec
from hotline.runtime.host import RunningService, ServiceSpec, start_service, stop_service
from hotline.settings import Settings


@asynccontextmanager
async def running(settings: Settings, *names: str) -> AsyncIterator[dict[str, RunningService]]:
    """Start the named services (store, relay, consumer; no HTTP) and stop them after."""
    started: dict[str, RunningService] = {}
    try:
        for name in names:
            spec = load_spec(name)
            assert isinstance(spec, ServiceSpec)
            started[name] = await start_service(spec, settings)
        yield started
    finally:
        for service in reversed(started.values()):
            await stop_service(service)
