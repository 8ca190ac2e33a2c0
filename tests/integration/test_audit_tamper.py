"""Tamper evidence on both stores: the chain sealer chains what a service records, and
`hotline audit verify` catches an altered, deleted, reordered or inserted event and names
the service and position; forgetting a citizen (destroying their key) breaks nothing."""

from __future__ import annotations

import argparse
import asyncio
from datetime import UTC, datetime
from pathlib import Path
from uuid import UUID

import pytest

from hotline.audit.cli import heads_command, read_witness, register
from hotline.audit.proof import prove
from hotline.audit.stores import read_log
from hotline.audit.verify import Finding, verify_service
from hotline.runtime.chain import Sealer, chain_sealer, chain_store
from hotline.runtime.clock import ManualClock
from hotline.runtime.sealing import KeyRing
from hotline.runtime.store import prepare_store, store_environment
from hotline.settings import Settings
from services.intake.application import IntakeApplication

from support import complaint_command, eventually, running

AT = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)


def open_intake(settings: Settings) -> IntakeApplication:
    prepare_store(settings, "intake")
    return IntakeApplication(store_environment(settings, "intake"))


def sealed_intake_log(settings: Settings, complaints: int = 5) -> list[int]:
    """Given intake recorded some complaints and the sealer chained them under a head."""
    app = open_intake(settings)
    keyring = KeyRing.generate()
    for number in range(complaints):
        app.receive_complaint(complaint_command(number), keyring)
    sealer = Sealer(app, chain_store(settings, "intake"), ManualClock(AT))
    sealer.seal()
    sealer.record_head_if_due(force=True)
    positions = [notification.id for notification in read_log(app)]
    app.close()
    return positions


def tamper(settings: Settings, *statements: tuple[str, tuple[object, ...]]) -> None:
    """Run raw SQL against intake's event table, as someone with database access could."""
    if settings.store == "sqlite":
        import sqlite3

        connection = sqlite3.connect(store_environment(settings, "intake")["SQLITE_DBNAME"])
        with connection:
            for statement, params in statements:
                connection.execute(
                    statement.format(table="stored_events", pos="rowid", audit=""), params
                )
        connection.close()
        return
    import psycopg

    from hotline.runtime.store import postgres_conninfo

    schema = f'"{settings.postgres_schema("intake")}".'
    table = f"{schema}intake_events"
    with psycopg.connect(postgres_conninfo(settings)) as pg:
        for statement, params in statements:
            sql = statement.format(table=table, pos="notification_id", audit=schema).replace(
                "?", "%s"
            )
            pg.execute(sql, params)


def kinds(findings: list[Finding]) -> list[tuple[str, str, int | None]]:
    return [(f.service, f.kind, f.position) for f in findings]


def test_an_untouched_log_verifies(settings: Settings) -> None:
    sealed_intake_log(settings)
    assert verify_service(settings, "intake") == []


def test_an_altered_event_is_caught_and_named(settings: Settings) -> None:
    p = sealed_intake_log(settings)
    tamper(
        settings,
        (
            "UPDATE {table} SET state = (SELECT state FROM {table} WHERE {pos} = ?) "
            "WHERE {pos} = ?",
            (p[0], p[2]),
        ),
    )
    assert kinds(verify_service(settings, "intake")) == [("intake", "altered", p[2])]


def test_a_deleted_event_is_caught_and_named(settings: Settings) -> None:
    p = sealed_intake_log(settings)
    tamper(settings, ("DELETE FROM {table} WHERE {pos} = ?", (p[1],)))
    assert kinds(verify_service(settings, "intake")) == [("intake", "deleted", p[1])]


def test_two_swapped_events_are_caught_as_reordered(settings: Settings) -> None:
    p = sealed_intake_log(settings)
    tamper(
        settings,
        ("UPDATE {table} SET {pos} = -1 WHERE {pos} = ?", (p[1],)),
        ("UPDATE {table} SET {pos} = ? WHERE {pos} = ?", (p[1], p[3])),
        ("UPDATE {table} SET {pos} = ? WHERE {pos} = -1", (p[3],)),
    )
    assert kinds(verify_service(settings, "intake")) == [
        ("intake", "reordered", p[1]),
        ("intake", "reordered", p[3]),
    ]


def test_an_event_inserted_in_the_middle_is_caught_as_inserted(settings: Settings) -> None:
    p = sealed_intake_log(settings)
    k = p[2]
    tamper(
        settings,
        ("UPDATE {table} SET {pos} = -({pos} + 1) WHERE {pos} >= ?", (k,)),
        ("UPDATE {table} SET {pos} = -{pos} WHERE {pos} < 0", ()),
        (
            "INSERT INTO {table} (originator_id, originator_version, topic, state, {pos}) "
            "SELECT originator_id, 999, topic, state, ? FROM {table} WHERE {pos} = ?",
            (k, k + 1),
        ),
    )
    findings = kinds(verify_service(settings, "intake"))
    assert findings[0] == ("intake", "inserted", k)
    assert findings[1:] == [("intake", "moved", later + 1) for later in p[2:]]


def test_the_cli_exits_non_zero_naming_service_and_position(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    p = sealed_intake_log(settings)
    tamper(settings, ("DELETE FROM {table} WHERE {pos} = ?", (p[3],)))
    for name, value in settings.to_environ().items():
        monkeypatch.setenv(name, value)
    parser = argparse.ArgumentParser(prog="hotline")
    register(parser.add_subparsers(dest="command", required=True))

    args = parser.parse_args(["audit", "verify"])
    code = args.func(args)

    output = capsys.readouterr()
    assert code == 1
    assert f"intake: deleted at position {p[3]}" in output.err
    assert "routing: ok" in output.out and "intake: TAMPERED" in output.out


def test_an_inclusion_proof_verifies_for_an_intact_event_only(settings: Settings) -> None:
    p = sealed_intake_log(settings)
    assert prove(settings, "intake", p[2]).verified
    tamper(settings, ("UPDATE {table} SET state = ? WHERE {pos} = ?", (b"{}", p[2])))
    assert not prove(settings, "intake", p[2]).verified


def test_forgetting_a_citizen_breaks_no_chain(settings: Settings) -> None:
    sealed_intake_log(settings, complaints=2)
    app = open_intake(settings)
    ticket = app.ticket(UUID(str(next(read_log(app)).originator_id)))
    assert ticket.citizen_ref is not None
    app.forget_citizen(ticket.citizen_ref)
    app.close()
    assert verify_service(settings, "intake") == []


async def test_the_sealer_worker_chains_what_a_running_service_records(
    settings: Settings,
) -> None:
    async with running(settings, "intake") as services:
        intake = services["intake"]
        stopping = asyncio.Event()
        worker = asyncio.create_task(chain_sealer(intake, stopping))
        for number in range(3):
            await asyncio.to_thread(
                intake.application.receive_complaint, complaint_command(number), intake.keyring
            )
        last = await asyncio.to_thread(intake.application.max_position)
        await eventually(lambda: chained_up_to(settings) == last)
        stopping.set()
        await worker
    store = chain_store(settings, "intake")
    assert store.heads()[-1].tree_size == len(store.entries()) >= 3
    assert verify_service(settings, "intake") == []


def chained_up_to(settings: Settings) -> int:
    last, _ = chain_store(settings, "intake").last_entry()
    return last.position if last else 0


def test_a_rewrite_of_events_chain_and_heads_together_is_caught_by_a_witness(
    settings: Settings, tmp_path: Path
) -> None:
    """Given the heads were kept elsewhere, when someone with database access alters an event
    and regenerates the chain and heads to match, then only the witness catches it."""
    p = sealed_intake_log(settings)
    witness = tmp_path / "heads.jsonl"
    with witness.open("w", encoding="utf-8") as out:
        heads_command(settings, "intake", out)
    tamper(
        settings,
        ("UPDATE {table} SET state = ? WHERE {pos} = ?", (b"{}", p[1])),
        ("DELETE FROM {audit}audit_chain", ()),
        ("DELETE FROM {audit}audit_tree_heads", ()),
    )
    app = open_intake(settings)
    resealer = Sealer(app, chain_store(settings, "intake"), ManualClock(AT))
    resealer.seal()
    resealer.record_head_if_due(force=True)
    app.close()

    assert verify_service(settings, "intake") == []
    witnessed = read_witness(witness)["intake"]
    assert kinds(verify_service(settings, "intake", witnessed)) == [
        ("intake", "witness_mismatch", None)
    ]
