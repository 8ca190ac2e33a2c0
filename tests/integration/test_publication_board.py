"""Publication against the real broker and each store: upstream events in, the board,
`hotline.publication` and `hotline.public` out, with no personal data anywhere."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from unit.publication.publication_broker import (
    STAFF_KEYS_JSON,
    produce,
    topic_events,
    wait_until,
)
from unit.publication.publication_story import Story, staff

from hotline.runtime.host import create_app
from hotline.settings import Settings
from services.publication.main import SPEC

PHONE = "13800138000"


@pytest.fixture
def client(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    monkeypatch.setenv("HOTLINE_API_KEYS", STAFF_KEYS_JSON)
    with TestClient(create_app(SPEC, settings)) as started:
        yield started


def test_a_ticket_handled_upstream_is_aired_ranked_and_streamed_without_personal_data(
    settings: Settings, client: TestClient
) -> None:
    story = Story()
    produce(
        settings,
        story.received(f"我叫张大海，电话{PHONE}，小区路灯坏了"),
        story.assigned(),
        story.signed(),
        story.escalated(level_number=2),
        story.replied(),
        story.rated(),
        story.closed(),
    )

    ticket = wait_until(
        lambda: (
            (t := client.get(f"/public/api/tickets/{story.ticket_id}")).status_code == 200
            and t.json()["status"] == "closed"
            and t.json()
        )
    )
    assert ticket["masked_description"] == "我叫张**，电话138****8000，小区路灯坏了"
    assert client.get("/public/api/league").json()["units"][0]["satisfaction_rate"] == 1.0
    assert [t["unit_code"] for t in client.get("/public/api/media").json()["tickets"]] == ["water"]

    aired = wait_until(lambda: topic_events(settings, "publication", story.ticket_id))
    public = wait_until(
        lambda: len(events := topic_events(settings, "public", story.ticket_id)) >= 8 and events
    )
    assert [e.event_type for e in aired] == ["TicketPublished"]
    in_time_order = sorted(public, key=lambda e: (e.occurred_at, e.position))
    assert in_time_order[0].event_type == "PublicTicketOpened"
    assert "PublicTicketAired" in {e.event_type for e in public}
    assert not [e for e in aired + public if PHONE in e.model_dump_json()]


def test_a_takedown_by_the_hotline_centre_reaches_the_topic(
    settings: Settings, client: TestClient
) -> None:
    story = Story()
    produce(settings, story.received(), story.assigned())
    wait_until(lambda: client.get(f"/public/api/tickets/{story.ticket_id}").status_code == 200)

    answer = client.post(
        f"/v1/publication/tickets/{story.ticket_id}/takedown",
        json={"reason": "市民要求撤下"},
        headers=staff("hotline_centre"),
    )

    assert answer.status_code == 200
    assert client.get(f"/public/tickets/{story.ticket_id}").status_code == 404
    events = wait_until(
        lambda: len(found := topic_events(settings, "publication", story.ticket_id)) == 2 and found
    )
    assert [e.event_type for e in events] == ["TicketPublished", "TicketUnpublished"]
