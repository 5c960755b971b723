"""The rate limit counted in the real Redis, shared by limiters as by processes; per process
when Redis does not answer."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import Iterator

import pytest
import redis

from assistant.hardening.limits import Limits, RateLimiter
from assistant.hardening.screen import Guard
from assistant.hardening.shared_rate import PREFIX, RedisRateLimiter
from assistant.network import free_port
from tests.required import unavailable

REDIS_URL = os.environ.get("HUKOU_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


@pytest.fixture
def prefix() -> Iterator[str]:
    """A key prefix of this test only; its keys are deleted afterwards."""
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.RedisError:
        message = f"no Redis at {REDIS_URL} (HUKOU_TEST_REDIS_URL)"
        unavailable(message)
    name = f"hukou-test:rate:{uuid.uuid4().hex[:8]}"
    try:
        yield name
    finally:
        keys = list(client.scan_iter(f"{name}:*"))
        if keys:
            client.delete(*keys)
        client.close()


def limiters(n: int, rate: int, window_s: float, url: str, prefix: str) -> list[RedisRateLimiter]:
    return [RedisRateLimiter(url, RateLimiter(rate, window_s), prefix) for _ in range(n)]


async def close(all_: list[RedisRateLimiter]) -> None:
    for limiter in all_:
        await limiter.close()


def test_two_limiters_share_the_count_of_a_sender(prefix: str) -> None:
    async def run() -> tuple[list[bool], bool, list[bool]]:
        first, second = both = limiters(2, 3, 60.0, REDIS_URL, prefix)
        # as two processes would see a sender whose messages alternate between them
        alternating = [await (first, second)[i % 2].allow("u1") for i in range(5)]
        other = await second.allow("u2")
        at_once = await asyncio.gather(*(first.allow("u3") for _ in range(4)),
                                       *(second.allow("u3") for _ in range(4)))
        await close(both)
        return alternating, other, list(at_once)

    alternating, other, at_once = asyncio.run(run())
    assert alternating == [True, True, True, False, False]
    assert other  # another sender is not held up
    assert at_once.count(True) == 3  # concurrent messages: no more than the limit pass
    ttl = redis.Redis.from_url(REDIS_URL).pttl(f"{prefix}:u1")
    assert 0 < ttl <= 60_000


def test_the_shared_window_slides(prefix: str) -> None:
    async def run() -> list[bool]:
        first, second = both = limiters(2, 2, 0.3, REDIS_URL, prefix)
        results = [await first.allow("u1"), await second.allow("u1"), await first.allow("u1")]
        await asyncio.sleep(0.35)  # the first two messages leave the window
        results.append(await second.allow("u1"))
        await close(both)
        return results

    assert asyncio.run(run()) == [True, True, False, True]


def test_without_redis_the_process_counts_alone() -> None:
    async def run() -> list[bool]:
        (limiter,) = both = limiters(1, 2, 60.0, f"redis://127.0.0.1:{free_port()}/0", PREFIX)
        results = [await limiter.allow("u1") for _ in range(3)]
        await close(both)
        return results

    assert asyncio.run(run()) == [True, True, False]


def test_the_guard_counts_in_the_lock_stores_redis_per_channel(prefix: str) -> None:
    env = {"HUKOU_LOCK_STORE_URL": REDIS_URL, "HUKOU_RATE_LIMIT": "1/60"}
    guard = Guard.from_env("rest", env)
    assert guard.shared is not None and guard.shared.prefix == f"{PREFIX}:rest"
    assert Guard.from_env("rest", {}).shared is None
    guard.shared.prefix = f"{prefix}:rest"

    async def run() -> list[str | None]:
        other_process = Guard(Limits(rate=1), REDIS_URL, f"{prefix}:rest")
        replies = [(await guard.screen("u1", "你好")).reply,
                   (await other_process.screen("u1", "你好")).reply]
        await guard.close()
        await other_process.close()
        return replies

    first, second = asyncio.run(run())
    assert first is None and second is not None
