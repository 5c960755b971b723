"""The guard's limits from the environment, the rate limiter, and the wording's parity."""

from __future__ import annotations

import pytest

from assistant.hardening.limits import Limits, RateLimiter
from assistant.reporting import RuntimeFailure
from assistant.wording_data import LANGS, load_wording


def test_defaults_and_values_from_the_environment() -> None:
    assert Limits.from_env({}) == Limits(2000, 30, 60.0, 10.0)
    limits = Limits.from_env(
        {"HUKOU_MAX_MESSAGE_CHARS": "500", "HUKOU_RATE_LIMIT": "5/10",
         "HUKOU_ACTION_TIMEOUT_S": "2.5"}
    )
    assert limits == Limits(500, 5, 10.0, 2.5)
    assert Limits.from_env({"HUKOU_RATE_LIMIT": "0"}).rate == 0


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("HUKOU_MAX_MESSAGE_CHARS", "0"),
        ("HUKOU_MAX_MESSAGE_CHARS", "lots"),
        ("HUKOU_RATE_LIMIT", "30"),
        ("HUKOU_RATE_LIMIT", "x/60"),
        ("HUKOU_RATE_LIMIT", "5/0"),
        ("HUKOU_ACTION_TIMEOUT_S", "-1"),
        ("HUKOU_ACTION_TIMEOUT_S", "soon"),
    ],
)
def test_bad_values_are_named(name: str, value: str) -> None:
    with pytest.raises(RuntimeFailure, match=name):
        Limits.from_env({name: value})


def test_rate_limiter_window_slides_per_sender() -> None:
    limiter = RateLimiter(rate=3, window_s=10.0)
    assert [limiter.allow("a", t) for t in (0.0, 1.0, 2.0, 3.0)] == [True, True, True, False]
    assert limiter.allow("b", 3.0)  # another sender is not held up
    assert not limiter.allow("a", 9.9)
    assert limiter.allow("a", 10.0)  # the message at 0.0 left the window
    assert not limiter.allow("a", 10.5)


def test_rate_limiter_forgets_idle_senders() -> None:
    limiter = RateLimiter(rate=1, window_s=1.0, max_senders=2)
    assert limiter.allow("a", 0.0) and limiter.allow("b", 0.0)
    assert limiter.allow("c", 5.0)
    assert set(limiter._seen) == {"c"}


def test_no_limit_when_rate_is_zero() -> None:
    limiter = RateLimiter(rate=0, window_s=60.0)
    assert all(limiter.allow("a", 0.0) for _ in range(1000))


def test_wording_has_the_same_keys_in_every_language() -> None:
    keys = [set(load_wording(lang, "hardening")) for lang in LANGS]
    assert keys[0] == keys[1] == {"too_long", "rate_limited", "actions_unavailable"}


def test_rate_limiter_stays_bounded_under_a_flood_of_new_senders() -> None:
    limiter = RateLimiter(rate=1, window_s=60.0, max_senders=3)
    assert all(limiter.allow(f"s{i}", 1.0) for i in range(100))
    assert list(limiter._seen) == ["s97", "s98", "s99"]
