"""Kafka plumbing shared by the relay, the consumers, `hotline up` and the benchmark."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterable, Sequence

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import KafkaConnectionError, TopicAlreadyExistsError

from hotline.settings import SERVICE_NAMES, Settings

Headers = Sequence[tuple[str, bytes]]


def header(headers: Headers | None, name: str) -> str | None:
    for key, value in headers or ():
        if key == name:
            return value.decode("utf-8", errors="replace")
    return None


def make_producer(settings: Settings, **overrides: object) -> AIOKafkaProducer:
    """A producer configured for this broker: idempotence only where the broker has it."""
    idempotent = settings.producer_idempotence()
    options: dict[str, object] = {
        "bootstrap_servers": settings.bootstrap_servers(),
        "enable_idempotence": idempotent,
        "acks": "all",
        "linger_ms": 5,
        "request_timeout_ms": 15000,
    }
    options.update(overrides)
    return AIOKafkaProducer(**options)


async def start_with_retry(
    client: AIOKafkaProducer | AIOKafkaConsumer | AIOKafkaAdminClient, within: float
) -> None:
    """Start a client, retrying while the broker is still coming up."""
    deadline = time.monotonic() + within
    while True:
        try:
            await client.start()
            return
        except KafkaConnectionError:
            if time.monotonic() > deadline:
                raise
            await asyncio.sleep(0.5)


EXTRA_STREAMS = ("public",)
"""Topics that are not a service's own: `hotline.public`, publication's masked stream."""


def all_topics(settings: Settings, services: Iterable[str] = SERVICE_NAMES) -> list[str]:
    topics: list[str] = []
    for service in services:
        topics += [settings.topic(service), settings.dead_letter_topic(service)]
    return topics + [settings.topic(stream) for stream in EXTRA_STREAMS]


async def ensure_topics(
    settings: Settings,
    topics: Sequence[str],
    *,
    replication_factor: int = 1,
    min_insync_replicas: int | None = None,
    within: float = 30.0,
) -> list[str]:
    """Create the topics that do not exist yet; returns the ones it created.

    Event topics keep their messages forever (retention -1): they are the record other
    services and auditors replay from.
    """
    config = {"retention.ms": "-1", "retention.bytes": "-1"}
    if min_insync_replicas is not None:
        config["min.insync.replicas"] = str(min_insync_replicas)
    admin = AIOKafkaAdminClient(bootstrap_servers=settings.bootstrap_servers())
    await start_with_retry(admin, within)
    created: list[str] = []
    try:
        existing = set(await admin.list_topics())
        for topic in topics:
            if topic in existing:
                continue
            new = NewTopic(
                name=topic,
                num_partitions=settings.topic_partitions,
                replication_factor=replication_factor,
                topic_configs=config,
            )
            try:
                await admin.create_topics([new])
                created.append(topic)
            except TopicAlreadyExistsError:
                pass
    finally:
        await admin.close()
    return created


async def last_published_position(settings: Settings, topic: str) -> int:
    """The highest `position` header found at the end of any partition of a topic.

    The relay compares this with its own recorded progress: a broker that lost its
    data (the embedded one keeps everything in memory) reports less, and the relay
    re-publishes from there; consumers skip what they already processed.
    """
    consumer = AIOKafkaConsumer(
        bootstrap_servers=settings.bootstrap_servers(), enable_auto_commit=False
    )
    await start_with_retry(consumer, within=30.0)
    try:
        await consumer.topics()
        partitions = consumer.partitions_for_topic(topic) or set()
        assigned = [TopicPartition(topic, p) for p in sorted(partitions)]
        if not assigned:
            return 0
        consumer.assign(assigned)
        ends = await consumer.end_offsets(assigned)
        best = 0
        for tp, end in ends.items():
            if end <= 0:
                continue
            consumer.seek(tp, end - 1)
            records = await consumer.getmany(tp, timeout_ms=5000)
            for record in records.get(tp, []):
                value = header(record.headers, "position")
                if value is not None and value.isdigit():
                    best = max(best, int(value))
        return best
    finally:
        await consumer.stop()
