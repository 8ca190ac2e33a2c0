"""并单: is a new complaint the same problem as an open ticket?

Two tests, either suffices: the same category at the same street within the window
(several neighbours reporting one broken main), or near-identical text within the
window (one citizen calling twice, a forwarded copy). Character shingles need no word
segmentation and ignore the reorderings call-takers introduce.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from uuid import UUID

SHINGLE = 2
MIN_TEXT_LENGTH = 8
"""Shorter texts ("路灯坏了") are too generic for text alone to prove the same problem."""


@lru_cache(maxsize=16384)
def shingles(text: str) -> frozenset[str]:
    """Cached: every new ticket is compared with every open master, whose texts repeat."""
    compact = "".join(text.split())
    return frozenset(compact[i : i + SHINGLE] for i in range(max(1, len(compact) - SHINGLE + 1)))


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


@dataclass(frozen=True, slots=True)
class OpenTicket:
    ticket_id: UUID
    received_at: datetime
    category: str | None
    street: str | None
    text: str


@dataclass(frozen=True, slots=True)
class MergeMatch:
    master_ticket_id: UUID
    reason: str


def find_master(
    candidate: OpenTicket,
    open_tickets: Iterable[OpenTicket],
    window: timedelta,
    text_similarity: float,
) -> MergeMatch | None:
    """The earliest open ticket the candidate duplicates, or None."""
    mine = shingles(candidate.text)
    for other in sorted(open_tickets, key=lambda ticket: ticket.received_at):
        if other.ticket_id == candidate.ticket_id:
            continue
        if abs(candidate.received_at - other.received_at) > window:
            continue
        if (
            candidate.category is not None
            and candidate.street is not None
            and (candidate.category, candidate.street) == (other.category, other.street)
        ):
            return MergeMatch(
                other.ticket_id, f"same category {candidate.category} at {other.street}"
            )
        if len(candidate.text) >= MIN_TEXT_LENGTH:
            similarity = jaccard(mine, shingles(other.text))
            if similarity >= text_similarity:
                return MergeMatch(
                    other.ticket_id, f"near-duplicate text (similarity {similarity:.2f})"
                )
    return None
