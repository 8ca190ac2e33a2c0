"""Broker helpers for publication's integration and browser tests."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar
from uuid import UUID

from unit.publication.publication_story import STAFF_KEYS

from contracts import IntegrationEvent, parse_event
from hotline.settings import Settings

from support import publish_events, read_topic

STAFF_KEYS_JSON = json.dumps(STAFF_KEYS)
T = TypeVar("T")


def produce(settings: Settings, *events: IntegrationEvent) -> None:
    """Put upstream events on their source's topic, as that service's relay would."""
    run_apart(publish_events(settings, *events))


def topic_events(settings: Settings, suffix: str, ticket_id: UUID) -> list[IntegrationEvent]:
    """The ticket's events on `<prefix>.<suffix>`, in the log's order."""
    records = run_apart(read_topic(settings, settings.topic(suffix)))
    events = [parse_event(record.value or b"") for record in records]
    return sorted((e for e in events if e.ticket_id == ticket_id), key=lambda e: e.position)


def run_apart(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine on its own loop in another thread.

    Why: Playwright's sync API keeps a loop running in the test's thread, where
    `asyncio.run` refuses to start.
    """
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def wait_until(condition: Callable[[], Any], within: float = 30.0) -> Any:
    deadline = time.monotonic() + within
    last: Any = None
    while time.monotonic() < deadline:
        last = condition()
        if last:
            return last
        time.sleep(0.1)
    raise AssertionError(f"not within {within}s; last value: {last!r}")
