"""A too-large body is refused while it streams in: intake stops reading at the limit."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.requests import Request

from hotline.runtime.auth import ApiError
from services.intake.body import read_limited_body

CHUNK = 1024


class CountingReceive:
    """An ASGI `receive` that hands out `chunks` body chunks and counts how many were taken."""

    def __init__(self, chunks: int) -> None:
        self.remaining = chunks
        self.taken = 0

    async def __call__(self) -> dict[str, Any]:
        self.taken += 1
        self.remaining -= 1
        return {"type": "http.request", "body": b"x" * CHUNK, "more_body": self.remaining > 0}


def request(receive: CountingReceive, headers: list[tuple[bytes, bytes]]) -> Request:
    scope = {"type": "http", "method": "POST", "path": "/", "headers": headers, "query_string": b""}
    return Request(scope, receive)


async def test_a_streamed_body_is_refused_as_soon_as_it_passes_the_limit() -> None:
    receive = CountingReceive(chunks=1000)
    with pytest.raises(ApiError) as caught:
        await read_limited_body(request(receive, []), limit=4 * CHUNK)
    assert caught.value.status == 413
    assert receive.taken == 5, "stopped at the first chunk beyond the limit, not after 1000"


async def test_a_declared_length_over_the_limit_is_refused_before_any_byte_is_read() -> None:
    receive = CountingReceive(chunks=1000)
    with pytest.raises(ApiError) as caught:
        await read_limited_body(request(receive, [(b"content-length", b"999999")]), limit=CHUNK)
    assert caught.value.status == 413
    assert receive.taken == 0


async def test_a_body_within_the_limit_is_read_whole() -> None:
    receive = CountingReceive(chunks=3)
    body = await read_limited_body(request(receive, []), limit=4 * CHUNK)
    assert body == b"x" * 3 * CHUNK
