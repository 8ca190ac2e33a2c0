"""The sealer chains a log in order and records tree heads after N events or T seconds."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from eventsourcing.domain import Aggregate, event

from hotline.audit.verify import check_log
from hotline.runtime import chain
from hotline.runtime.chain import Sealer, SqliteChainStore, merkle_root
from hotline.runtime.clock import ManualClock
from hotline.runtime.store import ServiceApplication

START = datetime(2026, 3, 2, tzinfo=UTC)


class Note(Aggregate):
    @event("Written")
    def __init__(self, text: str) -> None:
        self.text = text


class NoteBook(ServiceApplication):
    def write(self, count: int) -> None:
        for number in range(count):
            self.save(Note(f"note {number}"))

    def policy(self, domain_event: Any, processing_event: Any) -> None:
        """Consumes nothing."""


@pytest.fixture
def notebook() -> NoteBook:
    return NoteBook({"PERSISTENCE_MODULE": "eventsourcing.popo"})


def test_the_chain_covers_the_log_in_order_and_verifies(notebook: NoteBook, tmp_path: Path) -> None:
    notebook.write(7)
    store = SqliteChainStore(tmp_path / "chain.sqlite")
    Sealer(notebook, store, ManualClock(START)).seal()
    log = list(notebook.notifications_after(0, 100))
    assert [entry.position for entry in store.entries()] == [n.id for n in log]
    assert check_log("notes", log, store.entries(), store.heads()) == []


def test_a_restarted_sealer_continues_the_same_chain(notebook: NoteBook, tmp_path: Path) -> None:
    store = SqliteChainStore(tmp_path / "chain.sqlite")
    notebook.write(3)
    Sealer(notebook, store, ManualClock(START)).seal()
    notebook.write(2)
    assert Sealer(notebook, store, ManualClock(START)).seal() == 2
    log = list(notebook.notifications_after(0, 100))
    assert check_log("notes", log, store.entries(), []) == []


def test_a_tree_head_is_recorded_after_enough_events(
    notebook: NoteBook, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(chain, "TREE_HEAD_EVERY_EVENTS", 4)
    store = SqliteChainStore(tmp_path / "chain.sqlite")
    sealer = Sealer(notebook, store, ManualClock(START))
    notebook.write(3)
    sealer.step()
    assert store.heads() == []
    notebook.write(1)
    sealer.step()
    [head] = store.heads()
    assert head.tree_size == 4
    assert head.root_hash == merkle_root([e.event_hash for e in store.entries()])


def test_a_tree_head_is_recorded_after_enough_time(notebook: NoteBook, tmp_path: Path) -> None:
    clock = ManualClock(START)
    store = SqliteChainStore(tmp_path / "chain.sqlite")
    sealer = Sealer(notebook, store, clock)
    notebook.write(2)
    sealer.step()
    assert store.heads() == []
    clock.advance(timedelta(seconds=chain.TREE_HEAD_EVERY_SECONDS))
    sealer.step()
    assert [(h.tree_size, h.recorded_at) for h in store.heads()] == [
        (2, START + timedelta(seconds=chain.TREE_HEAD_EVERY_SECONDS))
    ]


def test_no_head_is_recorded_when_nothing_new_was_chained(
    notebook: NoteBook, tmp_path: Path
) -> None:
    store = SqliteChainStore(tmp_path / "chain.sqlite")
    sealer = Sealer(notebook, store, ManualClock(START))
    notebook.write(1)
    sealer.step()
    assert sealer.record_head_if_due(force=True) is not None
    assert sealer.record_head_if_due(force=True) is None
