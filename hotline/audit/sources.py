"""Where the audit reads integration events from: the services' stores, or the topics.

From the stores, each service's stored events are translated with the service's own
translator — exactly what its relay publishes — so the stores are the authority even
when the broker has lost everything. From the topics, every message of the five
topics is read from the beginning without a consumer group (nothing is committed).
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Iterable, Iterator
from uuid import UUID

import structlog
from aiokafka import AIOKafkaConsumer, TopicPartition

from contracts import ContractError, IntegrationEvent, parse_event
from hotline.audit.stores import opened, read_log, service_spec
from hotline.runtime.kafka import start_with_retry
from hotline.settings import SERVICE_NAMES, Settings

log = structlog.get_logger(__name__)
TOPIC_READ_SECONDS = 30.0


def events_from_stores(
    settings: Settings, ticket_id: UUID | None = None, services: Iterable[str] = SERVICE_NAMES
) -> list[IntegrationEvent]:
    """Every integration event the services' logs hold (for one ticket, if given)."""
    found: list[IntegrationEvent] = []
    for service in services:
        found += [
            event
            for event in _translated(settings, service)
            if ticket_id is None or event.ticket_id == ticket_id
        ]
    return found


def _translated(settings: Settings, service: str) -> Iterator[IntegrationEvent]:
    translate = service_spec(service).translate
    with opened(settings, service) as application:
        for notification in read_log(application):
            event = translate(application.mapper.to_domain_event(notification), notification.id)
            if event is not None:
                yield event


async def events_from_topics(
    settings: Settings, ticket_id: UUID | None = None, services: Iterable[str] = SERVICE_NAMES
) -> list[IntegrationEvent]:
    """Every event on the services' topics (for one ticket, if given), repeats dropped."""
    seen: dict[UUID, IntegrationEvent] = {}
    for service in services:
        for event in await _read_topic(settings, settings.topic(service)):
            if ticket_id is None or event.ticket_id == ticket_id:
                seen.setdefault(event.event_id, event)
    return list(seen.values())


async def _read_topic(settings: Settings, topic: str) -> list[IntegrationEvent]:
    """One topic from the beginning to its current end, with a consumer of its own."""
    consumer = AIOKafkaConsumer(
        bootstrap_servers=settings.bootstrap_servers(), enable_auto_commit=False
    )
    await start_with_retry(consumer, within=30.0)
    try:
        return [event async for event in _topic_events(consumer, topic)]
    finally:
        await consumer.stop()


async def _topic_events(consumer: AIOKafkaConsumer, topic: str) -> AsyncIterator[IntegrationEvent]:
    await consumer.topics()
    partitions = [TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic) or ()]
    if not partitions:
        return
    consumer.assign(partitions)
    await consumer.seek_to_beginning(*partitions)
    ends = await consumer.end_offsets(partitions)
    deadline = time.monotonic() + TOPIC_READ_SECONDS
    while time.monotonic() < deadline:
        positions = [await consumer.position(tp) for tp in partitions]
        if all(position >= ends[tp] for position, tp in zip(positions, partitions, strict=True)):
            return
        batch = await consumer.getmany(timeout_ms=200)
        for records in batch.values():
            for record in records:
                try:
                    yield parse_event(record.value or b"")
                except ContractError as error:
                    log.warning("audit.unreadable_message", topic=topic, error=str(error))
    log.warning("audit.topic_read_timeout", topic=topic)
