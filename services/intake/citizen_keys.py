"""One AES-GCM data key per citizen, wrapped by the master key ring, deletable on request.

A citizen's contact data is sealed under their own data key; the data key is kept
only wrapped (sealed by the platform's master `KeyRing`) in the `citizen_keys`
table beside the event log. `forget(citizen_ref)` deletes the wrapped keys, after
which every copy of that citizen's sealed fields — in the event log, on every
Kafka topic and replica, in backups of either — is unreadable, while the log
itself stays append-only (PIPL deletion by crypto-shredding).

Keys are never cached: a key forgotten by the CLI in another process is gone for
the running service at once.
"""

from __future__ import annotations

import base64
import json
import secrets
from collections.abc import Mapping

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from hotline.runtime.sealing import KeyRing, SealedDict, SealingError
from services.intake.side_store import SideStore

CITIZEN_KEY_PREFIX = "c-"
SCHEMA = (
    "CREATE TABLE IF NOT EXISTS citizen_keys ("
    " key_id TEXT PRIMARY KEY,"
    " citizen_ref TEXT NOT NULL,"
    " wrapped TEXT NOT NULL,"
    " created_at TEXT NOT NULL)"
)
INDEX = "CREATE INDEX IF NOT EXISTS citizen_keys_by_ref ON citizen_keys (citizen_ref)"


class ForgottenError(SealingError):
    """The citizen's key was destroyed: their personal fields cannot be opened any more."""


class CitizenKeys:
    def __init__(self, store: SideStore) -> None:
        self._store = store
        store.ensure_schema([SCHEMA, INDEX])

    def seal(
        self, citizen_ref: str, plaintext: str, associated_data: bytes, master: KeyRing, now: str
    ) -> SealedDict:
        """Seal under the citizen's data key, creating (and wrapping) one on first use."""
        key_id, data_key = self._current_key(citizen_ref, master) or self._new_key(
            citizen_ref, master, now
        )
        return KeyRing({key_id: data_key}, key_id).seal(plaintext, associated_data)

    def open(
        self, sealed: SealedDict | Mapping[str, str], associated_data: bytes, master: KeyRing
    ) -> str:
        """Open a value sealed by `seal`; `ForgottenError` when the citizen was forgotten."""
        key_id = str(sealed.get("key_id", ""))
        rows = self._store.run([("SELECT wrapped FROM citizen_keys WHERE key_id = ?", (key_id,))])
        if not rows:
            raise ForgottenError(f"citizen key {key_id!r} does not exist or was forgotten")
        data_key = _unwrap(key_id, rows[0][0], master)
        return KeyRing({key_id: data_key}, key_id).open(sealed, associated_data)

    def forget(self, citizen_ref: str) -> int:
        """Destroy every key of the citizen; returns how many were destroyed."""
        deleted = self._store.run(
            [("DELETE FROM citizen_keys WHERE citizen_ref = ? RETURNING key_id", (citizen_ref,))]
        )
        return len(deleted)

    def _current_key(self, citizen_ref: str, master: KeyRing) -> tuple[str, bytes] | None:
        rows = self._store.run(
            [
                (
                    "SELECT key_id, wrapped FROM citizen_keys WHERE citizen_ref = ?"
                    " ORDER BY created_at DESC, key_id LIMIT 1",
                    (citizen_ref,),
                )
            ]
        )
        if not rows:
            return None
        key_id, wrapped = rows[0]
        return key_id, _unwrap(key_id, wrapped, master)

    def _new_key(self, citizen_ref: str, master: KeyRing, now: str) -> tuple[str, bytes]:
        key_id = CITIZEN_KEY_PREFIX + secrets.token_hex(8)
        data_key = AESGCM.generate_key(bit_length=256)
        wrapped = master.seal(base64.b64encode(data_key).decode("ascii"), _wrap_context(key_id))
        self._store.run(
            [
                (
                    "INSERT INTO citizen_keys (key_id, citizen_ref, wrapped, created_at)"
                    " VALUES (?, ?, ?, ?)",
                    (key_id, citizen_ref, json.dumps(wrapped), now),
                )
            ]
        )
        return key_id, data_key


def _unwrap(key_id: str, wrapped: str, master: KeyRing) -> bytes:
    return base64.b64decode(master.open(json.loads(wrapped), _wrap_context(key_id)))


def _wrap_context(key_id: str) -> bytes:
    """Binds a wrapped key to its id: a wrapped key copied onto another id refuses to open."""
    return f"citizen-key:{key_id}".encode()
