"""Inbox consumer: applies upstream events to a service's store exactly once in effect.

Delivery is at least once: a message may come again after a crash, a rebalance, or a
relay that re-published into an emptied broker. Each message is handled in one store
transaction that also records its upstream (source, position); a message whose
(source, position) is already recorded is skipped. Kafka offsets are committed only
after the batch's transactions, and never relied on for deduplication.

A message that cannot be parsed, is of an unknown type, claims the wrong source, or
whose handler keeps failing goes to the service's dead-letter topic with the error, and
consumption carries on.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast

import structlog
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRecord, TopicPartition
from aiokafka.errors import CommitFailedError, KafkaError
from eventsourcing.persistence import IntegrityError, Tracking
from opentelemetry.trace import SpanKind

from contracts import ContractError, IntegrationEvent, parse_event
from hotline.runtime.kafka import start_with_retry
from hotline.runtime.metrics import runtime_instruments
from hotline.runtime.store import ServiceApplication
from hotline.runtime.tracing import context_from_kafka_headers, tracer
from hotline.settings import Settings

log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class DeadLetter:
    record: ConsumerRecord[bytes, bytes]
    error: str


@dataclass
class InboxStats:
    processed: int = 0
    duplicates: int = 0
    dead_lettered: int = 0


class InboxConsumer:
    def __init__(
        self,
        app: ServiceApplication,
        settings: Settings,
        service: str,
        upstream: Sequence[str],
        producer: AIOKafkaProducer,
    ) -> None:
        self._app = app
        self._settings = settings
        self._service = service
        self._topics = {settings.topic(name): name for name in upstream}
        self._producer = producer
        self._dead_letter_topic = settings.dead_letter_topic(service)
        self._stopping = False
        self._task: asyncio.Task[None] | None = None
        self._consumer: AIOKafkaConsumer | None = None
        self.stats = InboxStats()
        self._metrics = runtime_instruments()

    @property
    def group_id(self) -> str:
        return f"{self._settings.topic_prefix}-{self._service}"

    async def start(self) -> None:
        self._consumer = AIOKafkaConsumer(
            *self._topics,
            bootstrap_servers=self._settings.bootstrap_servers(),
            group_id=self.group_id,
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            max_poll_records=self._settings.consumer_batch_size,
            session_timeout_ms=self._settings.session_timeout_ms(),
            heartbeat_interval_ms=max(100, self._settings.session_timeout_ms() // 4),
        )
        await start_with_retry(self._consumer, within=60.0)
        self._task = asyncio.create_task(self._run(), name=f"inbox {self._service}")

    def is_consuming(self) -> bool:
        return self._task is not None and not self._task.done()

    def has_joined_group(self) -> bool:
        """Member of its consumer group, whether or not it was given a partition.

        A replica beyond the partition count gets none and stands by; that is not a
        reason to take it out of service. aiokafka has no public accessor for the
        membership, so this reads the coordinator's generation: -1 until a join
        succeeds (the embedded broker starts counting at 0).
        """
        coordinator = getattr(self._consumer, "_coordinator", None)
        return int(getattr(coordinator, "generation", -1)) >= 0

    async def stop(self) -> None:
        """Stop fetching, let the batch in hand finish and commit, then leave the group."""
        self._stopping = True
        if self._task is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        if self._consumer is not None:
            await self._consumer.stop()

    async def _run(self) -> None:
        assert self._consumer is not None
        while not self._stopping:
            batches = await self._consumer.getmany(timeout_ms=200)
            for tp, records in batches.items():
                await self._handle_partition_batch(tp, records)

    async def _handle_partition_batch(
        self, tp: TopicPartition, records: list[ConsumerRecord[bytes, bytes]]
    ) -> None:
        assert self._consumer is not None
        dead = await asyncio.to_thread(self._process_all, records)
        for letter in dead:
            await self._send_to_dead_letter(letter)
        next_offset = records[-1].offset + 1
        highwater = self._consumer.highwater(tp)
        if highwater is not None:
            self._metrics.consumer_lag.set(
                max(0, highwater - next_offset),
                service=self._service,
                topic=tp.topic,
                partition=str(tp.partition),
            )
        try:
            await self._consumer.commit({tp: next_offset})
        except (CommitFailedError, KafkaError) as error:
            # The partition moved to another member; it will see these messages again
            # and skip them by (source, position).
            log.warning("inbox.commit_failed", partition=str(tp), error=str(error))

    def _process_all(self, records: list[ConsumerRecord[bytes, bytes]]) -> list[DeadLetter]:
        dead = []
        for record in records:
            letter = self._process(record)
            if letter is not None:
                dead.append(letter)
        return dead

    def _process(self, record: ConsumerRecord[bytes, bytes]) -> DeadLetter | None:
        try:
            event = parse_event(record.value or b"")
        except ContractError as error:
            return DeadLetter(record, f"{type(error).__name__}: {error}")
        expected_source = self._topics.get(record.topic)
        if event.source != expected_source:
            return DeadLetter(
                record, f"WrongSource: {event.source!r} event on topic {record.topic!r}"
            )
        parent = context_from_kafka_headers(record.headers or ())
        with (
            tracer("hotline.inbox").start_as_current_span(
                f"handle {event.event_type}", context=parent, kind=SpanKind.CONSUMER
            ),
            structlog.contextvars.bound_contextvars(
                ticket_id=str(event.ticket_id), event_type=event.event_type
            ),
        ):
            return self._apply(record, event)

    def _apply(
        self, record: ConsumerRecord[bytes, bytes], event: IntegrationEvent
    ) -> DeadLetter | None:
        labels = {"service": self._service, "source": event.source}
        if self._app.has_processed(event.source, event.position):
            self.stats.duplicates += 1
            self._metrics.duplicates.add(1, labels)
            return None
        last_error: Exception | None = None
        for attempt in range(1, self._settings.handler_attempts + 1):
            try:
                self._app.process_event(cast(Any, event), Tracking(event.source, event.position))
            except IntegrityError as error:
                if self._app.has_processed(event.source, event.position):
                    self.stats.duplicates += 1
                    self._metrics.duplicates.add(1, labels)
                    return None
                last_error = error
            except Exception as error:
                last_error = error
            else:
                self.stats.processed += 1
                self._metrics.processed.add(1, labels)
                age = (datetime.now(UTC) - event.occurred_at).total_seconds()
                self._metrics.event_age.record(
                    max(0.0, age), {"service": self._service, "event_type": event.event_type}
                )
                return None
            self._metrics.failures.add(1, labels)
            log.warning("inbox.handler_failed", attempt=attempt, error=repr(last_error))
            time.sleep(min(0.05 * 2**attempt, 1.0))
        return DeadLetter(
            record,
            f"HandlerFailed after {self._settings.handler_attempts} attempts: {last_error!r}",
        )

    async def _send_to_dead_letter(self, letter: DeadLetter) -> None:
        record = letter.record
        headers: list[tuple[str, Any]] = [
            *(record.headers or ()),
            ("error", letter.error.encode()[:4000]),
            ("original_topic", record.topic.encode()),
            ("original_partition", str(record.partition).encode()),
            ("original_offset", str(record.offset).encode()),
        ]
        await self._producer.send_and_wait(
            self._dead_letter_topic, value=record.value, key=record.key, headers=headers
        )
        self.stats.dead_lettered += 1
        self._metrics.dead_letters.add(1, {"service": self._service, "topic": record.topic})
        log.error(
            "inbox.dead_lettered",
            topic=record.topic,
            partition=record.partition,
            offset=record.offset,
            error=letter.error,
        )
