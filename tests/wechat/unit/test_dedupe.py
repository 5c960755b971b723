"""A message is claimed once: in Redis (shared by processes), or in memory and the tracker."""

from __future__ import annotations

import asyncio
import os
import uuid

import pytest
import redis
from rasa.core.tracker_store import InMemoryTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from assistant.wechat.dedupe import METADATA_KEY, RedisDedupe, TrackerDedupe

REDIS_URL = os.environ.get("HUKOU_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def redis_or_skip() -> redis.Redis:
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.RedisError:
        pytest.skip(f"no Redis at {REDIS_URL} (HUKOU_TEST_REDIS_URL)")
    return client


def test_redis_claims_a_key_once_across_clients() -> None:
    client = redis_or_skip()
    account = f"test-{uuid.uuid4().hex[:8]}"

    async def run() -> list[bool]:
        # two clients, as two assistant processes would have
        first, second = RedisDedupe(REDIS_URL), RedisDedupe(REDIS_URL)
        results = await asyncio.gather(
            *(d.claim(account, "openid", "4711") for d in [first, second] * 4)
        )
        other = await first.claim(account, "openid", "4712")
        await first.close()
        await second.close()
        return [*results, other]

    try:
        results = asyncio.run(run())
        assert results[:-1].count(True) == 1
        assert results[-1] is True
        assert 0 < client.ttl(f"hukou:wechat:{account}:4711") <= 3600
    finally:
        keys = list(client.scan_iter(f"hukou:wechat:{account}:*"))
        if keys:
            client.delete(*keys)


def test_tracker_dedupe_claims_in_memory_and_finds_answered_messages() -> None:
    store = InMemoryTrackerStore(Domain.empty())
    tracker = DialogueStateTracker("openid", slots=[])
    tracker.update(UserUttered("你好", metadata={METADATA_KEY: {"key": "answered-1"}}))

    async def run() -> list[bool]:
        await store.save(tracker)
        dedupe = TrackerDedupe(store)
        return [
            await dedupe.claim("wx", "openid", "answered-1"),  # answered before a restart
            await dedupe.claim("wx", "openid", "new-1"),
            await dedupe.claim("wx", "openid", "new-1"),  # a retry while in progress
            await dedupe.claim("wx", "someone-else", "new-2"),
        ]

    assert asyncio.run(run()) == [False, True, False, True]
