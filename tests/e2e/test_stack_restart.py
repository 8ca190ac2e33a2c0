"""The whole platform as `hotline up` runs it: five processes and the embedded broker.

Story: complaints come in over HTTP and flow to every service. The stack is stopped
with SIGTERM (every service exits 0) — which also throws the in-memory broker away —
and started again on an empty broker. More complaints come in. Then, reading each
service's own store directly, every ticket is there exactly once in every service:
nothing lost, nothing doubled.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any
from uuid import UUID

import httpx
import pytest

from hotline.runtime.store import store_environment
from hotline.settings import SERVICE_NAMES, Settings
from hotline.stack import Stack
from services.feedback.application import FeedbackApplication
from services.publication.application import PublicationApplication
from services.routing.application import RoutingApplication
from services.sla.application import SlaApplication

from support import Broker, drop_schemas, free_port, make_settings

pytestmark = pytest.mark.timeout(600)


def free_port_range(size: int) -> int:
    for _ in range(50):
        base = free_port()
        if base + size < 65000 and all(_is_free(base + i) for i in range(size)):
            return base
    raise RuntimeError("no free port range")


def _is_free(port: int) -> bool:
    import socket

    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) != 0


@pytest.fixture
def stack_settings(backend: str, tmp_path: Path) -> Any:
    placeholder = Broker("unused:0", idempotence=False)
    settings = make_settings(
        backend,
        tmp_path / "var",
        placeholder,
        kafka_bootstrap_servers=None,
        kafka_idempotence=None,
        embedded_broker_port=free_port(),
        http_port_base=free_port_range(len(SERVICE_NAMES)),
    )
    yield settings
    drop_schemas(settings)


def operator_key(settings: Settings) -> str:
    keys = json.loads((settings.data_dir / "credentials.json").read_text())["keys"]
    return str(next(k["key"] for k in keys if k["role"] == "operator"))


def submit(stack: Stack, key: str, count: int, start: int) -> list[UUID]:
    ids = []
    with httpx.Client(base_url=stack.url("intake"), headers={"X-API-Key": key}) as client:
        for n in range(start, start + count):
            response = client.post(
                "/v1/complaints",
                json={
                    "channel": "wechat",
                    "description": f"第{n}号：井盖破损",
                    "district": "龙华区",
                },
            )
            assert response.status_code == 201, response.text
            ids.append(UUID(response.json()["ticket_id"]))
    return ids


def wait_until_everywhere(stack: Stack, key: str, ticket_ids: list[UUID]) -> None:
    """Poll the last service in the chain (sla, after routing) and feedback/publication."""
    import time

    deadline = time.monotonic() + 60
    pending = set(ticket_ids)
    with httpx.Client(headers={"X-API-Key": key}) as client:
        while pending and time.monotonic() < deadline:
            for ticket_id in list(pending):
                done = all(
                    _has_events(client, stack.url(service), ticket_id, minimum)
                    for service, minimum in (("sla", 1), ("feedback", 3), ("publication", 3))
                )
                if done:
                    pending.discard(ticket_id)
            time.sleep(0.2)
    assert not pending, f"{len(pending)} tickets did not reach every service"


def _has_events(client: httpx.Client, url: str, ticket_id: UUID, minimum: int) -> bool:
    response = client.get(f"{url}/v1/tickets/{ticket_id}/timeline")
    return response.status_code == 200 and len(response.json()["events"]) >= minimum


def event_counts(settings: Settings, app_class: type, ticket_id: UUID) -> Counter[str]:
    app = app_class(store_environment(settings, app_class.name))
    try:
        return Counter(type(e).__name__ for e in app.history(ticket_id))
    finally:
        app.close()


def test_restart_on_an_empty_broker_loses_and_doubles_nothing(stack_settings: Settings) -> None:
    stack = Stack(stack_settings, environ={})
    stack.start()
    try:
        key = operator_key(stack_settings)
        first = submit(stack, key, count=10, start=1)
        wait_until_everywhere(stack, key, first)
    finally:
        codes = stack.stop()
    assert codes == dict.fromkeys(SERVICE_NAMES, 0), "SIGTERM must end every service cleanly"

    stack.start()  # a new embedded broker: every topic is empty
    try:
        second = submit(stack, key, count=5, start=11)
        wait_until_everywhere(stack, key, first + second)
    finally:
        codes = stack.stop()
    assert codes == dict.fromkeys(SERVICE_NAMES, 0)

    for ticket_id in first + second:
        assert event_counts(stack_settings, RoutingApplication, ticket_id) == Counter(
            {"Registered": 1, "Assigned": 1}
        )
        assert event_counts(stack_settings, SlaApplication, ticket_id) == Counter({"Started": 1})
        assert event_counts(stack_settings, FeedbackApplication, ticket_id) == Counter(
            {"Opened": 1, "CitizenNoted": 1, "HandlingUnitNoted": 1}
        )
        assert event_counts(stack_settings, PublicationApplication, ticket_id) == Counter(
            {"Started": 1, "ComplaintNoted": 1, "ResponsibleUnitNoted": 1}
        )
