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
        "consumer_session_timeout_ms": 2000 if not broker.idempotence else 6000,
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


class TcpProxy:
    """A cuttable TCP link to a real server, to take a dependency away and bring it back."""

    def __init__(self, target_port: int, listen_port: int | None = None) -> None:
        self.target_port = target_port
        self.port = listen_port or free_port()
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()
        self._loop = asyncio.new_event_loop()
        import threading

        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._thread.start()

    def start(self) -> None:
        asyncio.run_coroutine_threadsafe(self._start(), self._loop).result(5)

    def cut(self) -> None:
        """Stop listening and drop every open connection."""
        asyncio.run_coroutine_threadsafe(self._cut(), self._loop).result(5)

    def close(self) -> None:
        self.cut()
        self._loop.call_soon_threadsafe(self._loop.stop)

    async def _start(self) -> None:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", self.port)

    async def _cut(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None
        for writer in list(self._writers):
            writer.close()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.target_port)
        except OSError:
            writer.close()
            return
        self._writers |= {writer, up_writer}

        async def pipe(src: asyncio.StreamReader, dst: asyncio.StreamWriter) -> None:
            try:
                while data := await src.read(65536):
                    dst.write(data)
                    await dst.drain()
            except (ConnectionError, OSError):
                pass
            finally:
                dst.close()

        await asyncio.gather(pipe(reader, up_writer), pipe(up_reader, writer))
        self._writers -= {writer, up_writer}


async def publish_events(settings: Settings, *events: Any) -> None:
    """Put contract events on their source's topic, keyed and with headers as a relay would."""
    from contracts import serialize_event
    from hotline.runtime.kafka import make_producer
    from hotline.runtime.relay import message_headers

    producer = make_producer(settings)
    await start_with_retry(producer, within=30.0)
    try:
        for event in events:
            await producer.send_and_wait(
                settings.topic(event.source),
                value=serialize_event(event),
                key=str(event.ticket_id).encode(),
                headers=message_headers(event),
            )
    finally:
        await producer.stop()
