"""`hotline bench`: complaints through intake → routing, against the raw broker.

The pipeline figure: N complaints are posted over HTTP to a full embedded stack (five
service processes, the embedded broker unless KAFKA_BOOTSTRAP_SERVERS is set, a fresh
data directory); latency runs from the HTTP 201 to the moment routing's decision for
the ticket is seen on routing's topic: `Assigned`, `ManualDispatchQueued` (no rule or
model was sure) or `TicketMerged` (same problem as an open ticket). The report counts
each outcome. The raw figure, in the same run and on the same broker:
N messages of the same size produced and consumed by one aiokafka client each. The
ratio between the two is the number to watch.
"""

from __future__ import annotations

import asyncio
import json
import os
import platform
import statistics
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import httpx
from aiokafka import AIOKafkaConsumer, TopicPartition

from contracts import parse_event
from hotline.runtime.embedded_broker import port_open
from hotline.runtime.kafka import ensure_topics, make_producer, start_with_retry
from hotline.settings import SERVICE_NAMES, Settings
from hotline.stack import Stack

CONCURRENCY = 16
SAMPLE_DESCRIPTION = (
    "市民来电反映：美兰区海甸岛沿江三东路路灯不亮已一周，夜间出行不便，请尽快维修。"
)
PLACES = (
    "海甸岛沿江三东路",
    "金盘工业区",
    "龙昆南路",
    "滨海大道",
    "国兴大道",
    "南沙路",
    "白龙南路",
    "椰海大道",
    "长滨路",
    "丘海大道",
    "府城忠介路",
    "万绿园",
    "西秀镇",
    "新埠岛",
    "大英山",
    "灵山镇",
    "演丰镇",
    "石山镇",
    "永兴镇",
    "东山镇",
)
PROBLEMS = (
    "路灯不亮已一周，夜间出行不便",
    "下水道堵塞污水外溢，气味很大",
    "工地夜间施工噪音扰民",
    "有人占道经营摆摊，影响通行",
    "垃圾堆放多日无人清运",
    "小区停水两天没有通知",
    "人行道砖块松动，老人容易摔倒",
    "公交站牌损坏，看不清线路",
    "违章搭建铁皮房",
    "共享单车乱停放堵住消防通道",
)


def complaint_text(number: int) -> str:
    """Varied complaints (20 places × 10 problems), so most are dispatched, some merged."""
    place = PLACES[number % len(PLACES)]
    problem = PROBLEMS[(number // len(PLACES)) % len(PROBLEMS)]
    return f"市民来电反映：{place}{problem}，请有关部门尽快处理。（来电序号{number}）"


@dataclass(frozen=True)
class Latency:
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float


@dataclass(frozen=True)
class PipelineResult:
    tickets: int
    seconds: float
    tickets_per_second: float
    accept_to_routing_decision: Latency
    decisions: dict[str, int]


@dataclass(frozen=True)
class RawBrokerResult:
    messages: int
    message_bytes: int
    seconds: float
    messages_per_second: float


def percentiles(samples_ms: Sequence[float]) -> Latency:
    cuts = statistics.quantiles(samples_ms, n=100, method="inclusive")
    return Latency(
        p50_ms=round(cuts[49], 2),
        p95_ms=round(cuts[94], 2),
        p99_ms=round(cuts[98], 2),
        max_ms=round(max(samples_ms), 2),
    )


def free_base_port() -> int:
    for base in range(18001, 60000, 10):
        if not any(port_open("127.0.0.1", base + i) for i in range(len(SERVICE_NAMES))):
            return base
    raise RuntimeError("no free ports for the benchmark stack")


def free_broker_port() -> int:
    for port in range(19092, 20000):
        if not port_open("127.0.0.1", port):
            return port
    raise RuntimeError("no free port for the benchmark broker")


def bench_settings(base: Settings, data_dir: Path) -> Settings:
    """The caller's settings, with a private data dir, ports and topics."""
    return base.model_copy(
        update={
            "data_dir": data_dir,
            "store": base.store,
            "topic_prefix": f"bench{uuid4().hex[:8]}",
            "postgres_schema_prefix": f"bench{uuid4().hex[:8]}_",
            "http_port": None,
            "http_port_base": free_base_port(),
            "embedded_broker_port": free_broker_port(),
            "log_level": "warning",
        }
    )


DECISIONS = frozenset({"Assigned", "ManualDispatchQueued", "TicketMerged"})


async def watch_decisions(
    settings: Settings,
    expected: set[UUID],
    seen: dict[UUID, tuple[float, str]],
    ready: asyncio.Event,
) -> None:
    """Record when routing's first decision for each ticket appears on its topic."""
    topic = settings.topic("routing")
    consumer = AIOKafkaConsumer(
        bootstrap_servers=settings.bootstrap_servers(), enable_auto_commit=False
    )
    await start_with_retry(consumer, within=30.0)
    try:
        await consumer.topics()
        partitions = [TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic) or ()]
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        ready.set()
        while True:
            batches = await consumer.getmany(timeout_ms=100, max_records=1000)
            now = time.perf_counter()
            for records in batches.values():
                for record in records:
                    event = parse_event(record.value or b"")
                    if event.event_type in DECISIONS:
                        seen.setdefault(event.ticket_id, (now, event.event_type))
            if expected and expected.issubset(seen):
                return
    finally:
        await consumer.stop()


async def post_complaints(url: str, key: str, count: int) -> dict[UUID, float]:
    accepted: dict[UUID, float] = {}
    queue: asyncio.Queue[int] = asyncio.Queue()
    for number in range(count):
        queue.put_nowait(number)

    async def worker(client: httpx.AsyncClient) -> None:
        while not queue.empty():
            number = queue.get_nowait()
            body = {"channel": "phone", "description": complaint_text(number)}
            response = await client.post("/v1/complaints", json=body)
            response.raise_for_status()
            accepted[UUID(response.json()["ticket_id"])] = time.perf_counter()

    limits = httpx.Limits(max_connections=CONCURRENCY)
    async with httpx.AsyncClient(
        base_url=url, headers={"X-API-Key": key}, limits=limits, timeout=60
    ) as client:
        await asyncio.gather(*(worker(client) for _ in range(CONCURRENCY)))
    return accepted


async def measure_pipeline(settings: Settings, stack: Stack, tickets: int) -> PipelineResult:
    keys = json.loads((settings.data_dir / "credentials.json").read_text())["keys"]
    key = next(k["key"] for k in keys if k["role"] == "operator")
    seen: dict[UUID, tuple[float, str]] = {}
    expected: set[UUID] = set()
    ready = asyncio.Event()
    watcher = asyncio.create_task(watch_decisions(settings, expected, seen, ready))
    await ready.wait()
    started = time.perf_counter()
    accepted = await post_complaints(stack.url("intake"), key, tickets)
    expected.update(accepted)
    await asyncio.wait_for(watcher, timeout=max(120.0, tickets / 10))
    finished = max(seen[t][0] for t in accepted)
    samples = [(seen[t][0] - accepted[t]) * 1000 for t in accepted]
    seconds = finished - started
    decisions: dict[str, int] = {}
    for ticket in accepted:
        decisions[seen[ticket][1]] = decisions.get(seen[ticket][1], 0) + 1
    return PipelineResult(
        tickets=tickets,
        seconds=round(seconds, 3),
        tickets_per_second=round(tickets / seconds, 1),
        accept_to_routing_decision=percentiles(samples),
        decisions=decisions,
    )


async def measure_raw_broker(settings: Settings, messages: int, size: int) -> RawBrokerResult:
    """Produce N messages (acks=all, unawaited sends) and consume them all, one client each."""
    topic = f"{settings.topic_prefix}.raw-bench"
    await ensure_topics(settings, [topic])
    payload = b"x" * size
    producer = make_producer(settings)
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=settings.bootstrap_servers(),
        group_id=f"{topic}-reader",
        auto_offset_reset="earliest",
        enable_auto_commit=False,
    )
    await start_with_retry(producer, within=30.0)
    await start_with_retry(consumer, within=30.0)
    try:
        started = time.perf_counter()
        acknowledgements = [
            await producer.send(topic, value=payload, key=str(n).encode()) for n in range(messages)
        ]
        await asyncio.gather(*acknowledgements)
        received = 0
        while received < messages:
            batches = await consumer.getmany(timeout_ms=500, max_records=5000)
            received += sum(len(records) for records in batches.values())
        seconds = time.perf_counter() - started
    finally:
        await producer.stop()
        await consumer.stop()
    return RawBrokerResult(
        messages=messages,
        message_bytes=size,
        seconds=round(seconds, 3),
        messages_per_second=round(messages / seconds, 1),
    )


def sample_message_size() -> int:
    """The size of a ComplaintReceived as the bench sends it, to size the raw messages."""
    from datetime import UTC, datetime

    from contracts import ComplaintReceived, serialize_event

    event = ComplaintReceived(
        event_id=uuid4(),
        ticket_id=uuid4(),
        occurred_at=datetime.now(UTC),
        position=1,
        channel="phone",  # type: ignore[arg-type]
        description=f"{SAMPLE_DESCRIPTION}（1000）",
    )
    return len(serialize_event(event))


def environment(settings: Settings) -> dict[str, Any]:
    return {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "store": settings.store,
        "broker": "embedded Tansu" if settings.uses_embedded_broker() else "configured Kafka",
        "topic_partitions": settings.topic_partitions,
        "http_concurrency": CONCURRENCY,
    }


def run_bench(tickets: int, json_path: Path | None, settings: Settings) -> int:
    with tempfile.TemporaryDirectory(prefix="hotline-bench-") as folder:
        isolated = bench_settings(settings, Path(folder))
        stack = Stack(isolated)
        stack.start()
        try:
            pipeline = asyncio.run(measure_pipeline(isolated, stack, tickets))
            raw = asyncio.run(measure_raw_broker(isolated, tickets, sample_message_size()))
        finally:
            stack.stop()
    report = {
        "pipeline": asdict(pipeline),
        "raw_broker": asdict(raw),
        "raw_to_pipeline_ratio": round(raw.messages_per_second / pipeline.tickets_per_second, 1),
        "environment": environment(isolated),
    }
    text = json.dumps(report, indent=2, ensure_ascii=False)
    print(text)
    if json_path is not None:
        json_path.write_text(text + "\n", encoding="utf-8")
    return 0
