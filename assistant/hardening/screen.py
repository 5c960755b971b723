"""Every message of a channel screened before Rasa sees it.

`guarded(on_new_message, guard, channel)` wraps the callback Rasa gives an input channel:
a message over the rate limit or the length cap is answered with a polite reply in the
user's language and never reaches the dialogue (nor the tracker store); any other message
goes on with its personal data masked, so that neither the NLU, the tracker store nor a
log line ever holds it. Any channel can wrap its callback this way in `blueprint()`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from rasa.core.channels.channel import UserMessage

from assistant.hardening.limits import Limits, RateLimiter
from assistant.hardening.pii import mask_personal_data
from assistant.hardening.wording import message_lang, reply

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

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.limiter = RateLimiter(limits.rate, limits.window_s)

    def screen(self, sender: str, text: str | None, now: float | None = None) -> Screened:
        now = time.monotonic() if now is None else now
        text = text or ""
        if not self.limiter.allow(sender, now):
            lang = message_lang(text[: self.limits.max_chars])
            return Screened(None, reply(lang, "rate_limited"), "rate_limited")
        if len(text) > self.limits.max_chars:
            lang = message_lang(text[: self.limits.max_chars])
            return Screened(None, reply(lang, "too_long", limit=self.limits.max_chars),
                            "too_long")
        return Screened(mask_personal_data(text))


def guarded(on_new_message: OnNewMessage, guard: Guard, channel: str) -> OnNewMessage:
    """`on_new_message` behind `guard` (see the module's docstring)."""

    async def handle(message: UserMessage) -> Any:
        sender = str(message.sender_id)
        screened = guard.screen(sender, message.text)
        if screened.reply is not None:
            # The sender id is an opaque id of the channel (no personal data of its own).
            logger.info("%s message of %s not answered: %s", channel, sender, screened.reason)
            await message.output_channel.send_text_message(sender, screened.reply)
            return None
        if message.text:  # None and "" stay as Rasa made them
            message.text = screened.text
        return await on_new_message(message)

    return handle
