"""Test helpers for routing's integration stories: upstream events onto the real broker."""

from __future__ import annotations

import asyncio
import csv
import json
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from fastapi.testclient import TestClient

from contracts import IntegrationEvent, parse_event
from hotline.runtime.host import create_app
from hotline.runtime.kafka import ensure_topics
from hotline.settings import Settings
from services.routing.classifier import save, train
from services.routing.main import SPEC

from support import publish_events, read_topic

HAIKOU = Path(__file__).parents[3] / "shared" / "data" / "haikou12345" / "work_orders_train.csv"
KEYS = {
    "operator": "k-operator-000000000001",
    "hotline_centre": "k-centre-00000000000001",
    "unit:u-5ef5ba24": "k-meilan-lights-000001",
    "unit:u-f3ff18fc": "k-traffic-police-00001",
}


def headers(role: str) -> dict[str, str]:
    return {"X-API-Key": KEYS[role]}


def train_small_model(settings: Settings, rows: int = 600) -> None:
    with HAIKOU.open(encoding="utf-8", newline="") as handle:
        data = list(csv.DictReader(handle))[:rows]
    model = train(
        [r["text"] for r in data],
        [r["department"] for r in data],
        None,
        datetime(2026, 10, 1, tzinfo=UTC),
    )
    save(model, settings.data_dir / "routing" / "models")


@contextmanager
def routing_service(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    monkeypatch.setenv("HOTLINE_API_KEYS", json.dumps({key: role for role, key in KEYS.items()}))
    monkeypatch.setenv("HOTLINE_DATA_DIR", str(settings.data_dir))
    with TestClient(create_app(SPEC, settings)) as client:
        yield client


def publish(settings: Settings, *events: IntegrationEvent) -> None:
    async def send() -> None:
        topics = sorted({settings.topic(event.source) for event in events})
        await ensure_topics(settings, topics, replication_factor=1)
        await publish_events(settings, *events)

    asyncio.run(send())


def wait_for(condition: Callable[[], Any], within: float = 30.0) -> Any:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"condition not met within {within}s")


def dispatch_of(client: TestClient, ticket_id: UUID) -> dict[str, Any]:
    response = client.get(f"/v1/tickets/{ticket_id}/dispatch", headers=headers("operator"))
    return response.json() if response.status_code == 200 else {}


def routing_events(settings: Settings, ticket_id: UUID) -> list[IntegrationEvent]:
    records = asyncio.run(read_topic(settings, settings.topic("routing")))
    events = [parse_event(record.value) for record in records if record.value]
    return sorted((e for e in events if e.ticket_id == ticket_id), key=lambda e: e.position)


def published_types(settings: Settings, ticket_id: UUID, count: int) -> list[str]:
    """Waits until routing's topic holds `count` events of the ticket; their types in order."""
    found = wait_for(
        lambda: (lambda e: e if len(e) >= count else None)(routing_events(settings, ticket_id))
    )
    return [event.event_type for event in found]


_position = iter(range(1, 1_000_000))


def upstream(cls: type[IntegrationEvent], ticket_id: UUID, **fields: Any) -> IntegrationEvent:
    """An upstream event with a fresh position in its source's log."""
    from contracts import event_id_for

    position = next(_position)
    source = cls.declared_source()
    return cls(
        event_id=event_id_for(source, ticket_id, position),
        ticket_id=ticket_id,
        occurred_at=datetime(2026, 9, 30, 2, 0, tzinfo=UTC),
        position=position,
        **fields,
    )
