"""Chit-chat, the way to a person, and the reply language."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from assistant.parse_data import LANGUAGE

from .common import contacts, gather_facts, latest_intent, payload_entities, reply_lang
from .policy_answer import (
    ActionPolicyAnswer,
    ask_again,
    outside_answer,
    send_answer,
    topic_of_unplaced,
    within_conversation,
)
from .wording import LANGS, say, wording

SMALLTALK_DEFAULT = "out_of_scope"


class ActionSmalltalk(Action):
    """greet, goodbye, thanks, bot_challenge, out_of_scope: one sentence from the wording;
    out of scope about household registration outside the two provinces: where to ask; out
    of scope within a conversation (`within_conversation`: "那有别的办法吗", an answer to the
    question asked) or about the person's household registration
    (`topic_of_unplaced`): the policy answer."""

    def name(self) -> str:
        return "action_smalltalk"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        lang = reply_lang(tracker)
        intent = latest_intent(tracker) or SMALLTALK_DEFAULT
        if intent == SMALLTALK_DEFAULT:
            outside = outside_answer(tracker, lang)
            if outside is not None:
                send_answer(dispatcher, outside)
                return [SlotSet("lang", lang)]
            if within_conversation(tracker) or topic_of_unplaced(
                    tracker.latest_message) is not None:
                # the policy answer stores what the message says and asks what is missing
                return await ActionPolicyAnswer().run(dispatcher, tracker, domain)
        key = intent if intent in wording(lang)["smalltalk"] else SMALLTALK_DEFAULT
        dispatcher.utter_message(text=say(lang, "smalltalk", key))
        return [SlotSet("lang", lang)]


class ActionHumanHandoff(Action):
    """There is no human agent behind this assistant: name the office and the hotline."""

    def name(self) -> str:
        return "action_human_handoff"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        lang = reply_lang(tracker)
        facts, events = gather_facts(tracker)
        dispatcher.utter_message(text=say(lang, "handoff", "text", **contacts(facts, lang)))
        return events + [SlotSet("lang", lang)]


class ActionChangeLanguage(Action):
    """Switches to the language asked for (entity `lang`), or to the other one.

    A question still waiting for an answer is asked again in the new language, so that
    its buttons are readable too.
    """

    def name(self) -> str:
        return "action_change_language"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        message = tracker.latest_message
        # the language the NLU read, or a button's (`/change_language{"lang":"en"}`)
        payload = payload_entities(message)
        asked = message.get(LANGUAGE) if payload is None else payload.get("lang")
        if asked in LANGS:
            lang = str(asked)
        else:
            lang = "en" if tracker.get_slot("lang") == "zh" else "zh"
        dispatcher.utter_message(text=say(lang, "language", "switched"))
        events: list[EventType] = [SlotSet("lang", lang)]
        pending = tracker.get_slot("pending_topic")
        if pending:
            facts, fact_events = gather_facts(tracker)
            events += fact_events + ask_again(dispatcher, pending, facts, lang)
        return events
