"""`hotline audit verify`: recompute every chain and tree head from the stored events.

Three layers are checked against each other: the stored events against the chain's
event hashes, the chain's links against its event hashes, and the recorded tree heads
against the chain. A difference is named by what most plausibly happened:

* ``altered``   — the event at a chained position is not the one chained there, and
  the one chained there is nowhere else in the log;
* ``deleted``   — a chained event is gone from the log;
* ``inserted``  — an event the chain never saw sits inside the chained range;
* ``reordered`` — a chained event sits at another position, out of order with the rest;
* ``moved``     — a chained event sits at another position, still in order (the rows
  after an insertion or deletion that renumbered them);
* ``chain_broken``, ``tree_head_mismatch``, ``truncated`` — the side tables themselves
  were changed (a link, a head, or entries a head covered are missing);
* ``witness_mismatch`` — a tree head kept outside the database no longer matches: the
  events, the chain and the recorded heads were rewritten together.

Events past the chain's end are simply not sealed yet: the sealer chains them shortly.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate

from hotline.audit.stores import opened, read_whole_log
from hotline.runtime.chain import (
    GENESIS,
    ChainEntry,
    StoredEvent,
    TreeHead,
    chain_store,
    event_hash,
    event_hash_at,
    link,
    prefix_roots,
)
from hotline.settings import Settings

MAX_COMPARISONS = 1_000_000
"""Above this many (suspect, mismatch) pairs, do not look for where events moved: the
search is quadratic. Findings are then only altered / deleted / inserted."""


@dataclass(frozen=True)
class Finding:
    service: str
    kind: str
    position: int | None
    detail: str

    def __str__(self) -> str:
        where = f" at position {self.position}" if self.position is not None else ""
        return f"{self.service}: {self.kind}{where}: {self.detail}"


def verify_service(
    settings: Settings, service: str, witnessed: Sequence[TreeHead] = ()
) -> list[Finding]:
    """Every finding for one service's log (empty when the log is intact).

    ``witnessed`` are tree heads kept outside the database (``hotline audit heads``):
    they catch a rewrite of the events, the chain and the recorded heads together.
    """
    store = chain_store(settings, service)
    store.create_tables()
    with opened(settings, service) as application:
        stored = read_whole_log(application)
    entries = store.entries()
    findings = check_log(service, stored, entries, store.heads())
    return findings + _check_heads(service, entries, witnessed, witness=True)


def check_log(
    service: str,
    stored: Sequence[StoredEvent],
    entries: Sequence[ChainEntry],
    heads: Sequence[TreeHead],
) -> list[Finding]:
    """Pure: compare a log with its chain and tree heads."""
    findings = _check_events(service, stored, entries)
    findings += _check_links(service, entries)
    findings += _check_heads(service, entries, heads)
    return findings


def _check_events(
    service: str, stored: Sequence[StoredEvent], entries: Sequence[ChainEntry]
) -> list[Finding]:
    log = {event.id: event for event in stored}
    chain = {entry.position: entry for entry in entries}
    sealed_end = max(chain, default=0)
    unmatched = {
        p for p, entry in chain.items() if p not in log or event_hash(log[p]) != entry.event_hash
    }
    suspects = {p for p in log if p in unmatched or (p not in chain and p <= sealed_end)}
    if unmatched:  # a moved event may have landed past the chain's end
        suspects |= {p for p in log if p > sealed_end}
    origins = _origins(log, chain, sorted(suspects), sorted(unmatched))
    claimed = set(origins.values())
    findings = _moved_or_reordered(service, log, unmatched, origins)
    for position in sorted(unmatched - claimed):
        if position in log and position not in origins:
            findings.append(
                Finding(service, "altered", position, "the stored event differs from the chained")
            )
        else:
            findings.append(Finding(service, "deleted", position, "the chained event is gone"))
    for position in sorted(suspects - set(origins)):
        replaced_in_place = position in chain and position not in claimed
        if position <= sealed_end and not replaced_in_place:
            findings.append(
                Finding(service, "inserted", position, "an event the chain never recorded")
            )
    return sorted(findings, key=lambda f: (f.position or 0, f.kind))


def _origins(
    log: dict[int, StoredEvent],
    chain: dict[int, ChainEntry],
    suspects: Sequence[int],
    unmatched_chain: Sequence[int],
) -> dict[int, int]:
    """For suspect log positions: the chained position whose event they hold, if any."""
    if len(suspects) * len(unmatched_chain) > MAX_COMPARISONS:
        return {}
    origins: dict[int, int] = {}
    free = sorted(unmatched_chain)
    for position in sorted(suspects):
        for candidate in free:
            if candidate == position:
                continue
            if event_hash_at(candidate, log[position]) == chain[candidate].event_hash:
                origins[position] = candidate
                free.remove(candidate)
                break
    return origins


def _moved_or_reordered(
    service: str,
    log: dict[int, StoredEvent],
    unmatched: set[int],
    origins: dict[int, int],
) -> list[Finding]:
    """A moved event is ``reordered`` when its order against the other events changed."""
    sequence = [
        origins.get(position, position)
        for position in sorted(log)
        if position in origins or position not in unmatched
    ]
    positions = [p for p in sorted(log) if p in origins or p not in unmatched]
    highest_before = list(accumulate([0, *sequence[:-1]], max))
    lowest_after = list(reversed(list(accumulate([2**62, *reversed(sequence[1:])], min))))
    findings = []
    for index, position in enumerate(positions):
        if position not in origins:
            continue
        origin = sequence[index]
        out_of_order = highest_before[index] > origin or lowest_after[index] < origin
        findings.append(
            Finding(
                service,
                "reordered" if out_of_order else "moved",
                position,
                f"holds the event chained at position {origin}",
            )
        )
    return findings


def _check_links(service: str, entries: Sequence[ChainEntry]) -> list[Finding]:
    findings = []
    previous = GENESIS
    for entry in entries:
        if link(previous, entry.event_hash) != entry.chain_hash:
            findings.append(
                Finding(service, "chain_broken", entry.position, "chain hash does not link")
            )
        previous = entry.chain_hash
    return findings


def _check_heads(
    service: str, entries: Sequence[ChainEntry], heads: Sequence[TreeHead], *, witness: bool = False
) -> list[Finding]:
    """Recorded (or witnessed) heads against the chain's event hashes."""
    which = "witnessed tree head" if witness else "tree head"
    leaves = [entry.event_hash for entry in entries]
    sizes = [head.tree_size for head in heads if head.tree_size <= len(leaves)]
    roots = prefix_roots(leaves, sizes)
    findings = []
    for head in heads:
        if head.tree_size > len(leaves):
            findings.append(
                Finding(
                    service,
                    "truncated",
                    None,
                    f"{which} of size {head.tree_size} but only {len(leaves)} chain entries",
                )
            )
        elif roots[head.tree_size] != head.root_hash:
            findings.append(
                Finding(
                    service,
                    "witness_mismatch" if witness else "tree_head_mismatch",
                    None,
                    f"{which} of size {head.tree_size} does not match the chain",
                )
            )
    return findings
