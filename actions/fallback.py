"""Our versions of the actions Rasa's two-stage fallback (`action_two_stage_fallback`) runs.

Rasa's defaults speak English and show intent names; these speak the user's language,
quote the clauses closest to the unclear question, offer the likeliest intents by their
labels, and end with an honest "I can't answer that" that names the office and the 12345
hotline.
"""

from __future__ import annotations

import json

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet, UserUtteranceReverted
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from assistant.parse_data import FACTS, PATHWAY_KIND, QUESTION_KINDS
from policies import assesses, closest_clauses

from .common import contacts, fact_types, gather_facts, reply_lang
from .policy_answer import (
    ActionPolicyAnswer,
    follow_up_answer,
    outside_answer,
    person_facts,
    rules_answer,
    send_answer,
    send_question,
    topic_of_unplaced,
    unrelated_reading,
    unrelated_unplaced,
)
from .wording import intent_label, say

#: how many intents the "did you mean …?" question offers at most
MAX_CHOICES = 3
#: the intent Rasa's two-stage fallback reads as "no, none of these"
DENY_PAYLOAD = "/out_of_scope"
#: intents a button would not help with
NOT_OFFERED = {"nlu_fallback", "out_of_scope", "affirm", "deny", "inform"}


def earlier_question(tracker: Tracker) -> str | None:
    """The text of the user message before the latest one (what a follow-up refers to)."""
    texts = [e.get("text") for e in tracker.events if e.get("event") == "user"]
    earlier = texts[-2] if len(texts) > 1 else None
    return earlier if isinstance(earlier, str) and not earlier.startswith("/") else None


def affirmation_buttons(tracker: Tracker, lang: str) -> list[dict[str, str]]:
    """Buttons for the likeliest intents of the latest message, then "none of these".

    A payload carries the message's typed facts along, because the clarified message
    replaces the unclear one (and with it the slots it set).
    """
    latest = tracker.latest_message
    types = fact_types()
    facts = {name: value for name, value in (latest.get(FACTS) or {}).items()
             if name in types and value is not None}
    suffix = json.dumps(facts, ensure_ascii=False) if facts else ""
    buttons = []
    for ranked in latest.get("intent_ranking") or []:
        name = ranked.get("name")
        label = intent_label(lang, name) if name and name not in NOT_OFFERED else None
        if label:
            buttons.append({"title": label, "payload": f"/{name}{suffix}"})
        if len(buttons) == MAX_CHOICES:
            break
    return buttons


class ActionDefaultAskAffirmation(Action):
    """The clauses closest to the unclear message, quoted when there are close ones
    (`policies.closest_clauses`), then "did you mean …?" with the likeliest intents; for
    household registration outside the two provinces, the `not_covered` answer alone, for
    what settling in a place of theirs takes, that place's rules alone, for a follow-up
    about the hukou within the conversation's topic, that topic's answer alone, for a
    message about one of our topics (`topic_of_unplaced`) that tells of the person, or that
    no clause is close to, or that asks about the pathway it names, the policy answer, and
    for a first message that tells of the person but asks of something else
    (`unrelated_reading`), or any that tells nothing of the person and asks of something
    else (`unrelated_unplaced`), that it is out of scope."""

    def name(self) -> str:
        return "action_default_ask_affirmation"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        lang = reply_lang(tracker)
        topic = tracker.get_slot("topic")
        message = tracker.latest_message
        if unrelated_reading(message, None, topic) or unrelated_unplaced(message):
            dispatcher.utter_message(text=say(lang, "smalltalk", "out_of_scope"))
            return [SlotSet("lang", lang)]
        facts, _ = gather_facts(tracker)
        if PATHWAY_KIND in (message.get(QUESTION_KINDS) or []) \
                and topic_of_unplaced(message) is not None:
            # it asks about the pathway it names, whatever the conversation was about ("ok
            # if hukou depends on points, what about just a residence permit for now?")
            return await ActionPolicyAnswer().run(dispatcher, tracker, domain)
        known = (outside_answer(tracker, lang) or rules_answer(tracker, lang)
                 or follow_up_answer(tracker, lang, facts))
        ours = known is None and topic_of_unplaced(message) is not None and (
            topic is None or not assesses(topic))
        if ours and person_facts(message):
            # it tells of the person and speaks of their hukou, or names one of our topics
            return await ActionPolicyAnswer().run(dispatcher, tracker, domain)
        if known is not None:
            send_answer(dispatcher, known)
            # the question still open is asked again ("not sure about social insurance,
            # gotta check with HR" leaves it open)
            if known.get("question"):
                send_question(dispatcher, known["question"], known["question"]["text"])
            return [SlotSet("lang", lang)]
        closest = closest_clauses(tracker.latest_message.get("text") or "", lang, facts,
                                  topic=tracker.get_slot("topic"),
                                  earlier=earlier_question(tracker))
        if closest is not None:
            send_answer(dispatcher, closest)
        elif ours:
            # no clause is close to a question naming one of our topics ("residense permit
            # renewel how often do i have to do it"): that topic answers it
            return await ActionPolicyAnswer().run(dispatcher, tracker, domain)
        buttons = affirmation_buttons(tracker, lang)
        if not buttons:
            dispatcher.utter_message(text=say(lang, "fallback", "ask_rephrase"))
            return [SlotSet("lang", lang)]
        buttons.append({"title": say(lang, "fallback", "none_of_these"), "payload": DENY_PAYLOAD})
        dispatcher.utter_message(text=say(lang, "fallback", "ask_affirmation"), buttons=buttons)
        return [SlotSet("lang", lang)]


class ActionDefaultAskRephrase(Action):
    def name(self) -> str:
        return "action_default_ask_rephrase"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        lang = reply_lang(tracker)
        dispatcher.utter_message(text=say(lang, "fallback", "ask_rephrase"))
        return [SlotSet("lang", lang)]


class ActionDefaultFallback(Action):
    """Gives up honestly; like Rasa's default it reverts the message it could not handle."""

    def name(self) -> str:
        return "action_default_fallback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        lang = reply_lang(tracker)
        facts, _ = gather_facts(tracker)
        dispatcher.utter_message(text=say(lang, "fallback", "give_up", **contacts(facts, lang)))
        return [UserUtteranceReverted()]
