"""Intake's background worker: keeps the public request view up with the event log."""

from __future__ import annotations

import asyncio
import contextlib

import structlog

from hotline.runtime.host import RunningService
from services.intake.application import IntakeApplication

log = structlog.get_logger(__name__)
IDLE_SECONDS = 0.1


async def follow_log(running: RunningService, stopping: asyncio.Event) -> None:
    """Background worker: keep `request_view` up with the event log until the service stops."""
    app = running.application
    assert isinstance(app, IntakeApplication)
    view = app.request_view
    while not stopping.is_set():
        try:
            read = await asyncio.to_thread(view.catch_up, app)
        except Exception:
            log.exception("request_view.failed")
            read = 0
        if read == 0:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stopping.wait(), IDLE_SECONDS)
