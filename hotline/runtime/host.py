"""Runs one service: its store, outbox relay, inbox consumer and HTTP API in one process.

Start order: store → producer → relay → consumer → HTTP. Stop order (SIGTERM or
Ctrl-C) is the reverse: stop accepting requests, stop consuming and let the batch in
hand finish and commit, flush the relay so everything recorded is published, close.
"""

from __future__ import annotations

import asyncio
import os
import signal
import threading
import time
from collections.abc import AsyncIterator, Callable, Coroutine, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from types import FrameType

import structlog
import uvicorn
from aiokafka import AIOKafkaProducer
from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse, Response

from hotline.runtime.auth import install_error_handlers, load_credentials
from hotline.runtime.chain import chain_sealer
from hotline.runtime.inbox import InboxConsumer
from hotline.runtime.kafka import ensure_topics, make_producer, start_with_retry
from hotline.runtime.logging import configure_logging
from hotline.runtime.metrics import configure_metrics, scrape
from hotline.runtime.relay import OutboxRelay, Translator
from hotline.runtime.sealing import KeyRing, load_keyring
from hotline.runtime.store import ServiceApplication, prepare_store, store_environment
from hotline.runtime.timeline import timeline_router
from hotline.runtime.tracing import configure_tracing
from hotline.settings import ServiceName, Settings

log = structlog.get_logger(__name__)


Worker = Callable[["RunningService", asyncio.Event], Coroutine[None, None, None]]
"""A background loop of a service (e.g. SLA's timer scheduler); returns once the event is set."""


@dataclass(frozen=True)
class ServiceSpec:
    """What makes a service: its application, its contracts, what it listens to, its API."""

    name: ServiceName
    application: type[ServiceApplication]
    translate: Translator
    upstream: tuple[ServiceName, ...] = ()
    routers: Sequence[APIRouter] = ()
    private_fields: frozenset[str] = field(default_factory=frozenset)
    extra_streams: tuple[tuple[str, Translator], ...] = ()
    """More outbound topics from the same log: (topic suffix, translator), e.g. ("public", …)
    publishes to `hotline.public`. Each has its own relay and progress."""
    workers: tuple[Worker, ...] = ()


@dataclass
class RunningService:
    spec: ServiceSpec
    settings: Settings
    application: ServiceApplication
    keyring: KeyRing
    producer: AIOKafkaProducer
    relays: list[OutboxRelay]
    consumer: InboxConsumer | None
    stopping: asyncio.Event = field(default_factory=asyncio.Event)
    worker_tasks: list[asyncio.Task[None]] = field(default_factory=list)

    @property
    def relay(self) -> OutboxRelay:
        """The relay of the service's own topic."""
        return self.relays[0]


async def start_service(spec: ServiceSpec, settings: Settings) -> RunningService:
    configure_metrics(spec.name)
    keyring, _, _ = load_keyring(settings.data_dir, os.environ)
    await asyncio.to_thread(prepare_store, settings, spec.name)
    env = store_environment(settings, spec.name)
    application = await asyncio.to_thread(spec.application, env)
    streams = [(spec.name, spec.translate), *spec.extra_streams]
    await ensure_topics(
        settings,
        [settings.topic(name) for name, _ in streams] + [settings.dead_letter_topic(spec.name)],
        replication_factor=settings.topic_replication_factor,
    )
    producer = make_producer(settings)
    await start_with_retry(producer, within=60.0)
    relays = [
        OutboxRelay(application, producer, settings, settings.topic(name), translate)
        for name, translate in streams
    ]
    for relay in relays:
        await relay.start()
    consumer = None
    if spec.upstream:
        await ensure_topics(
            settings,
            [settings.topic(name) for name in spec.upstream],
            replication_factor=settings.topic_replication_factor,
        )
        consumer = InboxConsumer(application, settings, spec.name, spec.upstream, producer)
        await consumer.start()
    running = RunningService(spec, settings, application, keyring, producer, relays, consumer)
    for worker in (*spec.workers, chain_sealer):
        running.worker_tasks.append(asyncio.create_task(worker(running, running.stopping)))
    return running


async def stop_service(running: RunningService) -> None:
    running.stopping.set()
    for outcome in await asyncio.gather(*running.worker_tasks, return_exceptions=True):
        if isinstance(outcome, BaseException):
            # A failed background loop must not keep the consumer and relay from stopping
            # cleanly (the relay's final flush matters more).
            log.error("service.worker_failed", service=running.spec.name, error=repr(outcome))
    if running.consumer is not None:
        await running.consumer.stop()
    for relay in running.relays:
        await relay.stop()
    await running.producer.stop()
    running.application.close()
    log.info("service.stopped", service=running.spec.name)


def create_app(spec: ServiceSpec, settings: Settings) -> FastAPI:
    """The FastAPI app of one service; its lifespan starts and stops the machinery."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        credentials, path, created = load_credentials(settings.data_dir, os.environ)
        if created:
            log.warning("credentials.created", path=str(path), mode="0600")
        app.state.credentials = credentials
        running = await start_service(spec, settings)
        app.state.service = running
        log.info("service.started", service=spec.name, store=settings.store)
        try:
            yield
        finally:
            await stop_service(running)

    app = FastAPI(title=f"hotline {spec.name}", lifespan=lifespan)
    install_error_handlers(app)
    app.include_router(health_router())
    app.include_router(timeline_router(spec.private_fields))
    for router in spec.routers:
        app.include_router(router)
    return app


def health_router() -> APIRouter:
    router = APIRouter(tags=["health"])

    @router.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "alive"}

    @router.get("/readyz")
    async def readyz(request: Request) -> JSONResponse:
        running: RunningService = request.app.state.service
        problems = await readiness_problems(running)
        status = 200 if not problems else 503
        return JSONResponse({"ready": not problems, "problems": problems}, status_code=status)

    @router.get("/metrics")
    async def prometheus_metrics() -> Response:
        body, content_type = scrape()
        return Response(body, media_type=content_type)

    return router


async def readiness_problems(running: RunningService) -> list[str]:
    problems = []
    try:
        await asyncio.wait_for(asyncio.to_thread(running.application.max_position), 3.0)
    except Exception as error:
        problems.append(f"store unreachable: {error!r}")
    try:
        await asyncio.wait_for(running.producer.client.fetch_all_metadata(), 3.0)
    except Exception as error:
        problems.append(f"broker unreachable: {error!r}")
    if running.consumer is not None:
        if not running.consumer.is_consuming():
            problems.append("consumer stopped")
        elif not running.consumer.has_joined_group():
            problems.append("consumer has not joined its group yet")
    return problems


class GracefulServer(uvicorn.Server):
    """uvicorn re-raises the signal after shutting down, which makes the exit code 143.

    A graceful SIGTERM shutdown is a success, so this server exits 0.
    """

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        if self.should_exit and sig == signal.SIGINT:
            self.force_exit = True
        else:
            self.should_exit = True


PARENT_PID_VARIABLE = "HOTLINE_PARENT_PID"
"""Set by `hotline up` for its children: a service outlives no killed parent."""


def stop_when_parent_dies(server: uvicorn.Server, parent_pid: int) -> None:
    """`hotline up` starts services in their own sessions so Ctrl-C reaches only it.

    If it is killed outright (SIGKILL, OOM) it cannot stop them; each service then
    notices it was re-parented and shuts itself down gracefully instead of lingering.
    """

    def watch() -> None:
        while not server.should_exit:
            if os.getppid() != parent_pid:
                log.warning("service.parent_gone", parent_pid=parent_pid)
                server.should_exit = True
                return
            time.sleep(1.0)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def serve(spec: ServiceSpec, settings: Settings) -> None:
    configure_logging(spec.name, settings.log_format, settings.log_level)
    configure_tracing(spec.name)
    config = uvicorn.Config(
        create_app(spec, settings),
        host=settings.http_host,
        port=settings.http_port_for(spec.name),
        log_config=None,
        access_log=False,
        timeout_graceful_shutdown=10,
        lifespan="on",
    )
    server = GracefulServer(config)
    parent = os.environ.get(PARENT_PID_VARIABLE)
    if parent and parent.isdigit():
        stop_when_parent_dies(server, int(parent))
    server.run()
