"""The due-time index: which ticket's next timer falls due first, without scanning tickets.

A binary heap of (due instant, ticket) plus a map ticket → its current due instant.
Rescheduling a ticket pushes a new entry and leaves the old one in the heap; an entry
whose instant no longer matches the map is stale and skipped when it surfaces (lazy
deletion). Insert and pop are O(log n); a tick with nothing due looks at one entry.
"""

from __future__ import annotations

import heapq
from uuid import UUID


class DueIndex:
    def __init__(self) -> None:
        self._heap: list[tuple[float, UUID]] = []
        self._due: dict[UUID, float] = {}

    def __len__(self) -> int:
        """How many tickets have a timer pending."""
        return len(self._due)

    def schedule(self, ticket_id: UUID, due: float | None) -> None:
        """The ticket's next timer is due at `due` (POSIX seconds); None: no timer."""
        if due is None:
            self._due.pop(ticket_id, None)
            return
        if self._due.get(ticket_id) == due:
            return
        self._due[ticket_id] = due
        heapq.heappush(self._heap, (due, ticket_id))
        if len(self._heap) > 2 * len(self._due) + 1024:
            self._compact()

    def due_at(self, ticket_id: UUID) -> float | None:
        return self._due.get(ticket_id)

    def pop_due(self, now: float, limit: int = 1000) -> list[UUID]:
        """Tickets whose timer is due at `now`, earliest first (at most `limit`); removed."""
        found: list[UUID] = []
        while self._heap and len(found) < limit and self._heap[0][0] <= now:
            due, ticket_id = heapq.heappop(self._heap)
            if self._due.get(ticket_id) == due:
                del self._due[ticket_id]
                found.append(ticket_id)
        return found

    def _compact(self) -> None:
        """Drop stale entries once they outnumber live ones, so memory stays bounded."""
        self._heap = [(due, ticket) for ticket, due in self._due.items()]
        heapq.heapify(self._heap)
