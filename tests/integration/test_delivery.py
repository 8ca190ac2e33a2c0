"""Delivery guarantees, against the real broker and each store (SQLite, PostgreSQL).

How we know nothing was lost or doubled: the count of dispatches in routing's store
equals the number of complaints, each dispatch has exactly one `Assigned`, and the
inbox recorded each upstream position once — even when the topic carries duplicates.
"""

from __future__ import annotations

import asyncio
from uuid import UUID

import pytest

from contracts import serialize_event
from hotline.runtime.kafka import make_producer
from hotline.runtime.relay import OutboxRelay, message_headers
from hotline.runtime.sealing import KeyRing
from hotline.runtime.store import prepare_store, store_environment
from hotline.settings import Settings
from services.intake.application import IntakeApplication
from services.intake.translation import to_contract as intake_contract
from services.routing.domain import Dispatch

from support import complaint_command, eventually, read_topic, running


def record_complaints_without_publishing(settings: Settings, count: int) -> list[UUID]:
    """The state a crash leaves between recording events and publishing them."""
    prepare_store(settings, "intake")
    app = IntakeApplication(store_environment(settings, "intake"))
    keyring = KeyRing.generate()
    ids = [app.receive_complaint(complaint_command(n), keyring) for n in range(count)]
    app.close()
    return ids


def assignments(routing_app: object, ticket_ids: list[UUID]) -> list[int]:
    """How many `Assigned` events routing recorded for each ticket."""
    counts = []
    for ticket_id in ticket_ids:
        history = routing_app.history(ticket_id)  # type: ignore[attr-defined]
        counts.append(sum(isinstance(e, Dispatch.Assigned) for e in history))
    return counts


async def test_events_recorded_before_a_crash_are_published_when_the_relay_resumes(
    settings: Settings,
) -> None:
    ticket_ids = record_complaints_without_publishing(settings, 5)

    async with running(settings, "intake", "routing") as services:
        routing = services["routing"].application
        await eventually(lambda: assignments(routing, ticket_ids) == [1] * 5)

    records = await read_topic(settings, settings.topic("intake"))
    assert sorted(int(dict(r.headers)["position"]) for r in records) == [1, 2, 3, 4, 5]


async def test_a_crash_after_publishing_but_before_recording_progress_doubles_nothing(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    ticket_ids = record_complaints_without_publishing(settings, 4)
    app = IntakeApplication(store_environment(settings, "intake"))
    producer = make_producer(settings)
    await producer.start()
    relay = OutboxRelay(app, producer, settings, settings.topic("intake"), intake_contract)

    def crash(topic: str, position: int) -> None:
        raise RuntimeError("process died before recording relay progress")

    monkeypatch.setattr(app, "record_relay_position", crash)
    with pytest.raises(RuntimeError):
        await relay.publish_pending()
    await producer.stop()
    app.close()

    async with running(settings, "intake", "routing") as services:
        routing = services["routing"]
        await eventually(lambda: assignments(routing.application, ticket_ids) == [1] * 4)
        assert routing.consumer is not None
        await eventually(lambda: routing.consumer.stats.duplicates == 4)

    positions = [
        int(dict(r.headers)["position"])
        for r in await read_topic(settings, settings.topic("intake"))
    ]
    assert sorted(positions) == [1, 1, 2, 2, 3, 3, 4, 4]


async def test_a_redelivered_message_changes_nothing(settings: Settings) -> None:
    [ticket_id] = record_complaints_without_publishing(settings, 1)

    async with running(settings, "intake", "routing") as services:
        routing = services["routing"]
        await eventually(lambda: assignments(routing.application, [ticket_id]) == [1])
        stored_before = routing.application.max_position()

        intake = services["intake"].application
        [event] = [
            contract
            for n in intake.notifications_after(0, 100)
            if (contract := intake_contract(intake.mapper.to_domain_event(n), n.id)) is not None
            and contract.event_type == "ComplaintReceived"
        ]
        for _ in range(3):
            await services["intake"].producer.send_and_wait(
                settings.topic("intake"),
                value=serialize_event(event),
                key=str(event.ticket_id).encode(),
                headers=message_headers(event),
            )
        assert routing.consumer is not None
        await eventually(lambda: routing.consumer.stats.duplicates == 3)
        await asyncio.sleep(0.2)
        assert routing.application.max_position() == stored_before
        assert assignments(routing.application, [ticket_id]) == [1]
