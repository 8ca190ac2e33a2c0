"""SLA, feedback and publication record what they will need, in whatever order it comes."""

from __future__ import annotations

from services.feedback.application import FeedbackApplication
from services.feedback.domain import FollowUp
from services.publication.application import PublicationApplication
from services.publication.domain import Listing
from services.sla.application import SlaApplication
from services.sla.domain import Clock

from upstream_events import IN_MEMORY, assigned, complaint_received, deliver, new_ticket


def test_sla_starts_the_clock_when_a_unit_is_assigned() -> None:
    app = SlaApplication(IN_MEMORY)
    ticket_id = new_ticket()
    event = assigned(ticket_id)

    deliver(app, event)

    clock = app.repository.get(ticket_id)
    assert isinstance(clock, Clock)
    assert (clock.unit_code, clock.started_at) == ("fallback", event.occurred_at)


def test_sla_notes_a_change_of_handler_without_restarting_the_clock() -> None:
    app = SlaApplication(IN_MEMORY)
    ticket_id = new_ticket()
    first = assigned(ticket_id, position=1, unit_code="water")

    deliver(app, first)
    deliver(app, assigned(ticket_id, position=2, unit_code="roads"))

    clock = app.repository.get(ticket_id)
    assert (clock.unit_code, clock.started_at) == ("roads", first.occurred_at)


def test_feedback_opens_the_follow_up_even_when_the_assignment_arrives_first() -> None:
    app = FeedbackApplication(IN_MEMORY)
    ticket_id = new_ticket()

    deliver(app, assigned(ticket_id))
    deliver(app, complaint_received(ticket_id, citizen_ref="ref-1"))

    follow_up = app.repository.get(ticket_id)
    assert isinstance(follow_up, FollowUp)
    assert (follow_up.handling_unit, follow_up.channel, follow_up.citizen_ref) == (
        "fallback",
        "phone",
        "ref-1",
    )


def test_publication_keeps_consent_and_the_responsible_unit_but_no_citizen_data() -> None:
    app = PublicationApplication(IN_MEMORY)
    ticket_id = new_ticket()

    deliver(app, complaint_received(ticket_id, citizen_ref="ref-1"))
    deliver(app, assigned(ticket_id))

    listing = app.repository.get(ticket_id)
    assert isinstance(listing, Listing)
    assert (listing.consented, listing.unit_name, listing.district) == (True, "兜底单位", "美兰区")
    assert "ref-1" not in repr(vars(listing))
