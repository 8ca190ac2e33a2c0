"""Helpers for tests that run against a real broker and real databases."""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import uuid4

import psycopg
from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition
from psycopg import sql

from hotline.cli import load_spec
from hotline.runtime.host import RunningService, ServiceSpec, start_service, stop_service
from hotline.runtime.kafka import start_with_retry
from hotline.runtime.store import postgres_conninfo
from hotline.settings import SERVICE_NAMES, Settings


@dataclass(frozen=True)
class Broker:
    bootstrap_servers: str
    idempotence: bool


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def make_settings(backend: str, data_dir: Path, broker: Broker, **overrides: Any) -> Settings:
    """Settings isolated per test: own topics, own data dir, own PostgreSQL schemas."""
    prefix = "t" + uuid4().hex[:10]
    values: dict[str, Any] = {
        "data_dir": data_dir,
        "store": backend,
        "topic_prefix": prefix,
        "postgres_schema_prefix": prefix + "_",
        "postgres_dbname": "test",
        "kafka_bootstrap_servers": broker.bootstrap_servers,
        "kafka_idempotence": broker.idempotence,
        "relay_poll_seconds": 0.02,
        "log_format": "json",
    }
    values.update(overrides)
    return Settings(**values)


def drop_schemas(settings: Settings) -> None:
    if settings.store != "postgres":
        return
    with psycopg.connect(postgres_conninfo(settings), autocommit=True) as conn:
        for service in SERVICE_NAMES:
            conn.execute(
                sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(
                    sql.Identifier(settings.postgres_schema(service))
                )
            )


async def eventually(
    condition: Callable[[], Any], within: float = 30.0, interval: float = 0.05
) -> Any:
    """Wait until `condition()` (sync, run in a thread) returns something truthy."""
    deadline = time.monotonic() + within
    last: Any = None
    while time.monotonic() < deadline:
        last = await asyncio.to_thread(condition)
        if last:
            return last
        await asyncio.sleep(interval)
    raise AssertionError(f"condition not met within {within}s (last value: {last!r})")


async def read_topic(settings: Settings, topic: str, within: float = 5.0) -> list[ConsumerRecord]:  # type: ignore[type-arg]
    """Every record currently on a topic, from the beginning, without a consumer group."""
    consumer = AIOKafkaConsumer(
        bootstrap_servers=settings.bootstrap_servers(), enable_auto_commit=False
    )
    await start_with_retry(consumer, within=30.0)
    try:
        await consumer.topics()
        partitions = [
            TopicPartition(topic, p) for p in sorted(consumer.partitions_for_topic(topic) or ())
        ]
        if not partitions:
            return []
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        ends = await consumer.end_offsets(partitions)
        records: list[ConsumerRecord] = []  # type: ignore[type-arg]
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            positions = {tp: await consumer.position(tp) for tp in partitions}
            if all(positions[tp] >= ends[tp] for tp in partitions):
                break
            batch = await consumer.getmany(timeout_ms=200)
            for part in batch.values():
                records.extend(part)
        return records
    finally:
        await consumer.stop()


def complaint_command(number: int) -> Any:
    from services.intake.application import Contact, ReceiveComplaint

    return ReceiveComplaint(
        channel="phone",
        description=f"第{number}号投诉：小区门口路灯不亮",
        district="美兰区",
        contact=Contact(name="张三", phone=f"1380000{number:04d}"),
    )


@asynccontextmanager
async def running(settings: Settings, *names: str) -> AsyncIterator[dict[str, RunningService]]:
    """Start the named services (store, relay, consumer; no HTTP) and stop them after."""
    started: dict[str, RunningService] = {}
    try:
        for name in names:
            spec = load_spec(name)
            assert isinstance(spec, ServiceSpec)
            started[name] = await start_service(spec, settings)
        yield started
    finally:
        for service in reversed(started.values()):
            await stop_service(service)
