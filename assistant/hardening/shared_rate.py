"""The per-sender rate limit shared by every assistant process, in Redis.

With `HUKOU_LOCK_STORE_URL` several processes (Sanic workers, pods) answer the same
senders; a limit counted per process would let a sender spread over N of them send N
times the limit. Here the times of a sender's messages are a sorted set in Redis, checked
and updated by one Lua script (atomic, so two processes cannot both take the last place),
with Redis's clock (processes on other machines agree on the window). The window slides
as the per-process `RateLimiter`'s does, and a refused message is not counted.

When Redis cannot be reached the process counts alone (its own `RateLimiter`) until Redis
answers again: a sender is then limited per process, as without Redis, rather than a
message failing.
"""

from __future__ import annotations

import logging
import time
import uuid

from redis import asyncio as aioredis
from redis.exceptions import RedisError

from assistant.hardening.limits import RateLimiter

logger = logging.getLogger(__name__)

PREFIX = "hukou:rate"
#: How long a call to Redis may take before the process counts alone for that message.
TIMEOUT_S = 0.5

# KEYS[1]: the sender's sorted set; ARGV: rate, window in microseconds, a unique member.
_SLIDING_WINDOW = """
local now = redis.call('TIME')
local us = tonumber(now[1]) * 1000000 + tonumber(now[2])
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', us - window)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then
  return 0
end
redis.call('ZADD', KEYS[1], us, ARGV[3])
redis.call('PEXPIRE', KEYS[1], math.ceil(window / 1000))
return 1
"""


class RedisRateLimiter:
    """At most `local.rate` messages per sender in any `local.window_s` seconds, counted in
    the Redis at `url` under `prefix`; `local` counts while Redis does not answer."""

    def __init__(self, url: str, local: RateLimiter, prefix: str = PREFIX) -> None:
        self.local = local
        self.prefix = prefix
        self.redis = aioredis.Redis.from_url(
            url, socket_timeout=TIMEOUT_S, socket_connect_timeout=TIMEOUT_S
        )
        self._script = self.redis.register_script(_SLIDING_WINDOW)
        self._redis_down = False

    def key(self, sender: str) -> str:
        return f"{self.prefix}:{sender}"

    async def allow(self, sender: str) -> bool:
        """Count a message of `sender` now; False when it is over the limit."""
        if self.local.rate <= 0:
            return True
        window_us = round(self.local.window_s * 1_000_000)
        try:
            allowed = await self._script(
                keys=[self.key(sender)],
                args=[self.local.rate, window_us, uuid.uuid4().hex],
            )
        except (RedisError, OSError) as err:
            if not self._redis_down:
                logger.warning("rate limit: Redis does not answer (%s); counting in this "
                               "process until it does", err)
                self._redis_down = True
            return self.local.allow(sender, time.monotonic())
        if self._redis_down:
            logger.warning("rate limit: Redis answers again; counting there")
            self._redis_down = False
        return bool(allowed)

    async def close(self) -> None:
        await self.redis.close()
