"""Clock rules on the in-memory store: given upstream events, when time passes, then events."""

from __future__ import annotations

from sla_story import (
    assigned,
    closed,
    deliver,
    kinds,
    local,
    new_ticket,
    published,
    reply_accepted,
    reply_submitted,
    signed,
    sla_app,
)

from contracts import DeadlineClass, DeadlineKind
from hotline.runtime.clock import ManualClock


def deadlines(app: object, ticket: object) -> dict[str, tuple[str, str]]:
    return {
        e.kind.value: (e.due_at.isoformat(), e.policy)  # type: ignore[attr-defined]
        for e in published(app, ticket)  # type: ignore[arg-type]
        if e.event_type == "DeadlineSet"
    }


def test_an_emergency_gets_deadlines_in_clock_hours() -> None:
    app = sla_app(ManualClock(local("2026-10-01 09:00")))
    ticket = new_ticket()

    deliver(
        app, assigned(ticket, local("2026-10-01 09:00"), deadline_class=DeadlineClass.EMERGENCY)
    )

    assert deadlines(app, ticket) == {
        "sign_in": ("2026-10-01T10:00:00+08:00", "emergency:sign_in:1h"),
        "first_contact": ("2026-10-01T10:00:00+08:00", "emergency:first_contact:1h"),
        "resolution": ("2026-10-02T09:00:00+08:00", "emergency:resolution:24h"),
    }


def test_a_category_policy_replaces_the_class_span() -> None:
    app = sla_app(ManualClock(local("2026-09-28 09:00")))
    ticket = new_ticket()

    deliver(app, assigned(ticket, local("2026-09-28 09:00"), category="物业管理"))

    assert deadlines(app, ticket)["resolution"] == (
        "2026-10-08T18:00:00+08:00",
        "normal/物业管理:resolution:3wd",
    )


def test_a_reassignment_restarts_only_the_sign_in_clock() -> None:
    app = sla_app(ManualClock(local("2026-09-28 09:00")))
    ticket = new_ticket()
    deliver(app, assigned(ticket, local("2026-09-28 09:00"), unit_code="water"))

    deliver(app, assigned(ticket, local("2026-09-29 09:00"), unit_code="roads"))

    restarted = [e for e in published(app, ticket)[3:]]
    assert [(e.kind.value, e.unit_code) for e in restarted] == [("sign_in", "roads")]  # type: ignore[attr-defined]


def test_a_reassignment_restarts_every_clock_when_so_configured() -> None:
    app = sla_app(ManualClock(local("2026-09-28 09:00")), fresh_clock_on_reassignment=True)
    ticket = new_ticket()
    deliver(app, assigned(ticket, local("2026-09-28 09:00"), unit_code="water"))

    deliver(app, assigned(ticket, local("2026-09-29 09:00"), unit_code="roads"))

    assert deadlines(app, ticket)["resolution"] == (
        "2026-10-12T18:00:00+08:00",
        "normal:resolution:5wd",
    )


def test_any_reply_meets_first_contact_when_so_configured() -> None:
    clock = ManualClock(local("2026-09-28 09:00"))
    app = sla_app(clock, first_contact_met_by="reply_submitted")
    ticket = new_ticket()
    deliver(app, assigned(ticket, local("2026-09-28 09:00")))

    deliver(app, reply_submitted(ticket, local("2026-09-28 12:00"), contacted=None))

    assert app.deadlines_of(ticket).open_deadline(DeadlineKind.FIRST_CONTACT) is None


def test_signing_and_contacting_in_time_leave_only_the_resolution_timers() -> None:
    clock = ManualClock(local("2026-09-28 09:00"))
    app = sla_app(clock)
    ticket = new_ticket()
    deliver(app, assigned(ticket, local("2026-09-28 09:00")))
    deliver(app, signed(ticket, local("2026-09-28 10:00")))
    deliver(
        app, reply_submitted(ticket, local("2026-09-28 12:00"), contacted=local("2026-09-28 11:00"))
    )

    clock.set(local("2026-10-09 09:00"))
    app.fire_due_timers(ticket)

    fired = [(e.event_type, e.kind.value) for e in published(app, ticket)[3:]]  # type: ignore[attr-defined]
    assert fired == [("DeadlineWarned", "resolution"), ("DeadlineWarned", "resolution")]


def test_an_accepted_reply_stops_every_timer() -> None:
    clock = ManualClock(local("2026-09-28 09:00"))
    app = sla_app(clock)
    ticket = new_ticket()
    deliver(app, assigned(ticket, local("2026-09-28 09:00")))
    deliver(app, reply_accepted(ticket, local("2026-09-28 15:00")))
    deliver(app, closed(ticket, local("2026-09-29 15:00")))

    clock.set(local("2026-12-01 09:00"))

    assert app.fire_due_timers(ticket) is None
    assert kinds(app, ticket) == ["DeadlineSet"] * 3


def test_a_deadline_in_an_uncovered_year_is_flagged_not_computed() -> None:
    app = sla_app(ManualClock(local("2026-12-29 09:00")))
    ticket = new_ticket()

    deliver(app, assigned(ticket, local("2026-12-29 09:00")))

    flagged = [e for e in published(app, ticket) if e.event_type == "DeadlineUncomputable"]
    assert [(e.kind.value, e.missing_year) for e in flagged] == [("resolution", 2027)]  # type: ignore[attr-defined]
    assert set(deadlines(app, ticket)) == {"sign_in", "first_contact"}
