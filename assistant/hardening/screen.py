"""Every message of a channel screened before Rasa sees it.

`guarded(on_new_message, guard, channel)` wraps the callback Rasa gives an input channel:
a message over the rate limit or the length cap is answered with a polite reply in the
user's language and never reaches the dialogue (nor the tracker store); any other message
goes on with its personal data masked, so that neither the NLU, the tracker store nor a
log line ever holds it. Any channel can wrap its callback this way in `blueprint()`.

With `HUKOU_LOCK_STORE_URL` (Redis) the rate limit is counted in Redis, shared by every
process (assistant.hardening.shared_rate); without it, per process.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from rasa.core.channels.channel import UserMessage

from assistant.hardening.limits import Limits, RateLimiter
from assistant.hardening.pii import mask_personal_data
from assistant.hardening.shared_rate import PREFIX, RedisRateLimiter
from assistant.hardening.wording import message_lang, reply
from assistant.settings import LOCK_STORE_ENV

logger = logging.getLogger(__name__)

OnNewMessage = Callable[[UserMessage], Awaitable[Any]]


@dataclass(frozen=True)
class Screened:
    """The text to pass on (masked), or the reply that answers the message instead."""

    text: str | None
    reply: str | None = None
    reason: str = ""


class Guard:
    """The limits of one channel: a rate limiter per sender and the length cap."""

    def __init__(self, limits: Limits, redis_url: str | None = None,
                 prefix: str = PREFIX) -> None:
        self.limits = limits
        self.limiter = RateLimiter(limits.rate, limits.window_s)
        self.shared = RedisRateLimiter(redis_url, self.limiter, prefix) if redis_url else None

    @classmethod
    def from_env(cls, channel: str, env: Mapping[str, str] | None = None) -> Guard:
        """The guard of `channel` (its own counters) with the limits of the environment."""
        env = os.environ if env is None else env
        return cls(Limits.from_env(env), env.get(LOCK_STORE_ENV) or None,
                   f"{PREFIX}:{channel}")

    async def allow(self, sender: str) -> bool:
        if self.shared is not None:
            return await self.shared.allow(sender)
        return self.limiter.allow(sender, time.monotonic())

    async def screen(self, sender: str, text: str | None) -> Screened:
        text = text or ""
        if not await self.allow(sender):
            lang = message_lang(text[: self.limits.max_chars])
            return Screened(None, reply(lang, "rate_limited"), "rate_limited")
        if len(text) > self.limits.max_chars:
            lang = message_lang(text[: self.limits.max_chars])
            return Screened(None, reply(lang, "too_long", limit=self.limits.max_chars),
                            "too_long")
        return Screened(mask_personal_data(text))

    async def close(self) -> None:
        if self.shared is not None:
            await self.shared.close()


def guarded(on_new_message: OnNewMessage, guard: Guard, channel: str) -> OnNewMessage:
    """`on_new_message` behind `guard` (see the module's docstring)."""

    async def handle(message: UserMessage) -> Any:
        sender = str(message.sender_id)
        screened = await guard.screen(sender, message.text)
        if screened.reply is not None:
            # The sender id is an opaque id of the channel (no personal data of its own).
            logger.info("%s message of %s not answered: %s", channel, sender, screened.reason)
            await message.output_channel.send_text_message(sender, screened.reply)
            return None
        if message.text:  # None and "" stay as Rasa made them
            message.text = screened.text
        return await on_new_message(message)

    return handle
