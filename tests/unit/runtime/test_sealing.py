"""Sealing personal data: round trips, tamper detection, crypto-shredding, pseudonyms."""

from __future__ import annotations

import base64
import json
import os
import stat
from pathlib import Path

import pytest

from hotline.runtime.sealing import (
    InsecureFileError,
    KeyRing,
    SealedDict,
    SealingError,
    load_keyring,
    pseudonym,
)

TEXT = "张三，手机 13800138000，住址：人民路 12 号"


def test_round_trip_chinese_text() -> None:
    ring = KeyRing.generate()
    sealed = ring.seal(TEXT, associated_data=b"ticket-1")
    assert set(sealed) == {"key_id", "nonce", "ciphertext"}
    assert "13800138000" not in json.dumps(sealed, ensure_ascii=False)
    assert ring.open(sealed, associated_data=b"ticket-1") == TEXT


def test_nonces_are_fresh() -> None:
    ring = KeyRing.generate()
    assert ring.seal(TEXT)["ciphertext"] != ring.seal(TEXT)["ciphertext"]


def test_tamper_and_wrong_context_raise() -> None:
    ring = KeyRing.generate()
    sealed = ring.seal(TEXT, b"ticket-1")
    flipped = bytearray(base64.b64decode(sealed["ciphertext"]))
    flipped[0] ^= 1
    tampered = SealedDict(
        key_id=sealed["key_id"],
        nonce=sealed["nonce"],
        ciphertext=base64.b64encode(flipped).decode(),
    )
    with pytest.raises(SealingError, match="tampered"):
        ring.open(tampered, b"ticket-1")
    with pytest.raises(SealingError):
        ring.open(sealed, b"ticket-2")
    with pytest.raises(SealingError, match="malformed"):
        ring.open({"key_id": sealed["key_id"]})


def test_wrong_key_raises() -> None:
    sealed = KeyRing.generate().seal(TEXT)
    other = KeyRing({sealed["key_id"]: os.urandom(32)}, sealed["key_id"])
    with pytest.raises(SealingError):
        other.open(sealed)


def test_forget_shreds() -> None:
    ring = KeyRing.generate()
    sealed = ring.seal(TEXT)
    old = ring.current
    assert old is not None
    new = ring.rotate()
    still = ring.seal("李四")
    ring.forget(old)
    with pytest.raises(SealingError, match="forgotten"):
        ring.open(sealed)
    assert ring.open(still) == "李四" and ring.current == new
    ring.forget(new)
    with pytest.raises(SealingError, match="no current key"):
        ring.seal("x")


def test_file_created_0600_reloaded_and_insecure_refused(tmp_path: Path) -> None:
    path = tmp_path / "keys.json"
    ring = KeyRing.load_or_create(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    reloaded = KeyRing.load_or_create(path)
    assert reloaded.open(ring.seal(TEXT)) == TEXT
    secret = json.loads(path.read_text())["keys"][ring.current]
    assert secret not in repr(ring)
    os.chmod(path, 0o644)
    with pytest.raises(InsecureFileError):
        KeyRing.load_or_create(path)


def test_forget_persists_after_save(tmp_path: Path) -> None:
    path = tmp_path / "keys.json"
    ring = KeyRing.load_or_create(path)
    sealed = ring.seal(TEXT)
    assert ring.current is not None
    ring.forget(ring.current)
    ring.rotate()
    ring.save(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    with pytest.raises(SealingError):
        KeyRing.load_or_create(path).open(sealed)


def test_env_takes_precedence(tmp_path: Path) -> None:
    source = KeyRing.generate()
    ring, path, created = load_keyring(tmp_path, {"HOTLINE_PERSONAL_DATA_KEYS": source.to_json()})
    assert (path, created) == (None, False)
    assert ring.open(source.seal(TEXT)) == TEXT
    _, file_path, file_created = load_keyring(tmp_path, {})
    assert file_created and file_path is not None and file_path.exists()
    _, _, again = load_keyring(tmp_path, {})
    assert not again


@pytest.mark.parametrize("value", ["nope", "{}", '{"current": "a", "keys": {"a": "c2hvcnQ="}}'])
def test_bad_env_value_is_a_clear_error(value: str) -> None:
    with pytest.raises(SealingError):
        KeyRing.from_env(value)


def test_pseudonym_stable_and_distinct() -> None:
    key = os.urandom(32)
    first = pseudonym("13800138000", key)
    assert first == pseudonym("13800138000", key)
    assert len(first) == 32 and int(first, 16) >= 0
    assert first != pseudonym("13800138001", key)
    assert first != pseudonym("13800138000", os.urandom(32))

    ring = KeyRing.generate()
    assert ring.pseudonym("13800138000") == ring.pseudonym("13800138000")
    assert ring.pseudonym("13800138000") != ring.pseudonym("13900139000")
    current = ring.current
    assert current is not None
    # A derived key, not the sealing key itself.
    raw = base64.b64decode(json.loads(ring.to_json())["keys"][current])
    assert ring.pseudonym("x") != pseudonym("x", raw)
