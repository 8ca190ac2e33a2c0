"""Outbox relay: publishes a service's stored events to its Kafka topic.

Events are first recorded in the service's own store (one transaction with whatever
caused them). This relay reads the store's notification log in order, translates each
stored event into its integration contract, publishes it keyed by ticket id, waits for
the broker's acknowledgements of the whole batch, and only then records how far it got.
A crash anywhere in between means some events are published again — never lost —
and consumers recognise the repeats by (source, position).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from typing import Any

import structlog
from aiokafka import AIOKafkaProducer
from opentelemetry.trace import SpanKind

from contracts import IntegrationEvent, serialize_event
from hotline.runtime.kafka import last_published_position
from hotline.runtime.metrics import runtime_instruments
from hotline.runtime.store import ServiceApplication
from hotline.runtime.tracing import context_from_carrier, kafka_headers_from_context, tracer
from hotline.settings import Settings

Translator = Callable[[Any, int], IntegrationEvent | None]
log = structlog.get_logger(__name__)


def message_headers(event: IntegrationEvent) -> list[tuple[str, bytes]]:
    """Kafka headers a consumer can route and trace by without parsing the payload."""
    carrier = event.trace.model_dump(exclude_none=True)
    with tracer("hotline.relay").start_as_current_span(
        f"publish {event.event_type}", context=context_from_carrier(carrier), kind=SpanKind.PRODUCER
    ):
        trace_headers = kafka_headers_from_context()
    return [
        ("event_type", event.event_type.encode()),
        ("schema_version", str(event.schema_version).encode()),
        ("source", event.source.encode()),
        ("position", str(event.position).encode()),
        ("content-type", b"application/json"),
        *trace_headers,
    ]


class OutboxRelay:
    def __init__(
        self,
        app: ServiceApplication,
        producer: AIOKafkaProducer,
        settings: Settings,
        topic: str,
        translate: Translator,
    ) -> None:
        self._app = app
        self._producer = producer
        self._settings = settings
        self._topic = topic
        self._translate = translate
        self._wakeup = asyncio.Event()
        self._stopping = False
        self._task: asyncio.Task[None] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self.position = 0
        self.published = 0
        self._metrics = runtime_instruments()

    async def start(self) -> None:
        recorded = await asyncio.to_thread(self._app.relay_position, self._topic)
        on_broker = await last_published_position(self._settings, self._topic)
        self.position = min(recorded, on_broker)
        if self.position < recorded:
            log.warning(
                "relay.republishing",
                topic=self._topic,
                recorded=recorded,
                found_on_broker=on_broker,
            )
        self._loop = asyncio.get_running_loop()
        self._app.add_listener(self.wake)
        self._task = asyncio.create_task(self._run(), name=f"relay {self._topic}")

    def wake(self) -> None:
        """Thread-safe: called by the store after it records new events."""
        if self._loop is not None and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self._wakeup.set)

    async def backlog(self) -> int:
        return max(0, await asyncio.to_thread(self._app.max_position) - self.position)

    async def stop(self) -> None:
        """Stop the loop, then publish everything recorded so far."""
        self._stopping = True
        self._wakeup.set()
        if self._task is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        while await self.publish_pending():
            pass
        log.info("relay.flushed", topic=self._topic, position=self.position)

    async def _run(self) -> None:
        while not self._stopping:
            try:
                published = await self.publish_pending()
            except Exception:
                log.exception("relay.failed", topic=self._topic, position=self.position)
                await asyncio.sleep(1.0)
                continue
            if published:
                continue
            self._wakeup.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wakeup.wait(), self._settings.relay_poll_seconds)

    async def publish_pending(self) -> int:
        """Publish one batch of unpublished events; returns how many notifications it read."""
        notifications = await asyncio.to_thread(
            self._app.notifications_after, self.position, self._settings.relay_batch_size
        )
        if not notifications:
            return 0
        acknowledgements = []
        for notification in notifications:
            domain_event = self._app.mapper.to_domain_event(notification)
            event = self._translate(domain_event, notification.id)
            if event is None:
                continue
            acknowledgements.append(
                await self._producer.send(
                    self._topic,
                    value=serialize_event(event),
                    key=str(event.ticket_id).encode(),
                    headers=message_headers(event),
                )
            )
        await asyncio.gather(*acknowledgements)
        last = notifications[-1].id
        await asyncio.to_thread(self._app.record_relay_position, self._topic, last)
        self.published += len(acknowledgements)
        self.position = last
        self._metrics.published.add(len(acknowledgements), {"topic": self._topic})
        await self._update_backlog(full_batch=len(notifications) == self._settings.relay_batch_size)
        return len(notifications)

    async def _update_backlog(self, *, full_batch: bool) -> None:
        """After a short batch the log is drained; after a full one, ask the store."""
        backlog = await self.backlog() if full_batch else 0
        self._metrics.relay_backlog.set(backlog, topic=self._topic)
