"""Poison messages go to the dead-letter topic with their error; later messages still flow."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any
from uuid import UUID

import pytest

from hotline.runtime.kafka import make_producer
from hotline.runtime.sealing import KeyRing
from hotline.settings import Settings
from services.routing.domain import Dispatch

from support import complaint_command, eventually, read_topic, running


def routed(app: Any, ticket_id: UUID) -> bool:
    return any(isinstance(e, Dispatch.Assigned) for e in app.history(ticket_id))


async def test_unreadable_messages_are_dead_lettered_and_later_ones_processed(
    settings: Settings,
) -> None:
    unknown_type = {"event_type": "ComplaintTeleported", "schema_version": 1}
    async with running(settings, "intake", "routing") as services:
        producer = make_producer(settings)
        await producer.start()
        for value in (b"\xff not json", json.dumps(unknown_type).encode()):
            await producer.send_and_wait(settings.topic("intake"), value=value, key=b"k")
        await producer.stop()

        intake = services["intake"]
        ticket_id = intake.application.receive_complaint(complaint_command(1), intake.keyring)
        await eventually(lambda: routed(services["routing"].application, ticket_id))

        letters = await dead_letters(settings, expected=2)

    errors = sorted(dict(letter.headers)["error"].decode() for letter in letters)
    assert errors[0].startswith("InvalidEvent")
    assert errors[1].startswith("UnknownEventType")
    assert {dict(letter.headers)["original_topic"].decode() for letter in letters} == {
        settings.topic("intake")
    }
    assert {letter.value for letter in letters} == {
        b"\xff not json",
        json.dumps(unknown_type).encode(),
    }


async def test_a_handler_that_keeps_failing_is_dead_lettered_after_retries(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with running(settings, "intake", "routing") as services:
        routing = services["routing"].application
        intake = services["intake"]
        keyring: KeyRing = intake.keyring
        original = routing.process_event
        poisoned: set[UUID] = set()

        def fail_for_poisoned(event: Any, tracking: Any) -> None:
            if event.ticket_id in poisoned:
                raise ValueError("the unit catalogue is broken for this ticket")
            original(event, tracking)

        monkeypatch.setattr(routing, "process_event", fail_for_poisoned)
        bad = intake.application.receive_complaint(complaint_command(1), keyring)
        poisoned.add(bad)
        good = intake.application.receive_complaint(complaint_command(2), keyring)

        await eventually(lambda: routed(routing, good))
        [letter] = await dead_letters(settings, expected=1)
        assert not routed(routing, bad)
        assert not routing.has_processed("intake", 1)

    error = dict(letter.headers)["error"].decode()
    assert error.startswith(f"HandlerFailed after {settings.handler_attempts} attempts")
    assert "unit catalogue is broken" in error


async def dead_letters(settings: Settings, expected: int) -> list[Any]:
    """Wait for `expected` records on routing's dead-letter topic, and no more."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        letters = await read_topic(settings, settings.dead_letter_topic("routing"))
        if len(letters) >= expected:
            assert len(letters) == expected
            return letters
        await asyncio.sleep(0.2)
    raise AssertionError(f"expected {expected} dead letters")
