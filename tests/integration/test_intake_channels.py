"""Every channel reaches the broker as a `ComplaintReceived` carrying what was submitted."""

from __future__ import annotations

from typing import Any

import pytest
from test_intake_support import events_of, headers, intake_client, publish_catalogue

from contracts import Channel, ComplaintReceived
from hotline.settings import Settings

from support import eventually

pytestmark = pytest.mark.integration

CONTACT = {"name": "李四", "phone": "13912345678", "id_number": "11010519491231002X"}


def full_complaint(channel: str) -> dict[str, Any]:
    body: dict[str, Any] = {
        "channel": channel,
        "description": f"{channel}: 海甸岛五西路路灯连续三晚不亮",
        "category_hint": "streetlight",
        "district": "美兰区",
        "street": "海甸街道",
        "address": "海甸五西路28号",
        "latitude": 20.0459,
        "longitude": 110.3213,
        "urgency": "urgent",
        "attachments": [
            {"url": "https://img.example.cn/a.jpg", "media_type": "image"},
            {
                "url": "https://rec.example.cn/b.mp3",
                "media_type": "audio",
                "transcript": "路灯不亮",
            },
        ],
        "contact": CONTACT,
        "publication_consent": True,
    }
    if channel == "media":
        body["media"] = {"outlet": "海口广播电视台", "programme": "直播海口"}
    return body


SUBMITTER = {
    "phone": "operator",
    "media": "operator",
    "app": "partner",
    "wechat": "partner",
    "web": "partner",
}


async def test_every_native_channel_is_published_with_every_field(settings: Settings) -> None:
    accepted: dict[str, dict[str, Any]] = {}
    with intake_client(settings) as client:
        for channel, role in SUBMITTER.items():
            response = client.post(
                "/v1/complaints", json=full_complaint(channel), headers=headers(settings, role)
            )
            assert response.status_code == 201, response.text
            accepted[channel] = response.json()

        for channel, answer in accepted.items():
            ticket_id = answer["ticket_id"]
            [event] = await eventually(lambda t=ticket_id: _received(settings, t))
            assert isinstance(event, ComplaintReceived)
            assert event.channel == Channel(channel)
            assert (event.district, event.street, event.address) == (
                "美兰区",
                "海甸街道",
                "海甸五西路28号",
            )
            assert (event.latitude, event.longitude, event.urgency.value) == (
                20.0459,
                110.3213,
                "urgent",
            )
            assert [a.media_type.value for a in event.attachments] == ["image", "audio"]
            assert event.attachments[1].transcript == "路灯不亮"
            assert event.category_hint == "streetlight"
            assert event.contact is not None and event.citizen_ref is not None
            assert event.publication_consent and not event.anonymous
            assert len(answer["query_code"]) == 12
            assert event.query_code_sha256 is not None
        media_event = (
            await events_of(settings, accepted["media"]["ticket_id"], "ComplaintReceived")
        )[0]
        assert (media_event.media.outlet, media_event.media.programme) == (
            "海口广播电视台",
            "直播海口",
        )
        refs = {
            (await events_of(settings, a["ticket_id"], "ComplaintReceived"))[0].citizen_ref
            for a in accepted.values()
        }
        assert len(refs) == 1, "the same phone number gives the same pseudonym on every channel"


async def test_open311_requests_form_encoded_and_json_are_published(settings: Settings) -> None:
    publish_catalogue(settings)
    with intake_client(settings) as client:
        key = headers(settings, "partner")["X-API-Key"]
        form = client.post(
            "/open311/v2/requests.json",
            data={
                "api_key": key,
                "service_code": "streetlight",
                "lat": "20.0459",
                "long": "110.3213",
                "description": "路灯不亮",
                "first_name": "四",
                "last_name": "李",
                "phone": "13912345678",
                "media_url": "https://img.example.cn/a.jpg",
            },
        )
        as_json = client.post(
            "/open311/v2/requests.json",
            json={
                "api_key": key,
                "service_code": "manhole",
                "address_string": "龙华路1号",
                "description": "井盖破损",
            },
        )
        assert form.status_code == 200, form.text
        assert as_json.status_code == 200, as_json.text
        form_id = form.json()[0]["service_request_id"]
        json_id = as_json.json()[0]["service_request_id"]

        [by_form] = await eventually(lambda: _received(settings, form_id))
        [by_json] = await eventually(lambda: _received(settings, json_id))
    assert (by_form.channel, by_form.category_hint) == (Channel.OPEN311, "streetlight")
    assert (by_form.latitude, by_form.longitude) == (20.0459, 110.3213)
    assert by_form.attachments[0].url == "https://img.example.cn/a.jpg"
    assert by_form.contact is not None and by_form.citizen_ref is not None
    assert (by_json.channel, by_json.category_hint, by_json.address) == (
        Channel.OPEN311,
        "manhole",
        "龙华路1号",
    )
    assert by_json.contact is None


def _received(settings: Settings, ticket_id: str) -> list[Any]:
    import asyncio

    return asyncio.run(events_of(settings, ticket_id, "ComplaintReceived"))
