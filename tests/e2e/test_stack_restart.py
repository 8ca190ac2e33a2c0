"""The whole platform as `hotline up` runs it: five processes and the embedded broker.

How these tests know nothing was lost or doubled, whatever each stage does with an
event: every position a service published (each stored event its translation sends
out) is recorded exactly once in the inbox of every service that consumes that
service — and a consumer records an upstream position in the same transaction as the
events handling it produced, so recorded once means handled once.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from uuid import UUID

import httpx
import pytest

from hotline.cli import load_spec
from hotline.runtime.host import ServiceSpec
from hotline.runtime.store import store_environment
from hotline.settings import SERVICE_NAMES, Settings
from hotline.stack import Stack

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


def spec_of(service: str) -> ServiceSpec:
    spec = load_spec(service)
    assert isinstance(spec, ServiceSpec)
    return spec


def published_positions(settings: Settings, service: str) -> set[int]:
    """Positions of the stored events a service sends to its own topic."""
    spec = spec_of(service)
    app = spec.application(store_environment(settings, service))
    try:
        notifications = app.notifications_after(0, 1_000_000)
        return {
            n.id
            for n in notifications
            if spec.translate(app.mapper.to_domain_event(n), n.id) is not None
        }
    finally:
        app.close()


def recorded_positions(settings: Settings, consumer: str, source: str) -> list[int]:
    app = spec_of(consumer).application(store_environment(settings, consumer))
    try:
        return app.processed_positions(source)
    finally:
        app.close()


def delivery_gaps(settings: Settings) -> dict[str, int]:
    """For each consumer←source pair, how many published positions it has not recorded."""
    gaps = {}
    for consumer in SERVICE_NAMES:
        for source in spec_of(consumer).upstream:
            missing = published_positions(settings, source) - set(
                recorded_positions(settings, consumer, source)
            )
            gaps[f"{consumer}<-{source}"] = len(missing)
    return gaps


def wait_until_delivered(settings: Settings, within: float = 90.0) -> None:
    import time

    deadline = time.monotonic() + within
    gaps = delivery_gaps(settings)
    while any(gaps.values()) and time.monotonic() < deadline:
        time.sleep(0.5)
        gaps = delivery_gaps(settings)
    assert not any(gaps.values()), f"not delivered: {gaps}"


def assert_each_published_position_recorded_exactly_once(settings: Settings) -> None:
    for consumer in SERVICE_NAMES:
        for source in spec_of(consumer).upstream:
            recorded = recorded_positions(settings, consumer, source)
            assert len(recorded) == len(set(recorded)), f"{consumer} recorded a repeat"
            assert set(recorded) == published_positions(settings, source), (consumer, source)


def test_sigterm_to_routing_under_load_loses_and_doubles_nothing(stack_settings: Settings) -> None:
    """Routing is stopped with SIGTERM and started again while complaints keep coming."""
    import threading

    stack = Stack(stack_settings, environ={})
    stack.start()
    try:
        key = operator_key(stack_settings)
        submitted: list[UUID] = []
        posting = threading.Thread(
            target=lambda: submitted.extend(submit(stack, key, count=150, start=1))
        )
        posting.start()
        while len(submitted) < 1 and posting.is_alive():
            threading.Event().wait(0.05)
        exit_code = stack.restart("routing")
        posting.join()
        wait_until_delivered(stack_settings)
    finally:
        codes = stack.stop()
    assert exit_code == 0, "routing must exit cleanly on SIGTERM"
    assert codes == dict.fromkeys(SERVICE_NAMES, 0)
    assert len(submitted) == 150
    assert len(published_positions(stack_settings, "intake")) >= 150
    assert_each_published_position_recorded_exactly_once(stack_settings)


def test_restart_on_an_empty_broker_loses_and_doubles_nothing(stack_settings: Settings) -> None:
    stack = Stack(stack_settings, environ={})
    stack.start()
    try:
        key = operator_key(stack_settings)
        submit(stack, key, count=10, start=1)
        wait_until_delivered(stack_settings)
    finally:
        codes = stack.stop()
    assert codes == dict.fromkeys(SERVICE_NAMES, 0), "SIGTERM must end every service cleanly"

    stack.start()  # a new embedded broker: every topic is empty
    try:
        submit(stack, key, count=5, start=11)
        wait_until_delivered(stack_settings)
    finally:
        codes = stack.stop()
    assert codes == dict.fromkeys(SERVICE_NAMES, 0)
    assert len(published_positions(stack_settings, "intake")) >= 15
    assert_each_published_position_recorded_exactly_once(stack_settings)
