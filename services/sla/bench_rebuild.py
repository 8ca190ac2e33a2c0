"""Times what a restart costs the scheduler: rebuilding the due index from the SLA log.

Records `tickets` assignments in a fresh SQLite store (as the inbox would), then times
`Scheduler.catch_up` from position 0 in a new application, as on start.
"""

from __future__ import annotations

import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from uuid import uuid4
from zoneinfo import ZoneInfo

from eventsourcing.persistence import Tracking

from contracts import Assigned, event_id_for
from hotline.runtime.clock import ManualClock
from services.sla.application import SlaApplication
from services.sla.context import SlaContext, using
from services.sla.scheduler import Scheduler

START = datetime(2026, 9, 1, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def time_rebuild(tickets: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder, using(SlaContext(clock=ManualClock(START))):
        env = {
            "PERSISTENCE_MODULE": "eventsourcing.sqlite",
            "SQLITE_DBNAME": str(Path(folder) / "events.sqlite"),
            "SINGLE_ROW_TRACKING": "no",
        }
        writer = SlaApplication(env)
        began = time.perf_counter()
        for position in range(1, tickets + 1):
            ticket_id = uuid4()
            event = Assigned(
                event_id=event_id_for("routing", ticket_id, position),
                ticket_id=ticket_id,
                occurred_at=START + timedelta(minutes=position % 10_000),
                position=position,
                unit_code="water",
                unit_name="water bureau",
                rule="bench",
            )
            writer.process_event(event, Tracking("routing", position))  # type: ignore[arg-type]
        record_seconds = time.perf_counter() - began
        writer.close()

        reader = SlaApplication(env)
        scheduler = Scheduler(reader)
        began = time.perf_counter()
        read = scheduler.catch_up()
        rebuild_seconds = time.perf_counter() - began
        reader.close()
    return {
        "rebuild_tickets": tickets,
        "rebuild_log_events": read,
        "rebuild_timers_indexed": len(scheduler.index),
        "rebuild_total_s": round(rebuild_seconds, 3),
        "rebuild_per_ticket_ms": round(rebuild_seconds / tickets * 1e3, 3),
        "record_per_ticket_ms": round(record_seconds / tickets * 1e3, 3),
    }
