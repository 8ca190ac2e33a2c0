"""Personal data: never in clear on Kafka or in logs; read only by those who need it, on
the record; unreadable everywhere once the citizen is forgotten."""

from __future__ import annotations

import asyncio
import io
import json
import os
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from test_intake_support import events_of, headers, intake_client

from contracts import Assigned, ComplaintReceived, event_id_for, serialize_event
from hotline.cli import main as hotline_main
from hotline.runtime.kafka import make_producer
from hotline.runtime.logging import configure_logging
from hotline.runtime.relay import message_headers
from hotline.runtime.sealing import SealingError, load_keyring
from hotline.settings import Settings

from support import eventually, read_topic

pytestmark = pytest.mark.integration

NAME, PHONE, ID_NUMBER = "赵六", "13698765432", "460100199003071237"
COMPLAINT = {
    "channel": "phone",
    "description": f"小区垃圾清运不及时，我是{NAME[0]}先生，电话{PHONE}，身份证{ID_NUMBER}",
    "district": "龙华区",
    "contact": {"name": NAME, "phone": PHONE, "id_number": ID_NUMBER},
}


@pytest.fixture
def captured_logs() -> Iterator[io.StringIO]:
    stream = io.StringIO()
    configure_logging("intake", "json", "debug", stream=stream)
    yield stream
    configure_logging("intake", "json", "info")


def published(settings: Settings, ticket_id: str, event_type: str) -> list[Any]:
    return asyncio.run(events_of(settings, ticket_id, event_type))


async def assign(settings: Settings, ticket_id: str, unit_code: str) -> None:
    """Routing's `Assigned`, as routing would publish it on its topic."""
    event = Assigned(
        event_id=event_id_for("routing", ticket_id, 2),  # type: ignore[arg-type]
        ticket_id=ticket_id,  # type: ignore[arg-type]
        occurred_at=datetime.now(UTC),
        position=int.from_bytes(os.urandom(3), "big") + 1,
        unit_code=unit_code,
        unit_name="演示单位",
        rule="test:manual",
    )
    producer = make_producer(settings)
    await producer.start()
    try:
        await producer.send_and_wait(
            settings.topic("routing"),
            value=serialize_event(event),
            key=ticket_id.encode(),
            headers=message_headers(event),
        )
    finally:
        await producer.stop()


async def test_no_name_phone_or_id_number_in_clear_on_the_topic_or_in_the_logs(
    settings: Settings, captured_logs: io.StringIO
) -> None:
    with intake_client(settings) as client:
        operator = headers(settings, "operator")
        ticket_id = client.post("/v1/complaints", json=COMPLAINT, headers=operator).json()[
            "ticket_id"
        ]
        client.post(
            "/v1/complaints", json=COMPLAINT | {"contact": {"phone": "123"}}, headers=operator
        )
        contact = client.get(f"/v1/complaints/{ticket_id}/contact", headers=operator)
        await eventually(lambda: published(settings, ticket_id, "ContactDataAccessed"))
        records = await read_topic(settings, settings.topic("intake"))
        stored = client.app.state.service.application.notifications_after(0, 100)  # type: ignore[attr-defined]

    assert contact.json()["contact"] == {
        "name": NAME,
        "phone": PHONE,
        "id_number": ID_NUMBER,
        "email": None,
    }
    assert records
    logs = captured_logs.getvalue()
    assert "complaint.received" in logs
    for record in records:
        raw = (record.value or b"").decode() + repr(record.headers)
        for secret in (NAME, PHONE, ID_NUMBER, "6543"):
            assert secret not in raw
    for secret in (NAME, PHONE, ID_NUMBER):
        assert secret not in logs
    assert len(stored) == 2, "the complaint and the contact read; the bad phone recorded nothing"
    assert "小区垃圾清运不及时".encode() in stored[0].state, (
        "the state is readable JSON, so the check bites"
    )
    for notification in stored:
        for secret in (NAME, PHONE, ID_NUMBER):
            assert secret.encode() not in notification.state
            assert json.dumps(secret).strip('"').encode() not in notification.state


async def test_each_read_of_contact_data_is_published_with_role_and_key_fingerprint(
    settings: Settings,
) -> None:
    with intake_client(settings) as client:
        ticket_id = client.post(
            "/v1/complaints", json=COMPLAINT, headers=headers(settings, "operator")
        ).json()["ticket_id"]
        client.get(
            f"/v1/complaints/{ticket_id}/contact", headers=headers(settings, "hotline_centre")
        )
        [access] = await eventually(lambda: published(settings, ticket_id, "ContactDataAccessed"))
        [received] = await events_of(settings, ticket_id, "ComplaintReceived")

    assert access.role == "hotline_centre"
    assert len(access.key_fingerprint) == 8
    assert access.citizen_ref == received.citizen_ref


async def test_only_the_holding_unit_may_read_contact_data_and_never_an_anonymous_citizens(
    settings: Settings,
) -> None:
    with intake_client(settings) as client:
        operator, unit = headers(settings, "operator"), headers(settings, "unit:demo-unit")
        named = client.post("/v1/complaints", json=COMPLAINT, headers=operator).json()["ticket_id"]
        anonymous = client.post(
            "/v1/complaints", json=COMPLAINT | {"anonymous": True}, headers=operator
        ).json()["ticket_id"]
        before = client.get(f"/v1/complaints/{named}/contact", headers=unit)
        await assign(settings, named, "demo-unit")
        await assign(settings, anonymous, "demo-unit")
        await eventually(
            lambda: client.get(f"/v1/complaints/{anonymous}", headers=unit).status_code == 200
        )
        await eventually(
            lambda: client.get(f"/v1/complaints/{named}", headers=unit).status_code == 200
        )
        after = client.get(f"/v1/complaints/{named}/contact", headers=unit)
        hidden = client.get(f"/v1/complaints/{anonymous}/contact", headers=unit)
        partner = client.get(
            f"/v1/complaints/{named}/contact", headers=headers(settings, "partner")
        )

    assert before.status_code == 403
    assert after.status_code == 200 and after.json()["contact"]["phone"] == PHONE
    assert hidden.status_code == 403
    assert partner.status_code == 403


async def test_after_forget_the_citizens_personal_fields_cannot_be_read_back(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    with intake_client(settings) as client:
        operator = headers(settings, "operator")
        first = client.post("/v1/complaints", json=COMPLAINT, headers=operator).json()["ticket_id"]
        second = client.post("/v1/complaints", json=COMPLAINT, headers=operator).json()["ticket_id"]
        [received] = await eventually(lambda: published(settings, first, "ComplaintReceived"))
        assert client.get(f"/v1/complaints/{first}/contact", headers=operator).status_code == 200

        for name, value in settings.to_environ().items():
            monkeypatch.setenv(name, value)
        assert hotline_main(["privacy", "forget", received.citizen_ref]) == 0

        gone = [
            client.get(f"/v1/complaints/{t}/contact", headers=operator) for t in (first, second)
        ]
    assert [response.status_code for response in gone] == [410, 410]
    assert hotline_main(["privacy", "forget", received.citizen_ref]) == 1
    keyring, _, _ = load_keyring(settings.data_dir, {})
    assert isinstance(received, ComplaintReceived) and received.contact is not None
    with pytest.raises(SealingError):
        keyring.open(received.contact.model_dump(), f"contact:{first}".encode())
