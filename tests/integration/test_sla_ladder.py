"""SLA against the real broker and each store: a ticket across the 2026 National Day
holiday, through its warnings, the breach and every level of the supervision ladder.

Upstream events are produced to routing's and feedback's topics with their envelopes;
the SLA service runs with a manual clock (`services.sla.context.using`), so weeks pass
by advancing it, and every expectation is read back from the `hotline.sla` topic.
"""

from __future__ import annotations

from datetime import datetime

from unit.sla.sla_broker import produce, sla_events_of, wait_for_sla_events
from unit.sla.sla_story import assigned, local, new_ticket, reopened, returned

from contracts import DeadlineKind
from hotline.runtime.clock import ManualClock
from hotline.settings import Settings
from services.sla.context import SlaContext, using

from support import running


def summary(events: list) -> list[tuple[str, str | None, object, datetime]]:  # type: ignore[type-arg]
    return [
        (
            e.event_type,
            getattr(e, "kind", None),
            getattr(e, "fraction", None) or getattr(e, "level_number", None),
            e.occurred_at,
        )
        for e in events
    ]


async def test_a_ticket_walks_over_national_day_through_warnings_breach_and_the_whole_ladder(
    settings: Settings,
) -> None:
    clock = ManualClock(local("2026-09-30 10:00"))
    ticket = new_ticket()
    with using(SlaContext(clock=clock, tick_seconds=0.02)):
        async with running(settings, "sla"):
            await produce(settings, assigned(ticket, local("2026-09-30 10:00")))
            deadlines = await wait_for_sla_events(settings, ticket, 3)
            resolution = next(e for e in deadlines if e.kind == DeadlineKind.RESOLUTION)
            # Oct 1–7 holiday skipped, Saturday Oct 10 worked: the 5th working day is Oct 13.
            assert resolution.due_at == local("2026-10-13 18:00")
            assert resolution.policy == "normal:resolution:5wd"

            # Sign-in and first contact (1 wd): Oct 8, the first working day after the holiday.
            # Their 50% and 75% fall in the holiday, as does resolution's 50% (Oct 7 02:00).
            steps = [
                ("2026-10-07 02:00", 5),  # sign-in/first-contact warnings ×4, resolution 50%
                ("2026-10-08 18:00", 2),  # sign-in and first-contact breached
                ("2026-10-10 10:00", 1),  # resolution 75%: 320 h × 0.75 = 240 h after the start
                ("2026-10-13 18:00", 2),  # resolution breached → level 1 (hotline centre)
                ("2026-10-15 18:00", 1),  # +2 wd → media
                ("2026-10-20 18:00", 1),  # +3 wd (Sat 17 not a working day) → inspection office
                ("2026-10-27 18:00", 1),  # +5 wd → congress / CPPCC
                ("2026-11-03 18:00", 1),  # +5 wd → discipline inspection
            ]
            seen = 3
            for moment, new in steps:
                clock.set(local(moment))
                seen += new
                await wait_for_sla_events(settings, ticket, seen)

        events = await sla_events_of(settings, ticket)

    assert summary(events[3:]) == [
        ("DeadlineWarned", "sign_in", 0.5, local("2026-10-07 02:00")),
        ("DeadlineWarned", "first_contact", 0.5, local("2026-10-07 02:00")),
        ("DeadlineWarned", "sign_in", 0.75, local("2026-10-07 02:00")),
        ("DeadlineWarned", "first_contact", 0.75, local("2026-10-07 02:00")),
        ("DeadlineWarned", "resolution", 0.5, local("2026-10-07 02:00")),
        ("DeadlineBreached", "sign_in", None, local("2026-10-08 18:00")),
        ("DeadlineBreached", "first_contact", None, local("2026-10-08 18:00")),
        ("DeadlineWarned", "resolution", 0.75, local("2026-10-10 10:00")),
        ("DeadlineBreached", "resolution", None, local("2026-10-13 18:00")),
        ("Escalated", None, 1, local("2026-10-13 18:00")),
        ("Escalated", None, 2, local("2026-10-15 18:00")),
        ("Escalated", None, 3, local("2026-10-20 18:00")),
        ("Escalated", None, 4, local("2026-10-27 18:00")),
        ("Escalated", None, 5, local("2026-11-03 18:00")),
    ]
    levels = [(e.level.value, e.reason) for e in events if e.event_type == "Escalated"]
    assert levels == [
        ("hotline_centre", "overdue: resolution"),
        ("media", "overdue: resolution"),
        ("government_inspection", "overdue: resolution"),
        ("congress_cppcc", "overdue: resolution"),
        ("discipline_inspection", "overdue: resolution"),
    ]


async def test_ping_pong_returns_and_a_second_unsatisfied_callback_escalate_with_reasons(
    settings: Settings,
) -> None:
    clock = ManualClock(local("2026-09-18 09:00"))
    ticket = new_ticket()
    with using(SlaContext(clock=clock, tick_seconds=0.02)):
        async with running(settings, "sla"):
            await produce(settings, assigned(ticket, local("2026-09-18 09:00")))
            await wait_for_sla_events(settings, ticket, 3)
            # Routing's and feedback's topics are not ordered with each other.
            await produce(settings, returned(ticket, local("2026-09-18 10:00"), times=3))
            await produce(settings, reopened(ticket, local("2026-09-18 11:00"), round_=1))
            await produce(settings, reopened(ticket, local("2026-09-18 12:00"), round_=2))
            events = await wait_for_sla_events(settings, ticket, 3 + 1 + 2 + 2 + 1)

    escalations = [(e.level_number, e.reason) for e in events if e.event_type == "Escalated"]
    assert [level for level, _ in escalations] == [1, 2]
    assert {reason for _, reason in escalations} == {
        "returned 3 times",
        "unsatisfied callback, round 2",
    }
    reopen_deadlines = [
        (e.kind.value, e.due_at, e.policy)
        for e in events
        if e.event_type == "DeadlineSet" and e.occurred_at == local("2026-09-18 12:00")
    ]
    # Reopened on Friday Sept 18: Sunday Sept 20 is a make-up working day (调休).
    assert reopen_deadlines == [
        ("first_contact", local("2026-09-20 18:00"), "reopen:first_contact:1wd"),
        ("resolution", local("2026-09-22 18:00"), "reopen:resolution:3wd"),
    ]


async def test_a_deadline_reaching_into_an_uncovered_year_is_flagged_on_the_topic(
    settings: Settings,
) -> None:
    clock = ManualClock(local("2026-12-29 09:00"))
    ticket = new_ticket()
    with using(SlaContext(clock=clock, tick_seconds=0.02)):
        async with running(settings, "sla"):
            await produce(settings, assigned(ticket, local("2026-12-29 09:00")))
            events = await wait_for_sla_events(settings, ticket, 3)

    flagged = [(e.event_type, e.kind.value) for e in events]
    assert sorted(flagged) == [
        ("DeadlineSet", "first_contact"),  # 30 Dec is still in 2026
        ("DeadlineSet", "sign_in"),
        ("DeadlineUncomputable", "resolution"),  # the 5th working day would be in 2027
    ]
    assert [e.missing_year for e in events if e.event_type == "DeadlineUncomputable"] == [2027]
