"""SLA's own Prometheus instruments: breaches by deadline kind, escalations by ladder level."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from contracts.sla import SupervisionLevel
from hotline.runtime.metrics import meter
from services.sla.domain import Clock

LEVEL_NAMES = {number: level.value for number, level in enumerate(SupervisionLevel, start=1)}

_breaches = meter("hotline.sla").create_counter(
    "hotline_sla_breaches", description="Deadlines breached, by kind"
)
_escalations = meter("hotline.sla").create_counter(
    "hotline_sla_escalations", description="Escalations up the supervision ladder, by level"
)


def count_recorded(events: Iterable[Any]) -> None:
    """Count breaches and escalations as they are recorded (never on replay)."""
    for event in events:
        if isinstance(event, Clock.DeadlineBreached):
            _breaches.add(1, {"kind": str(event.kind)})
        elif isinstance(event, Clock.Escalated):
            _escalations.add(1, {"level": LEVEL_NAMES.get(event.level, str(event.level))})
