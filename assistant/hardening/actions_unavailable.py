"""When the action server is down or slow, the user hears so and the conversation goes on.

Rasa's `RemoteAction.run` waits up to five minutes for the action server, and when the
server cannot be reached it raises; Rasa's processor then logs the exception and the
turn ends with no reply at all. `install()` wraps that method (Rasa offers no hook for
it): the call gets `HUKOU_ACTION_TIMEOUT_S`, and a failed or late call returns one bot
message, "I cannot look the policy up right now", in the language of the user's message.
The user's message stays in the tracker as usual, the action is logged as run, and the
next message is handled as if nothing happened, by whatever action server answers then.
A refusal by the action server itself (ActionExecutionRejection) is not a failure and
goes through unchanged.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from typing import Any

from rasa.core.actions.action import ActionExecutionRejection, RemoteAction
from rasa.shared.core.events import BotUttered, Event
from rasa.shared.exceptions import RasaException

from assistant.hardening.wording import LANGS, message_lang, reply

logger = logging.getLogger(__name__)

_MARK = "_hukou_actions_unavailable"


def conversation_lang(tracker: Any) -> str:
    """The language of the user's last message; for a button payload, the conversation's."""
    text = str(tracker.latest_message.text or "").strip() if tracker.latest_message else ""
    if text and not text.startswith("/"):
        return message_lang(text)
    slot = tracker.get_slot("lang") if "lang" in tracker.slots else None
    return slot if slot in LANGS else "zh"


def unavailable_events(tracker: Any) -> list[Event]:
    lang = conversation_lang(tracker)
    return [BotUttered(text=reply(lang, "actions_unavailable"),
                       metadata={"actions_unavailable": True})]


def install(timeout_s: float) -> None:
    """Wrap `RemoteAction.run` once per process (see the module's docstring)."""
    original = RemoteAction.run
    if getattr(original, _MARK, False):
        return

    @functools.wraps(original)
    async def run(self: RemoteAction, output_channel: Any, nlg: Any, tracker: Any,
                  domain: Any) -> list[Event]:
        try:
            return await asyncio.wait_for(
                original(self, output_channel, nlg, tracker, domain), timeout_s
            )
        except ActionExecutionRejection:
            raise
        except (RasaException, asyncio.TimeoutError) as err:
            why = f"no answer within {timeout_s:g} s" if isinstance(
                err, asyncio.TimeoutError) else str(err)
            logger.error("action %s of %s failed (%s): told the user to ask again",
                         self.name(), tracker.sender_id, why)
            return unavailable_events(tracker)

    setattr(run, _MARK, True)
    RemoteAction.run = run
