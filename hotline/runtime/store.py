"""Each service's own append-only event log, on SQLite or PostgreSQL.

The `eventsourcing` library does the storing. Two choices here matter:

* The application uses a *process recorder* whose tracking table keeps one row per
  processed upstream (source, position) — ``SINGLE_ROW_TRACKING=no`` — so the
  tracking table is the inbox: a row is written in the same transaction as the
  events that processing produced, and its primary key makes a second recording of
  the same upstream event impossible. The library's default single-row tracking
  assumes positions arrive in increasing order, which Kafka only guarantees within
  one partition.
* The outbox relay keeps its progress in the same table under its own name, so its
  progress lives with the events it publishes.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Any
from uuid import UUID

import psycopg
from eventsourcing.application import AggregateNotFoundError
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import Notification, Tracking
from eventsourcing.projection import EventSourcedProjection
from psycopg import sql

from hotline.settings import Settings

RELAY_TRACKING_PREFIX = "relay:"


def store_environment(settings: Settings, service: str) -> dict[str, str]:
    """The eventsourcing environment for one service's store."""
    common = {
        "SINGLE_ROW_TRACKING": "no",
        # Not read by eventsourcing: where the service keeps files beside its log
        # (models, published files), so an application need not be handed Settings.
        "HOTLINE_DATA_DIR": str(settings.data_dir),
        "HOTLINE_SERVICE_DATA_DIR": str(settings.service_data_dir(service)),
    }
    if settings.store == "sqlite":
        folder = settings.service_data_dir(service)
        folder.mkdir(parents=True, exist_ok=True)
        return common | {
            "PERSISTENCE_MODULE": "eventsourcing.sqlite",
            "SQLITE_DBNAME": str(folder / "events.sqlite"),
            "SQLITE_LOCK_TIMEOUT": "30",
        }
    return common | {
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "POSTGRES_DBNAME": settings.postgres_dbname,
        "POSTGRES_HOST": settings.postgres_host,
        "POSTGRES_PORT": str(settings.postgres_port),
        "POSTGRES_USER": settings.postgres_user,
        "POSTGRES_PASSWORD": settings.postgres_password,
        "POSTGRES_SCHEMA": settings.postgres_schema(service),
        "POSTGRES_POOL_SIZE": str(settings.postgres_pool_size),
        "POSTGRES_CONNECT_TIMEOUT": "10",
    }


def postgres_conninfo(settings: Settings) -> str:
    return psycopg.conninfo.make_conninfo(
        host=settings.postgres_host,
        port=settings.postgres_port,
        user=settings.postgres_user,
        password=settings.postgres_password or None,
        dbname=settings.postgres_dbname,
        connect_timeout=10,
    )


def prepare_store(settings: Settings, service: str) -> None:
    """Create what the library does not: the service's PostgreSQL schema."""
    if settings.store != "postgres":
        return
    with psycopg.connect(postgres_conninfo(settings), autocommit=True) as conn:
        conn.execute(
            sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(
                sql.Identifier(settings.postgres_schema(service))
            )
        )


class ServiceApplication(EventSourcedProjection[UUID]):
    """Base of every service's application: an event-sourced projection of upstream events.

    Subclasses implement ``policy(event, processing_event)`` for the integration events
    they consume, and plain methods for their HTTP commands.
    """

    def __init__(self, env: dict[str, str] | None = None) -> None:
        super().__init__(env)
        self._listeners: list[Callable[[], None]] = []
        self._listeners_lock = threading.Lock()

    # --- notifications of new events (wakes the relay) -------------------------------

    def add_listener(self, listener: Callable[[], None]) -> None:
        with self._listeners_lock:
            self._listeners.append(listener)

    def _notify(self, recordings: list[Any]) -> None:
        super()._notify(recordings)
        if recordings:
            for listener in list(self._listeners):
                listener()

    # --- aggregates ---------------------------------------------------------------------

    def find(self, aggregate_id: UUID) -> Aggregate | None:
        try:
            found: Aggregate = self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            return None
        return found

    def history(self, aggregate_id: UUID) -> list[Any]:
        """Every stored event of one aggregate, oldest first."""
        return list(self.events.get(aggregate_id))

    # --- inbox --------------------------------------------------------------------------

    def has_processed(self, source: str, position: int) -> bool:
        """Whether this exact upstream (source, position) was recorded before."""
        return bool(self._tracking_rows(source, position))

    def processed_positions(self, source: str) -> list[int]:
        """Every upstream position of `source` this service recorded, in order."""
        return self._tracking_rows(source)

    # --- outbox relay progress ------------------------------------------------------------

    def relay_position(self, topic: str) -> int:
        return int(self.recorder.max_tracking_id(RELAY_TRACKING_PREFIX + topic) or 0)

    def record_relay_position(self, topic: str, position: int) -> None:
        if position > self.relay_position(topic):
            self.recorder.insert_tracking(Tracking(RELAY_TRACKING_PREFIX + topic, position))

    def notifications_after(self, position: int, limit: int) -> Sequence[Notification]:
        result: Sequence[Notification] = self.recorder.select_notifications(
            start=position, limit=limit, inclusive_of_start=False
        )
        return result

    def max_position(self) -> int:
        return int(self.recorder.max_notification_id() or 0)

    def close(self) -> None:
        self.factory.close()

    def _tracking_rows(self, name: str, position: int | None = None) -> list[int]:
        """Tracking rows of one upstream name (optionally just one position), in order."""
        recorder: Any = self.recorder
        datastore: Any = recorder.datastore
        only_position = position is not None
        if hasattr(datastore, "schema"):  # PostgreSQL
            query = (_PG_ONE_POSITION if only_position else _PG_ALL_POSITIONS).format(
                sql.Identifier(datastore.schema), sql.Identifier(recorder.tracking_table_name)
            )
            with datastore.get_connection() as conn, conn.cursor() as cursor:
                cursor.execute(query, (name, position) if only_position else (name,))
                return [int(row["notification_id"]) for row in cursor.fetchall()]
        with datastore.transaction(commit=False) as cursor:
            if only_position:
                cursor.execute(_SQLITE_ONE_POSITION, (name, position))
            else:
                cursor.execute(_SQLITE_ALL_POSITIONS, (name,))
            return [int(row["notification_id"]) for row in cursor.fetchall()]


_PG_ALL_POSITIONS = sql.SQL(
    "SELECT notification_id FROM {}.{} WHERE application_name = %s ORDER BY notification_id"
)
_PG_ONE_POSITION = sql.SQL(
    "SELECT notification_id FROM {}.{} WHERE application_name = %s AND notification_id = %s"
)
_SQLITE_ALL_POSITIONS = (
    "SELECT notification_id FROM tracking WHERE application_name = ? ORDER BY notification_id"
)
_SQLITE_ONE_POSITION = (
    "SELECT notification_id FROM tracking WHERE application_name = ? AND notification_id = ?"
)
