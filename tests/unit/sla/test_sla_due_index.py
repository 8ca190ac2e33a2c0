"""The due-time index hands out due tickets earliest first, each once, and forgets stale times."""

from __future__ import annotations

from uuid import uuid4

from services.sla.due_index import DueIndex


def test_only_tickets_due_by_now_come_out_earliest_first() -> None:
    index = DueIndex()
    early, late, later = uuid4(), uuid4(), uuid4()
    index.schedule(late, 20.0)
    index.schedule(early, 10.0)
    index.schedule(later, 30.0)

    assert index.pop_due(25.0) == [early, late]
    assert index.pop_due(25.0) == []
    assert len(index) == 1


def test_a_rescheduled_ticket_comes_out_at_its_new_time_only() -> None:
    index = DueIndex()
    ticket = uuid4()
    index.schedule(ticket, 10.0)
    index.schedule(ticket, 50.0)

    assert index.pop_due(20.0) == []
    assert index.pop_due(50.0) == [ticket]


def test_a_ticket_without_timers_leaves_the_index() -> None:
    index = DueIndex()
    ticket = uuid4()
    index.schedule(ticket, 10.0)
    index.schedule(ticket, None)

    assert (index.pop_due(100.0), len(index)) == ([], 0)
