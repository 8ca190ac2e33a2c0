"""SLA counts breaches by kind and escalations by ladder level as it records them."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import uuid4

from hotline.runtime.metrics import configure_metrics, scrape
from services.sla.domain import Clock
from services.sla.metrics import count_recorded


def value(text: str, name: str, label: str) -> float:
    lines = [line for line in text.splitlines() if line.startswith(name + "{") and label in line]
    return sum(float(line.rsplit(" ", 1)[1]) for line in lines)


def test_breaches_and_escalations_are_counted_with_their_kind_and_level() -> None:
    configure_metrics("tests")
    before = scrape()[0].decode()
    now = datetime(2026, 10, 14, tzinfo=UTC)
    ticket = uuid4()
    breach = Clock.DeadlineBreached(
        originator_id=ticket,
        originator_version=3,
        timestamp=now,
        kind="resolution",
        due_at=now,
        unit_code="u-1",
        at=now,
        trace=None,
    )
    escalation = Clock.Escalated(
        originator_id=ticket,
        originator_version=4,
        timestamp=now,
        level=2,
        reason="overdue",
        unit_code="u-1",
        at=now,
        overdue_step=True,
        trace=None,
    )

    count_recorded([breach, escalation])

    after = scrape()[0].decode()
    kind = 'kind="resolution"'
    level = 'level="media"'
    assert (
        value(after, "hotline_sla_breaches_total", kind)
        == value(before, "hotline_sla_breaches_total", kind) + 1
    )
    assert (
        value(after, "hotline_sla_escalations_total", level)
        == value(before, "hotline_sla_escalations_total", level) + 1
    )
