"""/readyz follows the broker and the database; /metrics counts what the runtime does."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from hotline.cli import load_spec
from hotline.runtime.embedded_broker import EmbeddedBroker
from hotline.runtime.host import ServiceSpec, create_app
from hotline.settings import Settings

from support import Broker, TcpProxy, drop_schemas, free_port, make_settings


def routing_client(settings: Settings) -> TestClient:
    spec = load_spec("routing")
    assert isinstance(spec, ServiceSpec)
    return TestClient(create_app(spec, settings))


def wait_for_status(client: TestClient, status: int, within: float = 45.0) -> dict[str, object]:
    deadline = time.monotonic() + within
    body: dict[str, object] = {}
    while time.monotonic() < deadline:
        response = client.get("/readyz")
        body = response.json()
        if response.status_code == status:
            return body
        time.sleep(0.3)
    raise AssertionError(f"/readyz never answered {status}; last: {body}")


@pytest.fixture
def own_broker(tmp_path: Path) -> Iterator[EmbeddedBroker]:
    broker = EmbeddedBroker("127.0.0.1", free_port(), log_file=tmp_path / "broker.log")
    broker.start()
    yield broker
    broker.stop()


def test_readyz_is_unready_while_the_broker_is_down_and_ready_when_it_returns(
    tmp_path: Path, own_broker: EmbeddedBroker
) -> None:
    settings = make_settings(
        "sqlite", tmp_path / "var", Broker(own_broker.bootstrap_servers, idempotence=False)
    )
    with routing_client(settings) as client:
        wait_for_status(client, 200)

        own_broker.stop()
        body = wait_for_status(client, 503)
        assert any("broker unreachable" in str(p) for p in body["problems"])  # type: ignore[attr-defined]

        own_broker.start()
        wait_for_status(client, 200)


def test_readyz_is_unready_while_the_database_is_unreachable_and_ready_when_it_returns(
    tmp_path: Path, broker: Broker, postgres_available: None
) -> None:
    proxy = TcpProxy(target_port=5432)
    proxy.start()
    settings = make_settings("postgres", tmp_path / "var", broker, postgres_port=proxy.port)
    try:
        with routing_client(settings) as client:
            wait_for_status(client, 200)

            proxy.cut()
            body = wait_for_status(client, 503)
            assert any("store unreachable" in str(p) for p in body["problems"])  # type: ignore[attr-defined]

            proxy.start()
            wait_for_status(client, 200)
    finally:
        proxy.close()
        drop_schemas(settings.model_copy(update={"postgres_port": 5432}))


def test_metrics_count_handled_events_and_publishing(settings: Settings) -> None:
    """Counters are process-wide (other tests count too), so this compares before and after."""
    import asyncio

    from hotline.runtime.metrics import configure_metrics, scrape

    from support import complaint_command, eventually, running

    configure_metrics("tests")
    before = scrape()[0].decode()

    async def route_one() -> None:
        async with running(settings, "intake", "routing") as services:
            intake = services["intake"]
            intake.application.receive_complaint(complaint_command(1), intake.keyring)
            consumer = services["routing"].consumer
            assert consumer is not None
            await eventually(lambda: consumer.stats.processed >= 1)

    asyncio.run(route_one())
    with routing_client(settings) as client:
        after = client.get("/metrics").text

    processed = {"service": "routing", "source": "intake"}
    routing_topic = {"topic": settings.topic("routing")}
    assert (
        sample(after, "hotline_events_processed_total", **processed)
        - sample(before, "hotline_events_processed_total", **processed)
        == 1
    )
    assert sample(after, "hotline_events_published_total", **routing_topic) >= 1
    assert sample(after, "hotline_relay_backlog", **routing_topic) == 0
    assert sample(after, "hotline_event_age_seconds_count", service="routing") > sample(
        before, "hotline_event_age_seconds_count", service="routing"
    )


def sample(text: str, name: str, **labels: str) -> float:
    """The sum of the Prometheus samples with this name carrying these labels (0 if none)."""
    wanted = [f'{key}="{value}"' for key, value in labels.items()]
    return sum(
        float(line.rsplit(" ", 1)[1])
        for line in text.splitlines()
        if line.startswith(name + "{") and all(label in line for label in wanted)
    )
