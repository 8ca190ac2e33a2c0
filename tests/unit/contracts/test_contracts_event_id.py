"""A re-published stored event keeps its event_id, so consumers can drop the duplicate."""

from __future__ import annotations

from uuid import UUID

from contracts import event_id_for

AGGREGATE = UUID("0b6f8a52-6f0c-4a43-9a39-3c2f5f8c1e01")


def test_the_same_stored_event_always_gets_the_same_id() -> None:
    assert event_id_for("intake", AGGREGATE, 4) == event_id_for("intake", AGGREGATE, 4)


def test_the_id_does_not_change_between_releases() -> None:
    assert event_id_for("intake", AGGREGATE, 4) == UUID("933904a9-63b7-517b-a791-c71cbe961553")


def test_other_versions_and_other_sources_get_other_ids() -> None:
    ids = {
        event_id_for("intake", AGGREGATE, 4),
        event_id_for("intake", AGGREGATE, 5),
        event_id_for("routing", AGGREGATE, 4),
    }

    assert len(ids) == 3
