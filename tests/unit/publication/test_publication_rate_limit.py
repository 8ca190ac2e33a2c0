"""Comments are rate-limited per client, in a sliding window."""

from __future__ import annotations

import pytest

from services.publication.ratelimit import Limit, RateLimiter


class Ticking:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_client_over_the_limit_is_told_how_long_to_wait() -> None:
    clock = Ticking()
    limiter = RateLimiter(Limit(2, 60), clock)

    allowed = [limiter.retry_after("1.2.3.4") for _ in range(2)]
    clock.now += 10
    refused = limiter.retry_after("1.2.3.4")

    assert allowed == [0.0, 0.0]
    assert refused == 50.0


def test_other_clients_are_not_affected() -> None:
    limiter = RateLimiter(Limit(1, 60), Ticking())
    limiter.retry_after("1.2.3.4")

    assert limiter.retry_after("5.6.7.8") == 0.0


def test_the_window_slides() -> None:
    clock = Ticking()
    limiter = RateLimiter(Limit(1, 60), clock)
    limiter.retry_after("1.2.3.4")

    clock.now += 60

    assert limiter.retry_after("1.2.3.4") == 0.0


@pytest.mark.parametrize("text", ["0/60", "5/0", "five", "5/x"])
def test_a_malformed_limit_setting_is_refused(text: str) -> None:
    with pytest.raises(ValueError):
        Limit.parse(text)
