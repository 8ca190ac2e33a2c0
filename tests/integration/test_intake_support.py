"""Helpers for intake's integration tests (no tests here): the app, keys, the topic."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from fastapi.testclient import TestClient

from contracts import IntegrationEvent, parse_event
from hotline.runtime.host import create_app
from hotline.settings import Settings
from services.intake.main import SPEC

from support import read_topic

CATALOGUE = {
    "version": "test-1",
    "services": [
        {
            "service_code": "streetlight",
            "service_name": "路灯故障",
            "description": "路灯不亮、闪烁",
            "group": "市政设施",
            "keywords": ["路灯", "不亮"],
        },
        {
            "service_code": "manhole",
            "service_name": "井盖破损",
            "description": "井盖缺失或破损",
            "group": "市政设施",
            "keywords": ["井盖"],
        },
    ],
}


@contextmanager
def intake_client(settings: Settings) -> Iterator[TestClient]:
    """Intake's real app (store, relay, consumer, worker) behind a TestClient."""
    with TestClient(create_app(SPEC, settings), raise_server_exceptions=False) as client:
        yield client


def api_key(settings: Settings, role: str) -> str:
    keys = json.loads((settings.data_dir / "credentials.json").read_text())["keys"]
    return str(next(item["key"] for item in keys if item["role"] == role))


def headers(settings: Settings, role: str) -> dict[str, str]:
    return {"X-API-Key": api_key(settings, role)}


def publish_catalogue(settings: Settings) -> None:
    folder = settings.data_dir / "published"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "service-catalogue.json").write_text(json.dumps(CATALOGUE, ensure_ascii=False))


async def intake_events(settings: Settings) -> list[IntegrationEvent]:
    records = await read_topic(settings, settings.topic("intake"))
    return [parse_event(record.value) for record in records]


async def events_of(settings: Settings, ticket_id: str, event_type: str) -> list[Any]:
    return [
        event
        for event in await intake_events(settings)
        if str(event.ticket_id) == ticket_id and event.event_type == event_type
    ]
