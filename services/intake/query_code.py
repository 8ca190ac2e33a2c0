"""The citizen's query code (查询码): with the ticket id, it opens their own ticket's progress.

12 characters from a 31-letter alphabet without look-alikes (no 0/O, 1/I/L) give
log2(31**12) ≈ 59.4 bits. Only `sha256("<ticket_id>:<code>")` travels in
`ComplaintReceived`, so other services can check a code; at 10**10 SHA-256 per
second (a large GPU) searching one ticket's 31**12 ≈ 7.9e17 codes takes up to 2.5
years, 1.25 years on average — per ticket, since the ticket id salts the hash.
Online guessing is answered by a 404 that looks the same as an unknown ticket.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from uuid import UUID

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LENGTH = 12


def new_query_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise(code: str) -> str:
    """Citizens may type lower case or group the code with spaces or dashes."""
    return "".join(char for char in code.upper() if char not in " -")


def query_code_digest(ticket_id: UUID, code: str) -> str:
    return hashlib.sha256(f"{ticket_id}:{code}".encode()).hexdigest()


def matches(ticket_id: UUID, code: str, expected_digest: str) -> bool:
    """Constant-time check, so response timing says nothing about how close a guess was."""
    candidate = normalise(code)
    if len(candidate) != LENGTH:
        candidate = "?" * LENGTH
    return hmac.compare_digest(query_code_digest(ticket_id, candidate), expected_digest)
