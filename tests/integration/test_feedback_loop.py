"""The feedback loop over HTTP on the real broker and both stores.

Upstream facts (complaint, assignment) are published on intake's and routing's real
topics; feedback consumes them, and its own contracts are read back from its topic.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest
from fastapi.testclient import TestClient
from unit.feedback.feedback_upstream import EMPTY_REPLY, GOOD_REPLY, Upstream

from contracts import DeadlineKind, IntegrationEvent, parse_event
from hotline.runtime.host import create_app
from hotline.settings import Settings
from services.feedback.main import SPEC

from support import eventually, publish_events, read_topic

pytestmark = pytest.mark.integration

KEYS = {
    "key-for-unit-lights-0001": "unit:lights",
    "key-for-unit-water-00001": "unit:water",
    "key-for-callback-staff-1": "hotline_centre",
    "key-for-the-auditor-0001": "auditor",
}
LIGHTS, WATER, STAFF, AUDITOR = ({"X-API-Key": key} for key in KEYS)


@pytest.fixture
def client(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    monkeypatch.setenv("HOTLINE_API_KEYS", json.dumps(KEYS))
    with TestClient(create_app(SPEC, settings)) as test_client:
        yield test_client


async def publish(settings: Settings, *events: IntegrationEvent) -> None:
    await publish_events(settings, *events)


@pytest.fixture
def upstream() -> Upstream:
    """One numbering of upstream positions per test, as each upstream log has one."""
    return Upstream()


async def ticket_held_by_lights(
    settings: Settings, client: TestClient, upstream: Upstream, query_code: str | None = None
) -> UUID:
    ticket_id = uuid4()
    await publish(
        settings,
        upstream.complaint(ticket_id, query_code=query_code),
        upstream.assigned(ticket_id, "lights"),
    )

    def assignment_known() -> bool:
        answer = client.get(f"/v1/tickets/{ticket_id}/timeline", headers=AUDITOR)
        return answer.status_code == 200 and any(
            entry["event"] == "AssignmentNoted" for entry in answer.json()["events"]
        )

    await eventually(assignment_known)
    return ticket_id


def reply_body(text: str = GOOD_REPLY) -> dict[str, Any]:
    return {
        "result": "solved",
        "public_reply": text,
        "measures": "更换灯具和线路",
        "evidence_urls": ["https://media.example/lamp.jpg"],
        "contacted_citizen_at": "2026-11-03T10:00:00+08:00",
    }


async def published(settings: Settings, ticket_id: UUID, count: int) -> list[IntegrationEvent]:
    async def read() -> list[IntegrationEvent]:
        records = await read_topic(settings, settings.topic("feedback"))
        events = [parse_event(record.value) for record in records]
        return [event for event in events if event.ticket_id == ticket_id]

    events: list[IntegrationEvent] = []
    for _ in range(100):
        events = await read()
        if len(events) >= count:
            return events
    raise AssertionError(f"only {[e.event_type for e in events]} published")


async def test_a_rejected_reply_is_resubmitted_accepted_and_the_satisfied_callback_closes(
    settings: Settings, client: TestClient, upstream: Upstream
) -> None:
    ticket_id = await ticket_held_by_lights(settings, client, upstream)
    url = f"/v1/tickets/{ticket_id}"

    other_unit = client.post(f"{url}/reply", json=reply_body(), headers=WATER)
    rejected = client.post(f"{url}/reply", json=reply_body(EMPTY_REPLY), headers=LIGHTS)
    accepted = client.post(f"{url}/reply", json=reply_body(), headers=LIGHTS)
    queue = client.get("/v1/callbacks", headers=STAFF).json()["callbacks"]
    callback = client.post(
        f"{url}/callbacks",
        json={
            "reached": True,
            "solved": True,
            "satisfaction": "satisfied",
            "comment": "张先生很满意",
        },
        headers=STAFF,
    )

    assert other_unit.status_code == 403
    assert rejected.json() == {"accepted": False, "reasons": ["empty_formula"]}
    assert accepted.json() == {"accepted": True, "reasons": []}
    assert [item["ticket_id"] for item in queue] == [str(ticket_id)]
    assert callback.json() == {"outcome": "closed"}
    events = await published(settings, ticket_id, 6)
    assert [event.event_type for event in events] == [
        "ReplySubmitted",
        "ReplyRejected",
        "ReplySubmitted",
        "ReplyAccepted",
        "CallbackRated",
        "TicketClosed",
    ]
    assert "张先生" not in json.dumps([event.model_dump(mode="json") for event in events])


async def test_an_unsatisfied_citizen_reopens_the_ticket_and_again_in_a_second_round(
    settings: Settings, client: TestClient, upstream: Upstream
) -> None:
    ticket_id = await ticket_held_by_lights(settings, client, upstream)
    url = f"/v1/tickets/{ticket_id}"
    unhappy = {"reached": True, "solved": False, "satisfaction": "unsatisfied"}

    for _ in range(2):
        assert client.post(f"{url}/reply", json=reply_body(), headers=LIGHTS).json()["accepted"]
        assert client.post(f"{url}/callbacks", json=unhappy, headers=STAFF).json() == {
            "outcome": "reopened"
        }

    events = await published(settings, ticket_id, 8)
    reopened = [event for event in events if event.event_type == "TicketReopened"]
    assert [event.round for event in reopened] == [1, 2]  # type: ignore[attr-defined]


async def test_three_failed_callbacks_on_different_days_make_the_citizen_unreachable(
    settings: Settings, client: TestClient, upstream: Upstream
) -> None:
    ticket_id = await ticket_held_by_lights(settings, client, upstream)
    url = f"/v1/tickets/{ticket_id}"
    client.post(f"{url}/reply", json=reply_body(), headers=LIGHTS)
    now = datetime.now(UTC)

    ahead = client.post(
        f"{url}/callbacks",
        json={"reached": False, "attempted_at": (now + timedelta(days=1)).isoformat()},
        headers=STAFF,
    )
    outcomes = [
        client.post(
            f"{url}/callbacks",
            json={"reached": False, "attempted_at": (now - timedelta(days=days)).isoformat()},
            headers=STAFF,
        ).json()["outcome"]
        for days in (3, 2, 1)
    ]

    assert ahead.status_code == 422
    assert outcomes == ["attempt_failed", "attempt_failed", "unreachable"]
    events = await published(settings, ticket_id, 6)
    last_failure, closed = events[-2:]
    assert (last_failure.attempt, last_failure.unreachable) == (3, True)  # type: ignore[attr-defined]
    assert closed.outcome == "unreachable"  # type: ignore[attr-defined]


async def test_the_citizen_rates_the_reply_with_ticket_id_and_query_code(
    settings: Settings, client: TestClient, upstream: Upstream
) -> None:
    ticket_id = await ticket_held_by_lights(settings, client, upstream, query_code="482913")
    url = f"/v1/tickets/{ticket_id}"
    client.post(f"{url}/reply", json=reply_body(), headers=LIGHTS)
    rating = {"solved": True, "satisfaction": "very_satisfied"}

    wrong = client.post(f"{url}/rating", json=rating | {"query_code": "111111"})
    right = client.post(f"{url}/rating", json=rating | {"query_code": "482913"})
    again = client.post(f"{url}/rating", json=rating | {"query_code": "482913"})

    assert (wrong.status_code, right.json(), again.status_code) == (
        403,
        {"outcome": "closed"},
        409,
    )
    events = await published(settings, ticket_id, 4)
    rated = next(event for event in events if event.event_type == "CallbackRated")
    assert rated.by_citizen  # type: ignore[attr-defined]


async def test_merged_children_and_overdue_tickets_enter_the_callback_queue(
    settings: Settings, client: TestClient, upstream: Upstream
) -> None:
    master = await ticket_held_by_lights(settings, client, upstream)
    overdue = await ticket_held_by_lights(settings, client, upstream)
    child = uuid4()
    await publish(
        settings,
        upstream.complaint(child),
        upstream.merged(child, master),
        upstream.breached(overdue, "lights", DeadlineKind.RESOLUTION),
    )

    def child_and_overdue_known() -> bool:
        timelines = [
            client.get(f"/v1/tickets/{ticket}/timeline", headers=AUDITOR)
            for ticket in (child, overdue)
        ]
        names = [
            [e["event"] for e in t.json()["events"]] if t.status_code == 200 else []
            for t in timelines
        ]
        return "MergedInto" in names[0] and "BreachNoted" in names[1]

    await eventually(child_and_overdue_known)
    child_reply = client.post(f"/v1/tickets/{child}/reply", json=reply_body(), headers=LIGHTS)
    client.post(f"/v1/tickets/{master}/reply", json=reply_body(), headers=LIGHTS)
    queue = client.get("/v1/callbacks", headers=STAFF).json()["callbacks"]

    assert child_reply.status_code == 403
    assert {(item["ticket_id"], item["reason"]) for item in queue} == {
        (str(overdue), "resolution_overdue"),
        (str(master), "reply_accepted"),
        (str(child), "master_reply_accepted"),
    }
