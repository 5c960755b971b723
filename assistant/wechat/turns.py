"""What the user's next message may refer to: the bot's last turn, read from the tracker.

A number typed in WeChat picks one of the numbered options (buttons) of the bot's last
turn, or (`FULL_CLAUSE_NUMBER`) asks for the full text of the clauses its policy answer
quoted. Both are read from the conversation in the tracker store, not from memory, so that
any assistant process sharing the store understands the number.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from assistant.presentation import button_payloads, is_policy_answer, resolve_input
from assistant.wechat.dedupe import TrackerReader
from assistant.wechat.render import FULL_CLAUSE_NUMBER


@dataclass(frozen=True)
class LastTurn:
    """The bot messages since the user's last message, and the conversation's language."""

    messages: list[dict[str, Any]] = field(default_factory=list)
    lang: str | None = None

    @property
    def policy_answer(self) -> dict[str, Any] | None:
        answers = [m["custom"] for m in self.messages if is_policy_answer(m)]
        return answers[-1] if answers else None

    def wants_full_clauses(self, text: str) -> bool:
        return text.strip() == str(FULL_CLAUSE_NUMBER) and self.policy_answer is not None

    def resolve(self, text: str) -> str:
        """The message to send to the assistant for `text` (a number: its button payload)."""
        return resolve_input(text, button_payloads(self.messages))


async def last_turn(tracker_store: TrackerReader | None, sender: str) -> LastTurn:
    tracker = await tracker_store.retrieve(sender) if tracker_store is not None else None
    if tracker is None:
        return LastTurn()
    messages: list[dict[str, Any]] = []
    for event in reversed(list(tracker.events)):
        name = getattr(event, "type_name", "")
        if name == "user":
            break
        if name == "bot":
            messages.insert(0, dict(getattr(event, "data", None) or {}))
    lang = tracker.get_slot("lang")
    return LastTurn(messages, lang if lang in ("zh", "en") else None)
