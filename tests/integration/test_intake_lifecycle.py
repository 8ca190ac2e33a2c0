"""A ticket's life at intake, end to end: retry, progress lookup, supplement, withdraw."""

from __future__ import annotations

import asyncio
from typing import Any
from uuid import uuid4

import pytest
from test_intake_support import events_of, headers, intake_client

from hotline.settings import Settings

from support import eventually

pytestmark = pytest.mark.integration

COMPLAINT = {
    "channel": "app",
    "description": "人民大道噪音扰民，夜间施工",
    "district": "美兰区",
    "contact": {"name": "王五", "phone": "0898-66123456"},
}


def published(settings: Settings, ticket_id: str, event_type: str) -> list[Any]:
    return asyncio.run(events_of(settings, ticket_id, event_type))


async def test_a_retried_submission_with_the_same_idempotency_key_returns_the_same_ticket(
    settings: Settings,
) -> None:
    with intake_client(settings) as client:
        partner = headers(settings, "partner") | {"Idempotency-Key": "app-req-0001"}
        first = client.post("/v1/complaints", json=COMPLAINT, headers=partner)
        retry = client.post("/v1/complaints", json=COMPLAINT, headers=partner)
        other = client.post(
            "/v1/complaints", json=COMPLAINT | {"description": "别的事"}, headers=partner
        )
        ticket_id = first.json()["ticket_id"]
        await eventually(lambda: published(settings, ticket_id, "ComplaintReceived"))
        await asyncio.sleep(0.3)
        received = [e for e in await _all(settings) if e.event_type == "ComplaintReceived"]

    assert (first.status_code, retry.status_code) == (201, 201)
    assert retry.json() == first.json(), "same ticket id and same query code"
    assert other.status_code == 422 and other.json()["error"]["code"] == "idempotency_key_reused"
    assert len(received) == 1


async def test_the_citizen_sees_their_own_progress_only_with_the_right_query_code(
    settings: Settings,
) -> None:
    with intake_client(settings) as client:
        operator = headers(settings, "operator")
        mine = client.post("/v1/complaints", json=COMPLAINT, headers=operator).json()
        theirs = client.post("/v1/complaints", json=COMPLAINT, headers=operator).json()
        url = f"/v1/complaints/{mine['ticket_id']}/progress"

        own = client.get(url, headers={"X-Query-Code": mine["query_code"].lower()})
        wrong = client.get(url, headers={"X-Query-Code": theirs["query_code"]})
        unknown = client.get(
            f"/v1/complaints/{uuid4()}/progress", headers={"X-Query-Code": mine["query_code"]}
        )
        missing = client.get(url)

    assert own.status_code == 200
    view = own.json()
    assert view["ticket_id"] == mine["ticket_id"] and view["status"] == "open"
    assert "王五" not in own.text and "66123456" not in own.text
    assert wrong.status_code == unknown.status_code == missing.status_code == 404
    assert wrong.json()["error"]["code"] == unknown.json()["error"]["code"] == "not_found"


async def test_supplement_and_withdraw_are_published_and_a_withdrawn_ticket_takes_no_more(
    settings: Settings,
) -> None:
    with intake_client(settings) as client:
        partner = headers(settings, "partner")
        ticket_id = client.post("/v1/complaints", json=COMPLAINT, headers=partner).json()[
            "ticket_id"
        ]
        base = f"/v1/complaints/{ticket_id}"
        added = client.post(
            f"{base}/supplements",
            json={
                "text": "今晚又在施工",
                "attachments": [{"url": "https://v.example.cn/1.mp4", "media_type": "video"}],
            },
            headers=partner,
        )
        withdrawn = client.post(f"{base}/withdraw", json={"reason": "已协商解决"}, headers=partner)
        again = client.post(f"{base}/withdraw", json={}, headers=partner)
        late = client.post(f"{base}/supplements", json={"text": "补充"}, headers=partner)
        staff = client.get(base, headers=headers(settings, "hotline_centre")).json()

        [supplemented] = await eventually(
            lambda: published(settings, ticket_id, "ComplaintSupplemented")
        )
        [withdrawal] = await eventually(
            lambda: published(settings, ticket_id, "ComplaintWithdrawn")
        )

    assert (added.status_code, withdrawn.status_code) == (201, 200)
    assert (again.status_code, late.status_code) == (409, 409)
    assert supplemented.text == "今晚又在施工"
    assert supplemented.attachments[0].media_type.value == "video"
    assert withdrawal.reason == "已协商解决"
    assert staff["extended_status"] == "withdrawn" and staff["status"] == "closed"


async def test_a_partner_may_not_change_a_ticket_another_client_submitted(
    settings: Settings,
) -> None:
    with intake_client(settings) as client:
        ticket_id = client.post(
            "/v1/complaints", json=COMPLAINT, headers=headers(settings, "operator")
        ).json()["ticket_id"]
        attempt = client.post(
            f"/v1/complaints/{ticket_id}/withdraw", json={}, headers=headers(settings, "partner")
        )
    assert attempt.status_code == 403


async def _all(settings: Settings) -> list[Any]:
    from test_intake_support import intake_events

    return await intake_events(settings)
