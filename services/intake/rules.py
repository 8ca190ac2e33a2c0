"""Intake's checks of what citizens type: phone and ID numbers, URLs, text, coordinates.

Pure functions: each returns the normalised value or raises `ValueError` with a
sentence a caller can show as it is (pydantic turns it into the field's error).
"""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import urlsplit

MAX_URL_LENGTH = 2048
_MOBILE = re.compile(r"1[3-9]\d{9}")
_LANDLINE = re.compile(r"0\d{2,3}\d{7,8}")
_LANDLINE_EXTENSION = re.compile(r"(0\d{2,3})-?(\d{7,8})(?:-(\d{1,6}))?")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK_CHARS = "10X98765432"
_SEPARATORS = str.maketrans("", "", " ")
_ALLOWED_CONTROLS = frozenset("\t\n\r")


def clean_text(value: str) -> str:
    """Refuse control characters and unpaired surrogates, which no citizen types.

    Why: NUL cannot be stored in PostgreSQL text, and a lone surrogate cannot be
    encoded as UTF-8; either would fail late, after part of a request was handled.
    """
    for char in value:
        code = ord(char)
        if char in _ALLOWED_CONTROLS:
            continue
        if code < 0x20 or code == 0x7F:
            raise ValueError(f"contains a control character (U+{code:04X})")
        if 0xD800 <= code <= 0xDFFF:
            raise ValueError("contains an unpaired surrogate, which is not valid Unicode")
    return value


def normalise_phone(value: str) -> str:
    """A mainland mobile (11 digits, 1[3-9]…) or a landline with area code (0xx[x]-nnnnnnn[n]).

    Returns the digits only (landline extensions kept after a dash), so the same
    number typed two ways gives the same pseudonym.
    """
    compact = value.translate(_SEPARATORS)
    for prefix in ("+86", "0086"):
        if compact.startswith(prefix):
            compact = compact[len(prefix) :].lstrip("-")
    if _MOBILE.fullmatch(compact):
        return compact
    landline = _LANDLINE_EXTENSION.fullmatch(compact)
    if landline:
        area, number, extension = landline.groups()
        digits = area + number
        if _LANDLINE.fullmatch(digits):
            return digits + (f"-{extension}" if extension else "")
    raise ValueError(
        "is not a valid phone number: give an 11-digit mobile (e.g. 13800001234) "
        "or a landline with its area code (e.g. 0898-66123456)"
    )


def check_id_number(value: str) -> str:
    """An 18-character resident ID (居民身份证号): 17 digits, a real birth date, the check digit."""
    candidate = value.strip().upper()
    shaped = candidate[:17].isascii() and candidate[:17].isdigit()
    if len(candidate) != 18 or not shaped or candidate[17] not in _ID_CHECK_CHARS:
        raise ValueError(
            "must be an 18-character resident ID number (17 digits, then a digit or X)"
        )
    try:
        date(int(candidate[6:10]), int(candidate[10:12]), int(candidate[12:14]))
    except ValueError:
        raise ValueError("does not contain a real birth date (characters 7-14)") from None
    total = sum(
        int(digit) * weight for digit, weight in zip(candidate[:17], _ID_WEIGHTS, strict=True)
    )
    if candidate[17] != _ID_CHECK_CHARS[total % 11]:
        raise ValueError("has a wrong check digit (the last character)")
    return candidate


def check_url(value: str) -> str:
    """An absolute http(s) URL with a host: anything else is not a file we can fetch safely."""
    if len(value) > MAX_URL_LENGTH:
        raise ValueError(f"is longer than {MAX_URL_LENGTH} characters")
    if any(char.isspace() for char in value):
        raise ValueError("contains whitespace")
    try:
        parts = urlsplit(value)
        host = parts.hostname
    except ValueError:
        raise ValueError("is not a valid URL") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise ValueError("must be an http:// or https:// URL")
    if not host:
        raise ValueError("has no host name")
    return value


def check_coordinates(latitude: float | None, longitude: float | None) -> None:
    """Latitude and longitude come together, or not at all."""
    if (latitude is None) != (longitude is None):
        raise ValueError("latitude, longitude: must be given together")


_MOBILE_IN_TEXT = re.compile(r"(?<![\dA-Za-z])(?:\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?!\d)")
_LANDLINE_IN_TEXT = re.compile(r"(?<!\d)0\d{2,3}-\d{7,8}(?!\d)")
_ID_IN_TEXT = re.compile(r"(?<!\d)\d{17}[\dXx](?![\dA-Za-z])")
PHONE_MASK = "[电话]"
ID_MASK = "[身份证号]"


def mask_personal_numbers(text: str) -> str:
    """Replace phone and resident-ID numbers that citizens type into free text.

    Why: the text is published to every service and kept in an append-only log;
    a number in it could never be erased. The place for a number is `contact`,
    which is sealed under the citizen's key.
    """
    text = _ID_IN_TEXT.sub(ID_MASK, text)
    text = _MOBILE_IN_TEXT.sub(PHONE_MASK, text)
    return _LANDLINE_IN_TEXT.sub(PHONE_MASK, text)
