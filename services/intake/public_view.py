"""The public view of service requests (Open311 `requests.json`): no personal data in it.

A projection of intake's own event log into the `request_view` table, followed by a
background worker. Its progress is stored in the same transaction as the rows it
wrote, so a restart resumes exactly. What is public follows the citizen's consent:
without it only the district and street, the category and the status are shown;
with it the text (phone and ID numbers masked), the address, the coordinates and
the first photo as well.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from hotline.runtime.store import ServiceApplication
from services.intake.domain import OPEN_STATES, Ticket
from services.intake.side_store import SideStore

PROJECTION = "request_view"
BATCH = 500
_NUMBERS = re.compile(r"\+?\d[\d\- ]{5,}\d[Xx]?")

SCHEMA = (
    "CREATE TABLE IF NOT EXISTS request_view ("
    " ticket_id TEXT PRIMARY KEY, service_code TEXT, status TEXT NOT NULL,"
    " extended_status TEXT NOT NULL, status_notes TEXT, description TEXT, address TEXT,"
    " lat DOUBLE PRECISION, lon DOUBLE PRECISION, media_url TEXT, agency TEXT,"
    " requested_at TEXT NOT NULL, updated_at TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS request_view_by_time ON request_view (requested_at)",
    "CREATE TABLE IF NOT EXISTS projection_progress"
    " (name TEXT PRIMARY KEY, position BIGINT NOT NULL)",
)
COLUMNS = (
    "ticket_id, service_code, status, extended_status, status_notes, description, address,"
    " lat, lon, media_url, agency, requested_at, updated_at"
)
Statement = tuple[str, Sequence[Any]]


def mask_numbers(text: str) -> str:
    """Long digit runs are phone or ID numbers far more often than anything public."""
    return _NUMBERS.sub("****", text)


def open311_status(extended_status: str) -> str:
    return "open" if extended_status in OPEN_STATES else "closed"


def timestamp(moment: datetime) -> str:
    """UTC, fixed width: the text sorts and compares like the instant it names."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class RequestView:
    def __init__(self, store: SideStore) -> None:
        self._store = store
        store.ensure_schema(SCHEMA)

    def position(self) -> int:
        rows = self._store.run(
            [("SELECT position FROM projection_progress WHERE name = ?", (PROJECTION,))]
        )
        return int(rows[0][0]) if rows else 0

    def catch_up(self, app: ServiceApplication) -> int:
        """Project one batch of new stored events; returns how many were read."""
        start = self.position()
        notifications = app.notifications_after(start, BATCH)
        if not notifications:
            return 0
        statements: list[Statement] = []
        for notification in notifications:
            statements.extend(statements_for(app.mapper.to_domain_event(notification)))
        statements.append(
            (
                "INSERT INTO projection_progress (name, position) VALUES (?, ?)"
                " ON CONFLICT (name) DO UPDATE SET position = excluded.position",
                (PROJECTION, notifications[-1].id),
            )
        )
        self._store.run(statements)
        return len(notifications)

    def find(self, filters: RequestFilter) -> list[tuple[Any, ...]]:
        where, params = filters.where()
        query = (
            f"SELECT {COLUMNS} FROM request_view{where}"  # noqa: S608 - where holds only placeholders
            " ORDER BY requested_at DESC, ticket_id LIMIT ? OFFSET ?"
        )
        return self._store.run([(query, [*params, filters.page_size, filters.offset])])


@dataclass(frozen=True)
class RequestFilter:
    """GeoReport v2 filters plus paging (an extension: `page`, `page_size`)."""

    ticket_ids: tuple[str, ...] = ()
    service_codes: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    start: str | None = None
    end: str | None = None
    page: int = 1
    page_size: int = 50

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.page_size

    def where(self) -> tuple[str, list[Any]]:
        clauses: list[str] = []
        params: list[Any] = []
        if self.ticket_ids:  # the spec: with ids, the other filters are ignored
            return _in("ticket_id", self.ticket_ids, clauses, params)
        if self.service_codes:
            _in("service_code", self.service_codes, clauses, params)
        if self.statuses:
            _in("status", self.statuses, clauses, params)
        if self.start is not None:
            clauses.append("requested_at >= ?")
            params.append(self.start)
        if self.end is not None:
            clauses.append("requested_at <= ?")
            params.append(self.end)
        return (" WHERE " + " AND ".join(clauses) if clauses else ""), params


def _in(
    column: str, values: Sequence[str], clauses: list[str], params: list[Any]
) -> tuple[str, list[Any]]:
    clauses.append(f"{column} IN ({', '.join('?' for _ in values)})")
    params.extend(values)
    return " WHERE " + " AND ".join(clauses), params


def statements_for(event: Any) -> list[Statement]:
    ticket_id = str(event.originator_id)
    at = timestamp(event.timestamp)
    if isinstance(event, Ticket.Received):
        return [_insert(event, at)]
    if isinstance(event, Ticket.HolderChanged):
        return [
            (
                "UPDATE request_view SET agency = ?, updated_at = ? WHERE ticket_id = ?",
                (event.unit_name, at, ticket_id),
            )
        ]
    if isinstance(event, Ticket.StatusChanged):
        return [_status(ticket_id, event.extended_status, event.note, at)]
    if isinstance(event, Ticket.Withdrawn):
        return [_status(ticket_id, "withdrawn", "withdrawn by the citizen", at)]
    if isinstance(event, Ticket.Supplemented):
        return [("UPDATE request_view SET updated_at = ? WHERE ticket_id = ?", (at, ticket_id))]
    return []


def _status(ticket_id: str, extended: str, note: str | None, at: str) -> Statement:
    return (
        "UPDATE request_view SET status = ?, extended_status = ?, status_notes = ?, updated_at = ?"
        " WHERE ticket_id = ?",
        (open311_status(extended), extended, note, at, ticket_id),
    )


def _insert(event: Any, at: str) -> Statement:
    consent = bool(event.publication_consent)
    area = " ".join(part for part in (event.district, event.street) if part) or None
    photos = [item["url"] for item in event.attachments if item.get("media_type") == "image"]
    values = (
        str(event.originator_id),
        event.category_hint,
        "open",
        "open",
        None,
        mask_numbers(event.description) if consent else None,
        (mask_numbers(event.address) if event.address else area) if consent else area,
        event.latitude if consent else None,
        event.longitude if consent else None,
        photos[0] if consent and photos else None,
        None,
        at,
        at,
    )
    placeholders = ", ".join("?" for _ in values)
    return (
        f"INSERT INTO request_view ({COLUMNS}) VALUES ({placeholders})"  # noqa: S608 - fixed columns
        " ON CONFLICT (ticket_id) DO NOTHING",
        values,
    )
