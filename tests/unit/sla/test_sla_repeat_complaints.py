"""The same citizen complaining about the same category again within 30 days escalates."""

from __future__ import annotations

from sla_story import assigned, complaint, deliver, local, new_ticket, published, sla_app

from hotline.runtime.clock import ManualClock


def escalations(app: object, ticket: object) -> list[tuple[int, str]]:
    return [
        (e.level_number, e.reason)  # type: ignore[attr-defined]
        for e in published(app, ticket)  # type: ignore[arg-type]
        if e.event_type == "Escalated"
    ]


def test_the_third_complaint_within_the_window_escalates_once_its_clock_starts() -> None:
    app = sla_app(ManualClock(local("2026-09-01 09:00")))
    first, second, third = new_ticket(), new_ticket(), new_ticket()
    deliver(app, complaint(first, local("2026-09-01 09:00"), "ref-7", "噪音扰民"))
    deliver(app, complaint(second, local("2026-09-10 09:00"), "ref-7", "噪音扰民"))

    deliver(app, complaint(third, local("2026-09-25 09:00"), "ref-7", "噪音扰民"))
    deliver(app, assigned(third, local("2026-09-25 09:05")))

    assert escalations(app, third) == [(1, "repeat complaint: 3 in 30 days")]


def test_a_repeat_arriving_after_the_assignment_escalates_at_once() -> None:
    app = sla_app(ManualClock(local("2026-09-01 09:00")))
    tickets = [new_ticket() for _ in range(3)]
    for day, ticket in zip((1, 5, 9), tickets, strict=True):
        deliver(app, assigned(ticket, local(f"2026-09-0{day} 09:05")))
        deliver(app, complaint(ticket, local(f"2026-09-0{day} 09:00"), "ref-8", "路灯"))

    assert [escalations(app, t) for t in tickets] == [
        [],
        [],
        [(1, "repeat complaint: 3 in 30 days")],
    ]


def test_complaints_outside_the_window_or_in_another_category_do_not_count() -> None:
    app = sla_app(ManualClock(local("2026-06-01 09:00")))
    old, other, latest = new_ticket(), new_ticket(), new_ticket()
    deliver(app, complaint(old, local("2026-06-01 09:00"), "ref-9", "噪音扰民"))
    deliver(app, complaint(other, local("2026-09-20 09:00"), "ref-9", "路灯"))
    deliver(app, complaint(new_ticket(), local("2026-09-21 09:00"), "ref-9", "噪音扰民"))

    deliver(app, complaint(latest, local("2026-09-25 09:00"), "ref-9", "噪音扰民"))
    deliver(app, assigned(latest, local("2026-09-25 09:05")))

    assert escalations(app, latest) == []
