"""Tamper evidence for a service's event log: a hash chain and Merkle tree heads.

Each stored event gets a chain entry in the service's own database, beside the log:
``event_hash`` is the RFC 9162 leaf hash of exactly what is stored (notification id,
originator id and version, topic, state bytes) and ``chain_hash`` links it to the
entry before it. Every ``TREE_HEAD_EVERY_EVENTS`` events or ``TREE_HEAD_EVERY_SECONDS``
seconds a Merkle tree head (RFC 9162 §2.1) over the chained event hashes is recorded.
Crypto-shredding a citizen's key changes nothing stored, so it never breaks the chain.

The ``chain_sealer`` worker extends the chain in log order shortly after events are
recorded. Verification (``hotline.audit.verify``) recomputes everything from the log.
The Merkle functions here are pure; the chain store is the only I/O.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import psycopg
import structlog
from psycopg import sql

from hotline.runtime.clock import Clock, SystemClock
from hotline.runtime.store import ServiceApplication, postgres_conninfo, store_environment
from hotline.settings import Settings

if TYPE_CHECKING:
    from hotline.runtime.host import RunningService

log = structlog.get_logger(__name__)

TREE_HEAD_EVERY_EVENTS = 1000
"""Record a tree head once this many events were chained since the last one…"""
TREE_HEAD_EVERY_SECONDS = 60.0
"""…or once this much time passed with unheaded events."""
SEAL_BATCH = 1000
SEAL_IDLE_SECONDS = 0.5
GENESIS = bytes(32)
"""The chain hash "before" the first event."""
LEAF_PREFIX = b"\x00"
NODE_PREFIX = b"\x01"


class StoredEvent(Protocol):
    """What a notification of the log holds (eventsourcing's ``Notification``)."""

    @property
    def id(self) -> int: ...
    @property
    def originator_id(self) -> Any: ...
    @property
    def originator_version(self) -> int: ...
    @property
    def topic(self) -> str: ...
    @property
    def state(self) -> bytes: ...


@dataclass(frozen=True)
class ChainEntry:
    position: int
    event_hash: bytes
    chain_hash: bytes


@dataclass(frozen=True)
class TreeHead:
    tree_size: int
    root_hash: bytes
    recorded_at: datetime


# -- hashing (pure) -----------------------------------------------------------------


def _field(value: bytes) -> bytes:
    """Length-prefixed, so no two different field lists encode to the same bytes."""
    return len(value).to_bytes(8, "big") + value


def leaf_data(position: int, originator_id: Any, version: int, topic: str, state: bytes) -> bytes:
    """The canonical bytes of one stored event: what the leaf hash commits to."""
    return b"".join(
        _field(part)
        for part in (
            str(position).encode(),
            str(originator_id).encode(),
            str(version).encode(),
            topic.encode(),
            bytes(state),
        )
    )


def event_hash_at(position: int, event: StoredEvent) -> bytes:
    """The leaf hash of ``event`` as if it were stored at ``position``."""
    data = leaf_data(
        position, event.originator_id, event.originator_version, event.topic, event.state
    )
    return hashlib.sha256(LEAF_PREFIX + data).digest()


def event_hash(event: StoredEvent) -> bytes:
    """RFC 9162 leaf hash: SHA-256(0x00 || stored fields)."""
    return event_hash_at(event.id, event)


def link(previous_chain_hash: bytes, leaf_hash: bytes) -> bytes:
    """chain_hash = SHA-256(previous chain_hash || event_hash)."""
    return hashlib.sha256(previous_chain_hash + leaf_hash).digest()


def chain_entries(events: Sequence[StoredEvent], previous: bytes = GENESIS) -> list[ChainEntry]:
    """The chain entries of ``events`` (in log order) following ``previous``."""
    entries = []
    for event in events:
        leaf = event_hash(event)
        previous = link(previous, leaf)
        entries.append(ChainEntry(event.id, leaf, previous))
    return entries


def node(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(NODE_PREFIX + left + right).digest()


def merkle_root(leaves: Sequence[bytes]) -> bytes:
    """RFC 9162 MTH over leaf hashes (already 0x00-prefixed hashes of the data)."""
    if not leaves:
        return hashlib.sha256(b"").digest()
    if len(leaves) == 1:
        return leaves[0]
    split = _largest_power_of_two_below(len(leaves))
    return node(merkle_root(leaves[:split]), merkle_root(leaves[split:]))


def prefix_roots(leaves: Sequence[bytes], sizes: Sequence[int]) -> dict[int, bytes]:
    """The MTH of every prefix size in ``sizes``, in one pass over the leaves.

    Why: verification checks every recorded head; recomputing each from scratch is
    quadratic. A stack of perfect-subtree roots (one per set bit of the size) is the
    tree's compact range; folding it right to left gives the root of that prefix.
    """
    wanted = set(sizes)
    roots: dict[int, bytes] = {}
    if 0 in wanted:
        roots[0] = merkle_root(())
    stack: list[tuple[int, bytes]] = []  # (subtree size, root)
    for count, leaf in enumerate(leaves, start=1):
        stack.append((1, leaf))
        while len(stack) > 1 and stack[-1][0] == stack[-2][0]:
            (size, right), (_, left) = stack.pop(), stack.pop()
            stack.append((size * 2, node(left, right)))
        if count in wanted:
            root = stack[-1][1]
            for _, left in reversed(stack[:-1]):
                root = node(left, root)
            roots[count] = root
    return roots


def inclusion_proof(index: int, leaves: Sequence[bytes]) -> list[bytes]:
    """RFC 9162 §2.1.3.1 PATH(m, D[n]): the audit path of leaf ``index`` (0-based)."""
    if not 0 <= index < len(leaves):
        raise ValueError(f"leaf {index} is not in a tree of size {len(leaves)}")
    if len(leaves) == 1:
        return []
    split = _largest_power_of_two_below(len(leaves))
    if index < split:
        return [*inclusion_proof(index, leaves[:split]), merkle_root(leaves[split:])]
    return [*inclusion_proof(index - split, leaves[split:]), merkle_root(leaves[:split])]


def verify_inclusion(
    index: int, tree_size: int, leaf_hash: bytes, proof: Sequence[bytes], root: bytes
) -> bool:
    """RFC 9162 §2.1.3.2: whether ``proof`` shows leaf ``index`` is in the tree ``root``."""
    if index >= tree_size:
        return False
    fn, sn, result = index, tree_size - 1, leaf_hash
    for sibling in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            result = node(sibling, result)
            if not fn & 1:
                while fn & 1 == 0 and fn != 0:
                    fn, sn = fn >> 1, sn >> 1
        else:
            result = node(result, sibling)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and result == root


def _largest_power_of_two_below(n: int) -> int:
    """The largest power of two strictly less than ``n`` (n >= 2)."""
    return 1 << ((n - 1).bit_length() - 1)


# -- the chain store ----------------------------------------------------------------


class ChainStore(Protocol):
    """The side tables beside a service's log (SQLite file or PostgreSQL schema)."""

    def create_tables(self) -> None: ...
    def last_entry(self) -> tuple[ChainEntry | None, int]:
        """The last chain entry and how many entries there are."""
        ...

    def append(self, entries: Sequence[ChainEntry]) -> None: ...
    def entries(self) -> list[ChainEntry]: ...
    def heads(self) -> list[TreeHead]: ...
    def record_head(self, head: TreeHead) -> None: ...


class SqliteChainStore:
    def __init__(self, path: Path) -> None:
        self._path = path

    @contextmanager
    def _cursor(self) -> Iterator[sqlite3.Cursor]:
        connection = sqlite3.connect(self._path, timeout=30)
        try:
            with connection:
                yield connection.cursor()
        finally:
            connection.close()

    def create_tables(self) -> None:
        with self._cursor() as cursor:
            cursor.execute(
                "CREATE TABLE IF NOT EXISTS audit_chain (position INTEGER PRIMARY KEY, "
                "event_hash BLOB NOT NULL, chain_hash BLOB NOT NULL)"
            )
            cursor.execute(
                "CREATE TABLE IF NOT EXISTS audit_tree_heads (tree_size INTEGER PRIMARY KEY, "
                "root_hash BLOB NOT NULL, recorded_at TEXT NOT NULL)"
            )

    def last_entry(self) -> tuple[ChainEntry | None, int]:
        with self._cursor() as cursor:
            count = cursor.execute("SELECT COUNT(*) FROM audit_chain").fetchone()[0]
            row = cursor.execute(
                "SELECT position, event_hash, chain_hash FROM audit_chain "
                "ORDER BY position DESC LIMIT 1"
            ).fetchone()
        return (ChainEntry(row[0], bytes(row[1]), bytes(row[2])) if row else None), int(count)

    def append(self, entries: Sequence[ChainEntry]) -> None:
        with self._cursor() as cursor:
            cursor.executemany(
                "INSERT OR IGNORE INTO audit_chain VALUES (?, ?, ?)",
                [(e.position, e.event_hash, e.chain_hash) for e in entries],
            )

    def entries(self) -> list[ChainEntry]:
        with self._cursor() as cursor:
            rows = cursor.execute(
                "SELECT position, event_hash, chain_hash FROM audit_chain ORDER BY position"
            ).fetchall()
        return [ChainEntry(int(p), bytes(e), bytes(c)) for p, e, c in rows]

    def heads(self) -> list[TreeHead]:
        with self._cursor() as cursor:
            rows = cursor.execute(
                "SELECT tree_size, root_hash, recorded_at FROM audit_tree_heads ORDER BY tree_size"
            ).fetchall()
        return [TreeHead(int(s), bytes(r), datetime.fromisoformat(t)) for s, r, t in rows]

    def record_head(self, head: TreeHead) -> None:
        with self._cursor() as cursor:
            cursor.execute(
                "INSERT OR IGNORE INTO audit_tree_heads VALUES (?, ?, ?)",
                (head.tree_size, head.root_hash, head.recorded_at.isoformat()),
            )


class PostgresChainStore:
    def __init__(self, conninfo: str, schema: str) -> None:
        self._conninfo = conninfo
        self._schema = sql.Identifier(schema)

    @contextmanager
    def _cursor(self) -> Iterator[psycopg.Cursor[Any]]:
        with psycopg.connect(self._conninfo) as connection, connection.cursor() as cursor:
            yield cursor

    def _q(self, text: str) -> sql.Composed:
        return sql.SQL(text).format(schema=self._schema)

    def create_tables(self) -> None:
        with self._cursor() as cursor:
            # Two processes creating the same table at once make PostgreSQL's
            # IF NOT EXISTS fail on its catalogue; a transaction lock serialises them.
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext('hotline.audit_chain'))")
            cursor.execute(self._q("CREATE SCHEMA IF NOT EXISTS {schema}"))
            cursor.execute(
                self._q(
                    "CREATE TABLE IF NOT EXISTS {schema}.audit_chain (position bigint PRIMARY KEY, "
                    "event_hash bytea NOT NULL, chain_hash bytea NOT NULL)"
                )
            )
            cursor.execute(
                self._q(
                    "CREATE TABLE IF NOT EXISTS {schema}.audit_tree_heads ("
                    "tree_size bigint PRIMARY KEY, root_hash bytea NOT NULL, "
                    "recorded_at timestamptz NOT NULL)"
                )
            )

    def last_entry(self) -> tuple[ChainEntry | None, int]:
        with self._cursor() as cursor:
            cursor.execute(self._q("SELECT COUNT(*) FROM {schema}.audit_chain"))
            count_row = cursor.fetchone()
            cursor.execute(
                self._q(
                    "SELECT position, event_hash, chain_hash FROM {schema}.audit_chain "
                    "ORDER BY position DESC LIMIT 1"
                )
            )
            row = cursor.fetchone()
        count = int(count_row[0]) if count_row else 0
        return (ChainEntry(row[0], bytes(row[1]), bytes(row[2])) if row else None), count

    def append(self, entries: Sequence[ChainEntry]) -> None:
        with self._cursor() as cursor:
            cursor.executemany(
                self._q(
                    "INSERT INTO {schema}.audit_chain VALUES (%s, %s, %s) ON CONFLICT DO NOTHING"
                ),
                [(e.position, e.event_hash, e.chain_hash) for e in entries],
            )

    def entries(self) -> list[ChainEntry]:
        with self._cursor() as cursor:
            cursor.execute(
                self._q(
                    "SELECT position, event_hash, chain_hash FROM {schema}.audit_chain "
                    "ORDER BY position"
                )
            )
            rows = cursor.fetchall()
        return [ChainEntry(int(p), bytes(e), bytes(c)) for p, e, c in rows]

    def heads(self) -> list[TreeHead]:
        with self._cursor() as cursor:
            cursor.execute(
                self._q(
                    "SELECT tree_size, root_hash, recorded_at FROM {schema}.audit_tree_heads "
                    "ORDER BY tree_size"
                )
            )
            rows = cursor.fetchall()
        return [TreeHead(int(s), bytes(r), t) for s, r, t in rows]

    def record_head(self, head: TreeHead) -> None:
        with self._cursor() as cursor:
            cursor.execute(
                self._q(
                    "INSERT INTO {schema}.audit_tree_heads VALUES (%s, %s, %s) "
                    "ON CONFLICT DO NOTHING"
                ),
                (head.tree_size, head.root_hash, head.recorded_at),
            )


def chain_store(settings: Settings, service: str) -> ChainStore:
    """The chain store of one service, in the same database as its events."""
    if settings.store == "sqlite":
        return SqliteChainStore(Path(store_environment(settings, service)["SQLITE_DBNAME"]))
    return PostgresChainStore(postgres_conninfo(settings), settings.postgres_schema(service))


# -- sealing ------------------------------------------------------------------------


class Sealer:
    """Extends one service's chain in log order and records tree heads when due."""

    def __init__(self, application: ServiceApplication, store: ChainStore, clock: Clock) -> None:
        self._app = application
        self._store = store
        self._clock = clock
        store.create_tables()
        last, self.size = store.last_entry()
        self.position = last.position if last else 0
        self._chain_hash = last.chain_hash if last else GENESIS
        heads = store.heads()
        self._head_size = heads[-1].tree_size if heads else 0
        self._head_at = heads[-1].recorded_at if heads else clock.now()

    def seal(self) -> int:
        """Chain every event recorded past the chain's end; returns how many."""
        sealed = 0
        while batch := self._app.notifications_after(self.position, SEAL_BATCH):
            entries = chain_entries(batch, self._chain_hash)
            self._store.append(entries)
            self._chain_hash = entries[-1].chain_hash
            self.position = entries[-1].position
            self.size += len(entries)
            sealed += len(entries)
        return sealed

    def record_head_if_due(self, *, force: bool = False) -> TreeHead | None:
        """Record a tree head after enough events or enough time; returns it if recorded."""
        unheaded = self.size - self._head_size
        now = self._clock.now()
        waited = (now - self._head_at).total_seconds()
        due = unheaded >= TREE_HEAD_EVERY_EVENTS or waited >= TREE_HEAD_EVERY_SECONDS
        if unheaded <= 0 or not (due or force):
            return None
        leaves = [entry.event_hash for entry in self._store.entries()[: self.size]]
        head = TreeHead(self.size, merkle_root(leaves), now)
        self._store.record_head(head)
        self._head_size, self._head_at = head.tree_size, now
        return head

    def step(self) -> int:
        sealed = self.seal()
        self.record_head_if_due()
        return sealed


async def chain_sealer(running: RunningService, stopping: asyncio.Event) -> None:
    """Worker every service runs: chain new events shortly after they are recorded.

    On stop it seals what is left and records a final tree head, so a clean shutdown
    leaves the whole log covered by a head.
    """
    store = chain_store(running.settings, running.spec.name)
    sealer: Sealer | None = None
    while not stopping.is_set():
        try:
            # Built inside the loop: the database may be away when the service starts.
            if sealer is None:
                sealer = await asyncio.to_thread(Sealer, running.application, store, SystemClock())
            await asyncio.to_thread(sealer.step)
        except Exception:
            log.exception("chain.seal_failed", service=running.spec.name)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stopping.wait(), SEAL_IDLE_SECONDS)
    if sealer is None:
        return
    try:
        await asyncio.to_thread(sealer.seal)
        await asyncio.to_thread(sealer.record_head_if_due, force=True)
    except Exception:
        log.exception("chain.final_seal_failed", service=running.spec.name)
