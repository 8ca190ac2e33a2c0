"""Department league tables (部门红黑榜): 三率, on-time rate, counts and weekly trends.

Computed over every ticket a unit handled — aired or not, since a ticket without
consent still counts in aggregates. Definitions (also in docs/publication.md):

* response rate (响应率): tickets signed for / tickets assigned;
* resolution rate (解决率): rated solved / rated;
* satisfaction rate (满意率): rated 非常满意, 满意 or 基本满意 / rated;
* on-time rate (按时办结率): of tickets replied, closed or overdue, those never overdue.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from services.publication.board import PUBLIC_MEDIA_LEVEL, TicketView

TREND_WEEKS = 6


@dataclass(frozen=True)
class WeekTrend:
    week: str  # ISO week, e.g. 2026-W40
    received: int
    satisfaction_rate: float | None


@dataclass(frozen=True)
class UnitStanding:
    rank: int
    unit_code: str
    unit_name: str
    assigned: int
    open: int
    closed: int
    overdue: int
    media_exposed: int
    response_rate: float | None
    resolution_rate: float | None
    satisfaction_rate: float | None
    on_time_rate: float | None
    trend: tuple[WeekTrend, ...]


def league_table(views: Iterable[TicketView]) -> list[UnitStanding]:
    """Units ranked by satisfaction, then resolution, response and on-time rates."""
    by_unit: dict[str, list[TicketView]] = defaultdict(list)
    for view in views:
        if view.unit_code is not None:
            by_unit[view.unit_code].append(view)
    standings = [_standing(code, tickets) for code, tickets in by_unit.items()]
    standings.sort(key=_ranking_key)
    return [_with_rank(standing, rank) for rank, standing in enumerate(standings, start=1)]


def _standing(unit_code: str, tickets: list[TicketView]) -> UnitStanding:
    rated = [t for t in tickets if t.satisfaction is not None]
    due = [t for t in tickets if t.breached or t.reply_result is not None or t.status == "closed"]
    return UnitStanding(
        rank=0,
        unit_code=unit_code,
        unit_name=tickets[-1].unit_name or unit_code,
        assigned=len(tickets),
        open=sum(t.status not in ("closed", "withdrawn") for t in tickets),
        closed=sum(t.status == "closed" for t in tickets),
        overdue=sum(t.breached for t in tickets),
        media_exposed=sum(t.escalation_level >= PUBLIC_MEDIA_LEVEL for t in tickets),
        response_rate=_rate(sum(t.signed for t in tickets), len(tickets)),
        resolution_rate=_rate(sum(bool(t.solved) for t in rated), len(rated)),
        satisfaction_rate=_rate(sum(t.satisfied for t in rated), len(rated)),
        on_time_rate=_rate(sum(not t.breached for t in due), len(due)),
        trend=_trend(tickets),
    )


def _trend(tickets: list[TicketView]) -> tuple[WeekTrend, ...]:
    weeks: dict[str, list[TicketView]] = defaultdict(list)
    for ticket in tickets:
        if ticket.received_at is not None:
            year, week, _ = ticket.received_at.isocalendar()
            weeks[f"{year}-W{week:02d}"].append(ticket)
    recent = sorted(weeks)[-TREND_WEEKS:]
    return tuple(
        WeekTrend(
            week=week,
            received=len(weeks[week]),
            satisfaction_rate=_rate(
                sum(t.satisfied for t in weeks[week] if t.satisfaction),
                sum(1 for t in weeks[week] if t.satisfaction),
            ),
        )
        for week in recent
    )


def _ranking_key(standing: UnitStanding) -> tuple[float, ...]:
    def desc(value: float | None) -> float:
        return -(value if value is not None else -1.0)

    return (
        desc(standing.satisfaction_rate),
        desc(standing.resolution_rate),
        desc(standing.response_rate),
        desc(standing.on_time_rate),
        float(standing.overdue),
    )


def _with_rank(standing: UnitStanding, rank: int) -> UnitStanding:
    return UnitStanding(**{**vars(standing), "rank": rank})


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None
