"""The board over HTTP: pages, JSON, feed, comment limits and staff access."""

from __future__ import annotations

from datetime import UTC, datetime
from xml.etree import ElementTree

import pytest
from fastapi.testclient import TestClient
from publication_story import IN_MEMORY, Story, board_app, deliver, staff

from hotline.runtime.clock import ManualClock
from services.publication.application import PublicationApplication
from services.publication.ratelimit import Limit, RateLimiter


@pytest.fixture
def stories() -> tuple[PublicationApplication, Story, Story]:
    app = PublicationApplication(IN_MEMORY)
    lamp, water = Story(), Story()
    deliver(app, *lamp.handled_well("小区路灯坏了，电话13800138000"))
    deliver(app, water.received("自来水发黄"), water.assigned("roads", unit_name="市交通局"))
    return app, lamp, water


@pytest.fixture
def client(stories: tuple[PublicationApplication, Story, Story]) -> TestClient:
    clock = ManualClock(datetime(2026, 10, 9, 8, 0, tzinfo=UTC))
    return TestClient(board_app(stories[0], clock))


def test_the_list_page_shows_aired_tickets_masked(client: TestClient) -> None:
    page = client.get("/public/")

    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    assert "138****8000" in page.text and "自来水发黄" in page.text
    assert "13800138000" not in page.text


def test_search_and_filters_narrow_the_list(client: TestClient, stories: tuple) -> None:  # type: ignore[type-arg]
    _, lamp, water = stories

    by_word = client.get("/public/api/tickets", params={"q": "路灯"}).json()
    by_unit = client.get("/public/api/tickets", params={"unit": "roads"}).json()
    by_status = client.get("/public/api/tickets", params={"status": "closed"}).json()
    by_date = client.get("/public/api/tickets", params={"date_from": "2026-10-01"}).json()

    assert [t["ticket_id"] for t in by_word["tickets"]] == [str(lamp.ticket_id)]
    assert [t["ticket_id"] for t in by_unit["tickets"]] == [str(water.ticket_id)]
    assert [t["ticket_id"] for t in by_status["tickets"]] == [str(lamp.ticket_id)]
    assert by_date["count"] == 0


def test_a_malformed_date_is_a_clear_400(client: TestClient) -> None:
    answer = client.get("/public/api/tickets", params={"date_from": "yesterday"})

    assert answer.status_code == 400
    assert answer.json()["error"]["code"] == "invalid_date"


def test_the_ticket_page_shows_reply_timeline_and_satisfaction(
    client: TestClient,
    stories: tuple,  # type: ignore[type-arg]
) -> None:
    page = client.get(f"/public/tickets/{stories[1].ticket_id}")

    assert page.status_code == 200
    for shown in ("已维修路灯", "已签收", "已办结", "满意", "市水务局"):
        assert shown in page.text


def test_a_ticket_not_on_the_board_is_404_everywhere(client: TestClient) -> None:
    missing = "00000000-0000-4000-8000-000000000000"

    assert client.get(f"/public/tickets/{missing}").status_code == 404
    assert client.get(f"/public/api/tickets/{missing}").json()["error"]["code"] == "not_found"


def test_the_feed_is_atom_with_one_entry_per_aired_ticket(client: TestClient) -> None:
    answer = client.get("/public/feed.atom")

    root = ElementTree.fromstring(answer.content)
    assert answer.headers["content-type"].startswith("application/atom+xml")
    assert len(root.findall("{http://www.w3.org/2005/Atom}entry")) == 2


def test_a_comment_form_redirects_back_with_a_notice(
    client: TestClient,
    stories: tuple,  # type: ignore[type-arg]
) -> None:
    url = f"/public/tickets/{stories[1].ticket_id}"

    answer = client.post(f"{url}/comments", data={"text": "点赞"}, follow_redirects=False)

    assert (answer.status_code, answer.headers["location"]) == (303, f"{url}?commented=1")
    assert "审核通过后显示" in client.get(answer.headers["location"]).text


def test_an_empty_comment_is_refused(client: TestClient, stories: tuple) -> None:  # type: ignore[type-arg]
    url = f"/public/api/tickets/{stories[1].ticket_id}/comments"

    assert client.post(url, json={"text": "  "}).status_code == 422
    assert client.post(url, json={"text": "x", "name": "张三"}).status_code == 422


def test_too_many_comments_from_one_client_get_a_429(
    client: TestClient,
    stories: tuple,  # type: ignore[type-arg]
) -> None:
    client.app.state.publication_limiter = RateLimiter(Limit(1, 600))  # type: ignore[attr-defined]
    url = f"/public/api/tickets/{stories[1].ticket_id}/comments"
    client.post(url, json={"text": "第一条"})

    refused = client.post(url, json={"text": "第二条"})
    form = client.post(f"/public/tickets/{stories[1].ticket_id}/comments", data={"text": "第三条"})

    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "too_many_requests"
    assert int(refused.headers["retry-after"]) > 0
    assert form.status_code == 429 and "提交过于频繁" in form.text


def test_a_takedown_needs_the_hotline_centre(client: TestClient, stories: tuple) -> None:  # type: ignore[type-arg]
    url = f"/v1/publication/tickets/{stories[1].ticket_id}/takedown"

    assert client.post(url, json={"reason": "市民要求"}).status_code == 401
    assert (
        client.post(url, json={"reason": "市民要求"}, headers=staff("operator")).status_code == 403
    )
    taken = client.post(url, json={"reason": "市民要求"}, headers=staff("hotline_centre"))
    again = client.post(url, json={"reason": "市民要求"}, headers=staff("hotline_centre"))

    assert taken.status_code == 200
    assert again.status_code == 409
    assert client.get(f"/public/tickets/{stories[1].ticket_id}").status_code == 404


def test_a_takedown_with_no_reason_changes_nothing(client: TestClient, stories: tuple) -> None:  # type: ignore[type-arg]
    url = f"/v1/publication/tickets/{stories[1].ticket_id}/takedown"

    answer = client.post(url, json={"reason": ""}, headers=staff("hotline_centre"))

    assert answer.status_code == 422
    assert client.get(f"/public/tickets/{stories[1].ticket_id}").status_code == 200


def test_moderation_is_for_the_centre_and_operators_only(
    client: TestClient,
    stories: tuple,  # type: ignore[type-arg]
) -> None:
    ticket = stories[1].ticket_id
    comment_id = client.post(
        f"/public/api/tickets/{ticket}/comments", json={"text": "很好"}
    ).json()["comment_id"]
    url = f"/v1/publication/tickets/{ticket}/comments/{comment_id}/moderation"

    by_unit = client.post(url, json={"decision": "approve"}, headers=staff("unit:water"))
    unclear = client.post(url, json={"decision": "maybe"}, headers=staff("operator"))
    approved = client.post(url, json={"decision": "approve"}, headers=staff("operator"))

    assert (by_unit.status_code, unclear.status_code, approved.status_code) == (403, 422, 200)
    assert "很好" in client.get(f"/public/tickets/{ticket}").text


def test_the_league_and_media_pages_render(client: TestClient) -> None:
    league = client.get("/public/league")

    assert league.status_code == 200 and "市水务局" in league.text and "100.0%" in league.text
    assert client.get("/public/media").status_code == 200
    assert "市水务局" in client.get("/public/typical").text


def test_the_json_list_pages_with_limit_and_offset(client: TestClient) -> None:
    first = client.get("/public/api/tickets", params={"limit": 1}).json()
    second = client.get("/public/api/tickets", params={"limit": 1, "offset": 1}).json()

    assert (first["count"], len(first["tickets"]), len(second["tickets"])) == (2, 1, 1)
    assert first["tickets"][0]["ticket_id"] != second["tickets"][0]["ticket_id"]
    assert client.get("/public/api/tickets", params={"limit": 0}).status_code == 422


def test_the_html_list_links_to_the_next_page_keeping_the_search(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("services.publication.public_pages.PAGE_SIZE", 1)

    first = client.get("/public/", params={"status": ""})
    second = client.get("/public/", params={"page": 2})

    assert "第 1 / 2 页" in first.text and "/public/?page=2" in first.text
    assert first.text.count("<article") == second.text.count("<article") == 1
