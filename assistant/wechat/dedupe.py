"""Answering a message once although WeChat delivers it up to four times.

WeChat retries a callback it got no answer to within 5 seconds, three times, with the same
MsgId; several assistant processes may receive the copies. The first copy claims the key;
the others are answered `success` (nothing). With `HUKOU_LOCK_STORE_URL` the claim is an
atomic `SET NX` in Redis, shared by every process. Without it, one process runs alone
(interfaces.md): messages being answered are claimed in memory, and a message answered
before (also before a restart) is found in the tracker store, whose user events carry the
key in their metadata (`METADATA_KEY`).
"""

from __future__ import annotations

import time
from typing import Any, Protocol

from redis import asyncio as aioredis

#: The user event's metadata holds {"wechat": {"key": …}}: how the tracker store dedupes.
METADATA_KEY = "wechat"
#: WeChat retries within about 15 seconds; a claim is kept much longer than that.
CLAIM_TTL_S = 3600


class TrackerReader(Protocol):
    async def retrieve(self, sender_id: str) -> Any: ...


class Dedupe(Protocol):
    async def claim(self, account: str, sender: str, key: str) -> bool:
        """True for the first copy of a message, False for every later one."""
        ...

    async def close(self) -> None: ...


class RedisDedupe:
    """Claims in Redis, shared by every process using the same Redis database."""

    def __init__(self, url: str, prefix: str = "hukou:wechat") -> None:
        self.redis = aioredis.Redis.from_url(url)
        self.prefix = prefix

    def redis_key(self, account: str, key: str) -> str:
        return f"{self.prefix}:{account}:{key}"

    async def claim(self, account: str, sender: str, key: str) -> bool:
        claimed = await self.redis.set(
            self.redis_key(account, key), sender, nx=True, ex=CLAIM_TTL_S
        )
        return bool(claimed)

    async def close(self) -> None:
        await self.redis.close()


class TrackerDedupe:
    """Claims in memory for messages in progress, the tracker store for answered ones."""

    def __init__(self, tracker_store: TrackerReader | None) -> None:
        self.tracker_store = tracker_store
        self._claims: dict[str, float] = {}

    def _expire(self, now: float) -> None:
        for claim, at in list(self._claims.items()):
            if now - at > CLAIM_TTL_S:
                del self._claims[claim]

    async def claim(self, account: str, sender: str, key: str) -> bool:
        now = time.monotonic()
        self._expire(now)
        claim = f"{account}:{key}"
        if claim in self._claims:
            return False
        # Claimed before awaiting the tracker, so that a copy arriving meanwhile loses.
        self._claims[claim] = now
        if self.tracker_store is not None:
            tracker = await self.tracker_store.retrieve(sender)
            if tracker is not None and _answered(tracker.events, key):
                return False
        return True

    async def close(self) -> None:
        return None


def _answered(events: Any, key: str) -> bool:
    for event in reversed(list(events)):
        metadata = getattr(event, "metadata", None) or {}
        if getattr(event, "type_name", "") == "user" and (
            (metadata.get(METADATA_KEY) or {}).get("key") == key
        ):
            return True
    return False


def make_dedupe(url: str | None, tracker_store: TrackerReader | None) -> Dedupe:
    return RedisDedupe(url) if url else TrackerDedupe(tracker_store)
