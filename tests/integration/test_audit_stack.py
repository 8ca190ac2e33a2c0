"""Audit over the five services running for real (both stores, real broker): every
service's state rebuilds from its log, a ticket replays alike from the stores and from
the topics, and the sealed logs verify."""

from __future__ import annotations

import argparse
import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path
from uuid import UUID

import pytest

from contracts import EVENT_TYPES, serialize_event
from contracts.fold import TicketStatus
from hotline.audit.cli import register
from hotline.audit.rebuild import prove_rebuild
from hotline.audit.report import CHINA
from hotline.audit.sources import events_from_stores, events_from_topics
from hotline.audit.timeline import replay
from hotline.audit.verify import verify_service
from hotline.runtime.chain import chain_sealer
from hotline.runtime.host import RunningService
from hotline.runtime.kafka import ensure_topics, make_producer, start_with_retry
from hotline.runtime.sealing import KeyRing
from hotline.runtime.store import prepare_store, store_environment
from hotline.settings import SERVICE_NAMES, Settings
from services.intake.application import IntakeApplication
from tests.unit.audit.audit_story import full_life

from support import complaint_command, eventually, running


@asynccontextmanager
async def platform_with_tickets(
    settings: Settings, count: int
) -> AsyncIterator[tuple[dict[str, RunningService], list[UUID]]]:
    """Given the five services running, sealing their logs, and `count` complaints received
    and handled as far as each service takes them on its own."""
    async with running(settings, *SERVICE_NAMES) as services:
        stopping = asyncio.Event()
        sealers = [asyncio.create_task(chain_sealer(s, stopping)) for s in services.values()]
        intake = services["intake"]
        assert isinstance(intake.application, IntakeApplication)
        tickets = [
            await asyncio.to_thread(
                intake.application.receive_complaint, complaint_command(n), intake.keyring
            )
            for n in range(count)
        ]
        for name in ("routing", "sla", "feedback", "publication"):
            app = services[name].application
            await eventually(lambda app=app: all(app.history(t) for t in tickets))  # type: ignore[misc]
        try:
            yield services, tickets
        finally:
            stopping.set()
            await asyncio.gather(*sealers)


async def test_every_service_rebuilds_the_same_state_from_its_sealed_log(
    settings: Settings,
) -> None:
    async with platform_with_tickets(settings, 3) as (services, tickets):
        results = {
            name: await asyncio.to_thread(prove_rebuild, s.application, settings, name)
            for name, s in services.items()
        }
    for name, result in results.items():
        assert result.aggregates >= len(tickets), name
        assert result.differences == (), name
        assert await asyncio.to_thread(verify_service, settings, name) == [], name


async def test_a_ticket_replays_alike_from_the_stores_and_from_the_topics(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    async with platform_with_tickets(settings, 2) as (_, tickets):
        ticket = tickets[0]
        stored = await asyncio.to_thread(events_from_stores, settings, ticket)
        wanted = {e.event_id for e in stored}
        published = await eventually_async(
            lambda: events_from_topics(settings, ticket),
            lambda got: {e.event_id for e in got} >= wanted,
        )
    assert {e.event_id for e in published} == wanted
    assert {"ComplaintReceived", "Assigned"} <= {e.event_type for e in stored}

    for name, value in settings.to_environ().items():
        monkeypatch.setenv(name, value)
    parser = argparse.ArgumentParser(prog="hotline")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["audit", "replay", str(ticket), "--json", "--from-topics"])
    assert await asyncio.to_thread(args.func, args) == 0
    out = capsys.readouterr().out  # the services' own log lines may precede the document
    replayed, _ = json.JSONDecoder().raw_decode(out[out.index("{\n") :])
    assert [e["event_type"] for e in replayed["timeline"]][:1] == ["ComplaintReceived"]
    assert len(replayed["timeline"]) == len(wanted)


async def test_the_report_command_reads_the_period_from_the_stores(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    prepare_store(settings, "intake")
    intake = IntakeApplication(store_environment(settings, "intake"))
    await asyncio.to_thread(intake.receive_complaint, complaint_command(1), KeyRing.generate())
    intake.close()
    today = datetime.now(CHINA).date().isoformat()
    for name, value in settings.to_environ().items():
        monkeypatch.setenv(name, value)
    target = tmp_path / "report.html"
    parser = argparse.ArgumentParser(prog="hotline")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(
        ["audit", "report", "--from", today, "--to", today, "--html", str(target)]
    )
    assert await asyncio.to_thread(args.func, args) == 0
    assert f"期间 Period: {today} – {today}" in target.read_text(encoding="utf-8")


async def eventually_async(fetch, accept, within: float = 30.0):  # type: ignore[no-untyped-def]
    """Fetch until the result is accepted (or time is up: the caller's assert says why)."""
    deadline = asyncio.get_running_loop().time() + within
    while True:
        got = await fetch()
        if accept(got) or asyncio.get_running_loop().time() > deadline:
            return got
        await asyncio.sleep(0.2)


async def test_a_whole_ticket_life_on_the_topics_replays_as_it_happened(
    settings: Settings,
) -> None:
    """Given a ticket's return, extension, breach, escalation, reopen and closure published
    on the five topics (as contract events), the replay from the topics tells it in order."""
    story = full_life()
    await ensure_topics(settings, [settings.topic(name) for name in SERVICE_NAMES])
    producer = make_producer(settings)
    await start_with_retry(producer, within=30.0)
    try:
        for event in story.events:
            if event.event_type in EVENT_TYPES:  # the unregistered type cannot travel
                await producer.send_and_wait(
                    settings.topic(event.source),
                    serialize_event(event),
                    key=str(event.ticket_id).encode(),
                )
    finally:
        await producer.stop()

    result = replay(story.ticket_id, await events_from_topics(settings, story.ticket_id))

    published = [e for e in story.events if e.event_type in EVENT_TYPES]
    assert [(e.service, e.event_type) for e in result.entries] == [
        (e.source, e.event_type) for e in published
    ]
    assert result.state.status is TicketStatus.CLOSED
    assert (result.state.returns, result.state.reopen_round, result.state.escalation_level) == (
        1,
        1,
        1,
    )
