"""The guard in front of a channel's callback, with Rasa's own message and output classes."""

from __future__ import annotations

import asyncio
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

from assistant.hardening.limits import Limits
from assistant.hardening.screen import Guard, guarded
from assistant.hardening.wording import reply


def run(limits: Limits, texts: list[str | None], sender: str = "u1") -> tuple[list[Any], list]:
    """Send `texts` through the guard; what reached the dialogue, what the user got."""
    reached: list[Any] = []

    async def dialogue(message: UserMessage) -> None:
        reached.append(message.text)
        await message.output_channel.send_text_message(message.sender_id, "answer")

    handle = guarded(dialogue, Guard(limits), "test")
    outputs = []

    async def go() -> None:
        for text in texts:
            out = CollectingOutputChannel()
            await handle(UserMessage(text, out, sender))
            outputs.append([m.get("text") for m in out.messages])

    asyncio.run(go())
    return reached, outputs


def test_personal_data_is_masked_before_the_dialogue() -> None:
    reached, outputs = run(Limits(), ["我的手机是13912345678，能在丹东落户吗", None, ""])
    assert reached == ["我的手机是***，能在丹东落户吗", None, ""]
    assert outputs == [["answer"]] * 3


def test_too_long_message_is_answered_in_its_language_and_not_passed_on() -> None:
    limits = Limits(max_chars=20)
    reached, outputs = run(limits, ["Can I settle in Dandong? " * 2, "我想在丹东落户" * 5, "Hi"])
    assert reached == ["Hi"]
    assert outputs[:2] == [[reply("en", "too_long", limit=20)], [reply("zh", "too_long", limit=20)]]


def test_rate_limit_answers_politely() -> None:
    reached, outputs = run(Limits(rate=2, window_s=60.0), ["你好", "你好", "你好"])
    assert reached == ["你好", "你好"]
    assert outputs[2] == [reply("zh", "rate_limited")]
