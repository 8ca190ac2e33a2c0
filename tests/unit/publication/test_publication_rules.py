"""When a ticket is aired, when it is not, and what takes it down."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from publication_story import IN_MEMORY, Story, deliver

from contracts import TicketPublished, TicketUnpublished
from services.publication.application import (
    SENSITIVE_CATEGORIES_ENV,
    PublicationApplication,
)
from services.publication.domain import Listing, PublicationError
from services.publication.translation import to_contract, to_public

NOW = datetime(2026, 10, 9, 8, 0, tzinfo=UTC)


def published_events(app: PublicationApplication) -> list[Any]:
    translated = [
        to_contract(app.mapper.to_domain_event(n), n.id) for n in app.notifications_after(0, 1000)
    ]
    return [event for event in translated if event is not None]


def test_a_consented_ticket_is_aired_masked_once_its_unit_is_known() -> None:
    app = PublicationApplication(IN_MEMORY)
    story = Story()

    deliver(app, story.received("我叫张大海，电话13800138000，路灯坏了"), story.assigned())

    [event] = published_events(app)
    assert isinstance(event, TicketPublished)
    assert event.masked_description == "我叫张**，电话138****8000，路灯坏了"
    assert (event.unit_code, event.category, event.district) == ("water", "供水", "美兰区")


def test_nothing_is_aired_before_a_unit_is_assigned() -> None:
    app = PublicationApplication(IN_MEMORY)

    deliver(app, Story().received())

    assert published_events(app) == []


def test_a_ticket_without_consent_is_recorded_but_never_aired() -> None:
    app = PublicationApplication(IN_MEMORY)
    story = Story()

    deliver(app, story.received(publication_consent=False), story.assigned())

    listing = app.listing(story.ticket_id)
    assert listing is not None and listing.unit_code == "water"
    assert published_events(app) == []


def test_a_sensitive_category_is_never_aired() -> None:
    app = PublicationApplication(IN_MEMORY)
    story = Story()

    deliver(app, story.received(), story.assigned(category="信访事项"))

    assert published_events(app) == []


def test_the_sensitive_categories_are_configurable() -> None:
    app = PublicationApplication(IN_MEMORY | {SENSITIVE_CATEGORIES_ENV: "供水"})
    story = Story()

    deliver(app, story.received(), story.assigned(category="供水"))

    assert app.sensitive_categories == ("供水",)
    assert published_events(app) == []


def test_an_aired_ticket_rerouted_to_a_sensitive_category_is_taken_off() -> None:
    app = PublicationApplication(IN_MEMORY)
    story = Story()

    deliver(app, story.received(), story.assigned(), story.assigned(category="涉法涉诉"))

    assert [type(e) for e in published_events(app)] == [TicketPublished, TicketUnpublished]


def test_a_withdrawn_complaint_leaves_the_board() -> None:
    app = PublicationApplication(IN_MEMORY)
    story = Story()

    deliver(app, story.received(), story.assigned(), story.withdrawn())

    assert [type(e) for e in published_events(app)] == [TicketPublished, TicketUnpublished]


def test_a_takedown_unpublishes_the_ticket_and_it_is_never_aired_again() -> None:
    app = PublicationApplication(IN_MEMORY)
    story = Story()
    deliver(app, story.received(), story.assigned())

    app.take_down(story.ticket_id, "市民来电要求撤下，电话13800138000", NOW)
    deliver(app, story.assigned(unit_code="roads"))

    events = published_events(app)
    assert [type(e) for e in events] == [TicketPublished, TicketUnpublished]
    assert events[1].reason == "市民来电要求撤下，电话138****8000"


def test_only_an_aired_ticket_can_be_taken_down() -> None:
    app = PublicationApplication(IN_MEMORY)
    story = Story()
    deliver(app, story.received(publication_consent=False), story.assigned())

    with pytest.raises(PublicationError) as raised:
        app.take_down(story.ticket_id, "请撤下", NOW)

    assert raised.value.code == "not_published"


def test_publication_keeps_no_citizen_reference_or_exact_address() -> None:
    app = PublicationApplication(IN_MEMORY)
    story = Story()

    deliver(app, story.received(address="海甸岛水岸阳光D栋901房", street="海甸街道"))

    listing = app.listing(story.ticket_id)
    assert isinstance(listing, Listing)
    assert listing.street == "海甸街道"
    state = repr(vars(listing)) + repr([n.state for n in app.notifications_after(0, 100)])
    assert "ref-secret" not in state and "901" not in state


def test_replies_are_masked_before_they_are_stored() -> None:
    app = PublicationApplication(IN_MEMORY)
    story = Story()

    deliver(app, story.received(), story.assigned(), story.replied("已联系王先生（13900001111）"))

    listing = app.listing(story.ticket_id)
    assert listing is not None and listing.masked_reply == "已联系王先生（139****1111）"


def test_the_status_follows_when_things_happened_not_when_they_arrived() -> None:
    app = PublicationApplication(IN_MEMORY)
    story = Story()
    received, assigned, closed = story.received(), story.assigned(), story.closed()

    deliver(app, closed, received, assigned)

    listing = app.listing(story.ticket_id)
    assert listing is not None
    assert (listing.status, listing.closed_at) == ("closed", closed.occurred_at)
    assert [step.stage for step in listing.steps] == ["received", "assigned", "closed"]


def test_a_ticket_that_is_not_aired_reaches_the_public_stream_as_counts_only() -> None:
    app = PublicationApplication(IN_MEMORY)
    story = Story()

    deliver(app, story.received("我家路灯坏了", publication_consent=False), story.assigned())

    log = app.notifications_after(0, 100)
    public = [to_public(app.mapper.to_domain_event(n), n.id) for n in log]
    sent = [event for event in public if event is not None]
    assert [e.event_type for e in sent] == ["PublicTicketOpened", "PublicTicketProgressed"]
    assert not [e for e in sent if "路灯" in e.model_dump_json()]
