"""The SLA timer scheduler: a worker of the SLA service (see `ServiceSpec.workers`).

It follows the SLA store's own notification log from the start (so a restart rebuilds
the due-time index from the log), keeps each open ticket's next timer in a `DueIndex`,
and on every tick fires the tickets whose timer is due by the injected clock. Firing
records events in the store (the relay publishes them); since fired timers are events,
a ticket's state says what already fired, and nothing fires twice.
"""

from __future__ import annotations

import asyncio
import contextlib
from datetime import datetime
from uuid import UUID

import structlog

from hotline.runtime.host import RunningService
from services.sla.application import SlaApplication
from services.sla.due_index import DueIndex

log = structlog.get_logger(__name__)
LOG_BATCH = 1000


class Scheduler:
    def __init__(self, application: SlaApplication) -> None:
        self._app = application
        self.index = DueIndex()
        self.position = 0
        self.fired_tickets = 0

    def catch_up(self) -> int:
        """Read the log past `position`; reschedule every ticket it touched. Returns count."""
        read = 0
        while True:
            notifications = self._app.notifications_after(self.position, LOG_BATCH)
            if not notifications:
                return read
            for ticket_id in {_uuid(n.originator_id) for n in notifications}:
                self.index.schedule(ticket_id, _seconds(self._app.next_fire_at(ticket_id)))
            self.position = notifications[-1].id
            read += len(notifications)

    def fire_due(self) -> int:
        """Fire every ticket due now; returns how many tickets fired."""
        due = self.index.pop_due(self._app.now().timestamp())
        for ticket_id in due:
            self._fire(ticket_id)
        self.fired_tickets += len(due)
        return len(due)

    def _fire(self, ticket_id: UUID) -> None:
        try:
            following = self._app.fire_due_timers(ticket_id)
        except Exception:
            log.exception("sla.timer_failed", ticket_id=str(ticket_id))
            self.index.schedule(ticket_id, self._app.now().timestamp() + 5.0)
            return
        self.index.schedule(ticket_id, _seconds(following))


async def run_scheduler(running: RunningService, stopping: asyncio.Event) -> None:
    """The worker loop: catch up with the log, fire what is due, sleep one tick."""
    application = running.application
    assert isinstance(application, SlaApplication)
    scheduler = Scheduler(application)
    tick = application.context.tick_seconds
    while not stopping.is_set():
        try:
            await asyncio.to_thread(scheduler.catch_up)
            await asyncio.to_thread(scheduler.fire_due)
            application.scheduler_ticks += 1
        except Exception:
            log.exception("sla.scheduler_failed")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stopping.wait(), tick)


def _seconds(moment: datetime | None) -> float | None:
    return None if moment is None else moment.timestamp()


def _uuid(value: UUID | str) -> UUID:
    return value if isinstance(value, UUID) else UUID(value)
