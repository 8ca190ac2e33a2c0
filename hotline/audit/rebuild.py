"""Rebuild proof: a service's state is nothing but its log, replayed.

For every aggregate in a service's log, the state read by the live application must
equal the state rebuilt by an independent application over the same store, and the
state rebuilt from a copy of the stored events in a fresh in-memory application. A
difference means some state lives outside the log (or the log cannot be replayed), and
the service could not throw away its read models and rebuild them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from eventsourcing.persistence import StoredEvent

from hotline.audit.stores import opened, read_log
from hotline.runtime.store import ServiceApplication
from hotline.settings import Settings

IN_MEMORY = {"PERSISTENCE_MODULE": "eventsourcing.popo"}
UNCOMPARED = frozenset({"_pending_events"})
"""Not state: events raised but not yet saved (always empty after a read)."""


@dataclass(frozen=True)
class RebuildResult:
    service: str
    aggregates: int
    differences: tuple[str, ...]

    @property
    def equal(self) -> bool:
        return not self.differences


def aggregate_ids(application: ServiceApplication) -> list[UUID]:
    """Every aggregate the log holds events of, in order of first appearance."""
    seen: dict[UUID, None] = {}
    for notification in read_log(application):
        seen.setdefault(UUID(str(notification.originator_id)), None)
    return list(seen)


def aggregate_states(
    application: ServiceApplication,
    ids: Iterable[UUID],
    versions: dict[UUID, int] | None = None,
) -> dict[UUID, dict[str, Any]]:
    """Each aggregate's attributes as the application's repository rebuilds them.

    With ``versions``, each aggregate is rebuilt at that version: a running service
    may record more events while the proof reads, and the proof compares like with like.
    """
    pinned = versions or {}
    return {
        aggregate_id: {
            name: value
            for name, value in vars(
                application.repository.get(aggregate_id, version=pinned.get(aggregate_id))
            ).items()
            if name not in UNCOMPARED
        }
        for aggregate_id in ids
    }


def copy_into_memory(application: ServiceApplication) -> ServiceApplication:
    """A fresh in-memory application of the same kind holding a copy of the log."""
    fresh = type(application)(dict(IN_MEMORY))
    copies = [
        StoredEvent(n.originator_id, n.originator_version, n.topic, n.state)
        for n in read_log(application)
    ]
    if copies:
        fresh.recorder.insert_events(copies)
    return fresh


def differences(
    label: str, expected: dict[UUID, dict[str, Any]], actual: dict[UUID, dict[str, Any]]
) -> list[str]:
    found = []
    for aggregate_id, attributes in expected.items():
        other = actual.get(aggregate_id, {})
        for name in sorted(attributes.keys() | other.keys()):
            if attributes.get(name) != other.get(name):
                found.append(f"{label}: aggregate {aggregate_id} differs in {name}")
    return found


def prove_rebuild(live: ServiceApplication, settings: Settings, service: str) -> RebuildResult:
    """Compare the live application's state with two rebuilds from the log."""
    ids = aggregate_ids(live)
    live_states = aggregate_states(live, ids)
    versions = {aggregate_id: int(state["_version"]) for aggregate_id, state in live_states.items()}
    with opened(settings, service) as independent:
        rebuilt = aggregate_states(independent, ids, versions)
    found = differences("same store", live_states, rebuilt)
    in_memory = copy_into_memory(live)
    try:
        copied = aggregate_states(in_memory, ids, versions)
        found += differences("in-memory copy", live_states, copied)
    finally:
        in_memory.close()
    return RebuildResult(service, len(ids), tuple(found))
