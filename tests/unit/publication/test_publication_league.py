"""League tables (三率), the media column and typical cases, from every ticket's history."""

from __future__ import annotations

from publication_story import IN_MEMORY, Story, deliver

from contracts import Satisfaction
from services.publication.application import PublicationApplication
from services.publication.board import Board
from services.publication.league import league_table


def board_after(*stories_events: list) -> Board:  # type: ignore[type-arg]
    app = PublicationApplication(IN_MEMORY)
    for events in stories_events:
        deliver(app, *events)
    board = Board(app)
    board.refresh()
    return board


def test_the_three_rates_and_the_on_time_rate_of_a_unit() -> None:
    good, late, unrated = Story(), Story(), Story()
    board = board_after(
        good.handled_well(),
        [
            late.received(),
            late.assigned(),
            late.breached(),
            late.replied(),
            late.rated(Satisfaction.UNSATISFIED, solved=False),
        ],
        [unrated.received(), unrated.assigned(), unrated.signed()],
    )

    [water] = league_table(board.all_views())

    assert (water.unit_code, water.assigned, water.overdue) == ("water", 3, 1)
    assert water.response_rate == round(2 / 3, 4)
    assert (water.resolution_rate, water.satisfaction_rate, water.on_time_rate) == (0.5, 0.5, 0.5)


def test_tickets_without_consent_count_in_the_league_but_are_not_listed() -> None:
    story = Story()
    board = board_after([story.received(publication_consent=False), story.assigned()])

    [water] = league_table(board.all_views())

    assert water.assigned == 1
    assert board.published() == [] and board.ticket(story.ticket_id) is None


def test_units_are_ranked_by_satisfaction_first() -> None:
    pleased, displeased = Story(), Story()
    board = board_after(
        [
            displeased.received(),
            displeased.assigned("roads", unit_name="市交通局"),
            displeased.rated(Satisfaction.VERY_UNSATISFIED, solved=False),
        ],
        [pleased.received(), pleased.assigned("water"), pleased.rated()],
    )

    assert [s.unit_code for s in league_table(board.all_views())] == ["water", "roads"]


def test_the_trend_counts_tickets_per_iso_week() -> None:
    first, second = Story(), Story()
    board = board_after(
        [first.received(), first.assigned()], [second.received(), second.assigned()]
    )

    [water] = league_table(board.all_views())

    assert [(w.week, w.received) for w in water.trend] == [("2026-W40", 2)]


def test_the_media_column_holds_tickets_escalated_to_media_level_or_beyond() -> None:
    centre_only, media, inspection = Story(), Story(), Story()
    board = board_after(
        [centre_only.received(), centre_only.assigned(), centre_only.escalated(1)],
        [media.received(), media.assigned(), media.escalated(2)],
        [
            inspection.received(publication_consent=False),
            inspection.assigned(),
            inspection.escalated(3),
        ],
    )

    column = {view.ticket_id: view for view in board.media_column()}

    assert set(column) == {media.ticket_id, inspection.ticket_id}
    assert column[inspection.ticket_id].masked_description is None


def test_typical_cases_are_aired_closed_solved_satisfied_and_never_overdue() -> None:
    good, late = Story(), Story()
    board = board_after(good.handled_well(), [late.breached(), *late.handled_well()])

    assert [view.ticket_id for view in board.typical_cases()] == [good.ticket_id]
