"""Intake's own small tables beside its event log: citizen keys and the public request view.

Why outside the event log: a citizen's key must be *deletable* (crypto-shredding),
which an append-only log never allows, and the Open311 list needs SQL filters and
paging. The tables live in intake's own store — a sibling SQLite file, or intake's
PostgreSQL schema — found from the same environment the event store uses.

SQL is written once with `?` placeholders; the PostgreSQL side translates them.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol

import psycopg
from psycopg_pool import ConnectionPool

SIDE_FILENAME = "intake-private.sqlite"
Row = tuple[Any, ...]


Statements = Sequence[tuple[str, Sequence[Any]]]


class SideStore(Protocol):
    """A transaction runs `statements` in order and returns the rows of the last query."""

    def ensure_schema(self, statements: Sequence[str]) -> None: ...
    def run(self, statements: Statements) -> list[Row]: ...
    def close(self) -> None: ...


class _SchemaOnFirstUse:
    """Creates the tables before the first transaction, not on construction.

    Why: tools open intake's application briefly (tests, the CLI); a store that
    connects only when used takes no database connection from them. A lock keeps
    two threads from racing `CREATE TABLE IF NOT EXISTS`, which PostgreSQL does not
    make safe.
    """

    def __init__(self) -> None:
        self._schema: list[str] = []
        self._schema_ready = False
        self._schema_lock = threading.Lock()

    def ensure_schema(self, statements: Sequence[str]) -> None:
        with self._schema_lock:
            self._schema.extend(statements)
            self._schema_ready = False

    def run(self, statements: Statements) -> list[Row]:
        if not self._schema_ready:
            with self._schema_lock:
                if not self._schema_ready:
                    self._transaction([(statement, ()) for statement in self._schema])
                    self._schema_ready = True
        return self._transaction(statements)

    def _transaction(self, statements: Statements) -> list[Row]:
        raise NotImplementedError


class SqliteSideStore(_SchemaOnFirstUse):
    def __init__(self, path: str) -> None:
        super().__init__()
        self._conn = sqlite3.connect(
            path, check_same_thread=False, isolation_level=None, timeout=30
        )
        self._lock = threading.Lock()
        if path != ":memory:":
            self._conn.execute("PRAGMA journal_mode=WAL")

    def _transaction(self, statements: Statements) -> list[Row]:
        with self._lock:
            cursor = self._conn.cursor()
            cursor.execute("BEGIN IMMEDIATE")
            try:
                rows: list[Row] = []
                for statement, params in statements:
                    cursor.execute(statement, tuple(params))
                    rows = cursor.fetchall() if cursor.description else rows
                cursor.execute("COMMIT")
            except BaseException:
                cursor.execute("ROLLBACK")
                raise
            return rows

    def close(self) -> None:
        with self._lock:
            self._conn.close()


class PostgresSideStore(_SchemaOnFirstUse):
    def __init__(self, conninfo: str, schema: str) -> None:
        super().__init__()
        options = f"-c search_path={schema}"
        # Small and lazy: PostgreSQL's connection slots are shared with the event store.
        self._pool = ConnectionPool(
            conninfo,
            min_size=0,
            max_size=2,
            max_idle=60,
            kwargs={"options": options},
            open=True,
        )

    def _transaction(self, statements: Statements) -> list[Row]:
        rows: list[Row] = []
        with self._pool.connection() as conn, conn.transaction(), conn.cursor() as cursor:
            for statement, params in statements:
                cursor.execute(statement.replace("?", "%s"), tuple(params))
                rows = list(cursor.fetchall()) if cursor.description else rows
        return rows

    def close(self) -> None:
        self._pool.close()


def side_store_for(env: Mapping[str, str]) -> SideStore:
    """The side store next to the event store that `env` (eventsourcing's) describes."""
    module = env.get("PERSISTENCE_MODULE", "")
    if module.endswith("sqlite"):
        return SqliteSideStore(str(Path(env["SQLITE_DBNAME"]).with_name(SIDE_FILENAME)))
    if module.endswith("postgres"):
        conninfo = psycopg.conninfo.make_conninfo(
            host=env["POSTGRES_HOST"],
            port=env.get("POSTGRES_PORT", "5432"),
            user=env["POSTGRES_USER"],
            password=env.get("POSTGRES_PASSWORD") or None,
            dbname=env["POSTGRES_DBNAME"],
            connect_timeout=10,
        )
        return PostgresSideStore(conninfo, env.get("POSTGRES_SCHEMA", "public"))
    return SqliteSideStore(":memory:")
