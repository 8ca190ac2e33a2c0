"""Measures the due-time index with many open timers: `python -m services.sla.bench_timers`.

Inserts N timers (one per open ticket, due at random over 30 days), then times what the
scheduler does each tick: looking for due timers when none are due, popping a tick's
worth of due timers, and rescheduling tickets (a new timer after each firing).
"""

from __future__ import annotations

import argparse
import json
import random
import time
import tracemalloc
from uuid import UUID

from services.sla.due_index import DueIndex

START = 1_800_000_000.0
MONTH = 30 * 86_400.0


def run(timers: int, due_per_tick: int, seed: int) -> dict[str, float]:
    rng = random.Random(seed)  # noqa: S311 - reproducible benchmark data, not secrets
    tickets = [UUID(int=rng.getrandbits(128)) for _ in range(timers)]
    dues = [START + rng.random() * MONTH for _ in range(timers)]
    peak = _index_memory(tickets, dues)
    index = DueIndex()
    began = time.perf_counter()
    for ticket, due in zip(tickets, dues, strict=True):
        index.schedule(ticket, due)
    insert_seconds = time.perf_counter() - began

    began = time.perf_counter()
    for _ in range(1000):
        index.pop_due(START - 1.0)
    idle_tick = (time.perf_counter() - began) / 1000

    now = sorted(dues)[due_per_tick - 1]
    began = time.perf_counter()
    popped = index.pop_due(now, limit=due_per_tick)
    pop_seconds = time.perf_counter() - began

    began = time.perf_counter()
    for ticket in popped:
        index.schedule(ticket, now + 86_400.0)
    reschedule_seconds = time.perf_counter() - began
    return {
        "timers": timers,
        "insert_total_s": round(insert_seconds, 3),
        "insert_per_timer_us": round(insert_seconds / timers * 1e6, 3),
        "index_peak_mb": round(peak / 1e6, 1),
        "idle_tick_us": round(idle_tick * 1e6, 3),
        "due_popped": len(popped),
        "pop_due_total_ms": round(pop_seconds * 1e3, 3),
        "pop_due_per_timer_us": round(pop_seconds / max(len(popped), 1) * 1e6, 3),
        "reschedule_per_timer_us": round(reschedule_seconds / max(len(popped), 1) * 1e6, 3),
    }


def _index_memory(tickets: list[UUID], dues: list[float]) -> int:
    """Peak bytes the index allocates (measured apart: tracing slows the timed run)."""
    tracemalloc.start()
    index = DueIndex()
    for ticket, due in zip(tickets, dues, strict=True):
        index.schedule(ticket, due)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def rebuild(tickets: int) -> dict[str, float]:
    """Time a restart's rebuild of the index from a SQLite log of `tickets` assigned tickets."""
    from services.sla.bench_rebuild import time_rebuild

    return time_rebuild(tickets)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--timers", type=int, default=1_000_000)
    parser.add_argument("--due-per-tick", type=int, default=1_000)
    parser.add_argument("--seed", type=int, default=12345)
    parser.add_argument(
        "--rebuild-tickets", type=int, default=0, help="also time a rebuild from a SQLite log"
    )
    args = parser.parse_args()
    result = run(args.timers, args.due_per_tick, args.seed)
    if args.rebuild_tickets:
        result |= rebuild(args.rebuild_tickets)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
