"""Sealing personal data (AES-GCM) so it never travels or is logged in clear.

Events carry a caller's phone number or name only as a `SealedDict`; whoever
needs the clear value opens it with the `KeyRing`. Forgetting a key
(crypto-shredding) makes every value sealed under it unreadable, which is how a
deletion request is honoured in an append-only event log. Repeat callers are
linked through a keyed `pseudonym` instead of the number itself.

This module also owns the small helpers that read and create secret files with
mode 0600, because the credentials file (auth.py) and the key ring share them.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import hmac
import json
import os
import secrets
import stat
from collections.abc import Mapping
from pathlib import Path
from typing import TypedDict

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

ENV_VAR = "HOTLINE_PERSONAL_DATA_KEYS"
KEYRING_FILENAME = "personal-data-keys.json"
KEY_BYTES = 32
NONCE_BYTES = 12
PSEUDONYM_HEX_CHARS = 32


class SealingError(Exception):
    """A value cannot be sealed or opened, or the key ring is unusable."""


class InsecureFileError(PermissionError):
    """A secret file is readable or writable by group or others."""


class SealedDict(TypedDict):
    """A sealed value as stored in events: all fields are base64 or plain ids."""

    key_id: str
    nonce: str
    ciphertext: str


# -- secret files --------------------------------------------------------------


def read_private_file(path: Path) -> str:
    """Read a secret file, refusing it if group/others have any access.

    The mode is checked on the opened descriptor, so the file checked is the one read.
    """
    fd = os.open(path, os.O_RDONLY)
    with os.fdopen(fd, "r", encoding="utf-8") as handle:
        mode = os.fstat(handle.fileno()).st_mode
        if mode & (stat.S_IRWXG | stat.S_IRWXO):
            raise InsecureFileError(
                f"{path} has mode {stat.S_IMODE(mode):04o}; secrets must not be accessible "
                f"to group or others. Run: chmod 600 {path}"
            )
        return handle.read()


def create_private_file(path: Path, text: str) -> bool:
    """Create `path` with mode 0600 holding `text`, unless it already exists.

    Returns False when another process created it first (the caller then reads
    theirs). The text goes to a 0600 temporary file that is hard-linked into
    place, so the file is never world-readable, never half-written, and two
    services starting at once cannot end up with different secrets.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    _write_new_private(tmp, text)
    try:
        os.link(tmp, path)
    except FileExistsError:
        return False
    finally:
        tmp.unlink()
    return True


def replace_private_file(path: Path, text: str) -> None:
    """Atomically overwrite `path` (mode 0600) with `text`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    _write_new_private(tmp, text)
    try:
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise


def _write_new_private(path: Path, text: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())


# -- pseudonyms ----------------------------------------------------------------


def pseudonym(value: str, key: bytes) -> str:
    """A stable keyed fingerprint of `value` (HMAC-SHA256, 128 bits as hex).

    Callers normalise the value first (e.g. strip spaces from a phone number);
    without the key the pseudonym cannot be reversed by hashing candidate numbers.
    """
    digest = hmac.new(key, value.encode("utf-8"), hashlib.sha256).hexdigest()
    return digest[:PSEUDONYM_HEX_CHARS]


# -- key ring ------------------------------------------------------------------


class KeyRing:
    """Named 256-bit AES-GCM keys; new values are sealed under the current one.

    Old keys stay so older events can still be opened; `forget` shreds one.
    """

    def __init__(self, keys: Mapping[str, bytes], current: str | None) -> None:
        for key_id, key in keys.items():
            if not key_id or len(key) != KEY_BYTES:
                raise SealingError(f"key {key_id!r} must be a non-empty id and {KEY_BYTES} bytes")
        if current is not None and current not in keys:
            raise SealingError(f"current key {current!r} is not in the key ring")
        self._keys = dict(keys)
        self._current = current
        self._pseudonym_key: tuple[str, bytes] | None = None

    def __repr__(self) -> str:
        return f"KeyRing(current={self._current!r}, key_ids={sorted(self._keys)!r})"

    @property
    def current(self) -> str | None:
        """Id of the key new values are sealed under (None after forgetting it)."""
        return self._current

    @property
    def key_ids(self) -> tuple[str, ...]:
        return tuple(self._keys)

    # construction / persistence

    @classmethod
    def generate(cls) -> KeyRing:
        key_id = _new_key_id()
        return cls({key_id: AESGCM.generate_key(bit_length=256)}, key_id)

    @classmethod
    def from_json(cls, text: str) -> KeyRing:
        """Parse `{"current": "<key_id>", "keys": {"<key_id>": "<base64>"}}`."""
        try:
            data = json.loads(text)
            raw_keys = data["keys"]
            current = data.get("current")
            if not isinstance(raw_keys, dict) or not (current is None or isinstance(current, str)):
                raise TypeError("keys must be an object and current a string")
            keys = {str(k): base64.b64decode(v, validate=True) for k, v in raw_keys.items()}
        except (ValueError, KeyError, TypeError, AttributeError, binascii.Error) as exc:
            raise SealingError(f"malformed key ring: {type(exc).__name__}") from None
        return cls(keys, current)

    @classmethod
    def from_env(cls, value: str) -> KeyRing:
        """Read the key ring from the `HOTLINE_PERSONAL_DATA_KEYS` value (same JSON)."""
        return cls.from_json(value)

    @classmethod
    def load_or_create(cls, path: Path) -> KeyRing:
        """Read the 0600 key-ring file, creating one with a fresh key if absent."""
        return _load_or_create(path)[0]

    def to_json(self) -> str:
        keys = {k: base64.b64encode(v).decode("ascii") for k, v in self._keys.items()}
        return json.dumps({"current": self._current, "keys": keys}, indent=2) + "\n"

    def save(self, path: Path) -> None:
        """Persist (0600, atomically) — needed for `forget`/`rotate` to outlive the process."""
        replace_private_file(path, self.to_json())

    # key management

    def rotate(self) -> str:
        """Add a fresh key, make it current, and return its id."""
        key_id = _new_key_id()
        self._keys[key_id] = AESGCM.generate_key(bit_length=256)
        self._current = key_id
        return key_id

    def forget(self, key_id: str) -> None:
        """Crypto-shred `key_id`: everything sealed under it becomes unreadable."""
        if self._keys.pop(key_id, None) is None:
            raise SealingError(f"unknown key id {key_id!r}")
        if self._current == key_id:
            self._current = None
        if self._pseudonym_key is not None and self._pseudonym_key[0] == key_id:
            self._pseudonym_key = None

    # sealing

    def seal(self, plaintext: str, associated_data: bytes = b"") -> SealedDict:
        """Encrypt under the current key with a random 96-bit nonce.

        `associated_data` (e.g. the ticket id) is authenticated, not stored: a
        sealed value copied onto another ticket will then refuse to open.
        """
        key_id = self._require_current()
        nonce = os.urandom(NONCE_BYTES)
        ciphertext = AESGCM(self._keys[key_id]).encrypt(
            nonce, plaintext.encode("utf-8"), associated_data
        )
        return SealedDict(key_id=key_id, nonce=_b64(nonce), ciphertext=_b64(ciphertext))

    def open(self, sealed: SealedDict | Mapping[str, str], associated_data: bytes = b"") -> str:
        """Decrypt a `SealedDict`; raises `SealingError` rather than returning garbage.

        Also accepts a plain mapping, as it comes back from JSON (mypy does not
        treat a TypedDict as a `Mapping[str, str]`, hence the union).
        """
        try:
            key_id = str(sealed["key_id"])
            nonce = base64.b64decode(sealed["nonce"], validate=True)
            ciphertext = base64.b64decode(sealed["ciphertext"], validate=True)
        except (KeyError, TypeError, ValueError, binascii.Error) as exc:
            raise SealingError(f"malformed sealed value: {type(exc).__name__}") from None
        key = self._keys.get(key_id)
        if key is None:
            raise SealingError(f"key {key_id!r} is unknown or has been forgotten")
        try:
            plaintext = AESGCM(key).decrypt(nonce, ciphertext, associated_data)
            return plaintext.decode("utf-8")
        except (InvalidTag, ValueError):
            raise SealingError(
                "sealed value failed authentication: wrong key, wrong associated data, or tampered"
            ) from None

    def pseudonym(self, value: str) -> str:
        """`pseudonym` keyed by an HKDF derivation of the current key (info b"pseudonym").

        A separate derived key means a pseudonym never reveals anything about the
        sealing key. Note: rotating or forgetting the current key changes pseudonyms.
        """
        key_id = self._require_current()
        if self._pseudonym_key is None or self._pseudonym_key[0] != key_id:
            hkdf = HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=None, info=b"pseudonym")
            self._pseudonym_key = (key_id, hkdf.derive(self._keys[key_id]))
        return pseudonym(value, self._pseudonym_key[1])

    def _require_current(self) -> str:
        if self._current is None:
            raise SealingError("the key ring has no current key; call rotate() first")
        return self._current


def load_keyring(data_dir: Path, environ: Mapping[str, str]) -> tuple[KeyRing, Path | None, bool]:
    """The key ring from `HOTLINE_PERSONAL_DATA_KEYS`, else `<data_dir>/personal-data-keys.json`.

    Returns (key ring, file path or None when from the environment, created?).
    """
    value = environ.get(ENV_VAR)
    if value:
        return KeyRing.from_env(value), None, False
    path = data_dir / KEYRING_FILENAME
    ring, created = _load_or_create(path)
    return ring, path, created


def _load_or_create(path: Path) -> tuple[KeyRing, bool]:
    if not path.exists():
        ring = KeyRing.generate()
        if create_private_file(path, ring.to_json()):
            return ring, True
    return KeyRing.from_json(read_private_file(path)), False


def _new_key_id() -> str:
    return f"k-{secrets.token_hex(4)}"


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")
