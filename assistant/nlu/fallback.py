"""A fallback classifier that does not throw away facts the person has just stated.

"I have a steady job there, I rent an apartment and I pay social insurance" can split the
intent confidence between `inform` and `settlement_eligibility`, which continue the same
conversation. Rasa's FallbackClassifier would then ask "did you mean …?" and the facts would
wait behind a button. Here a message that states facts about the person (as `FactReader`,
earlier in the pipeline, read them; places and the pathway named do not count) goes to the
fallback only when its top intent is below the lower `fact_threshold`. Two kinds of message
never do: one that states `situation_facts` of them or more (a description of a situation
spreads the confidence over every topic whose words it uses, yet asks about the assessment
under way, or whether the person can settle), and a documents question that names a pathway
("居住证要带哪些材料"): the policy answer reads both so (`continues`, `describes_situation`).
Nor does a message that speaks of moving a hukou to a place it names, or instead of what was
said before, whose likeliest intent is the settlement question above the lower
`move_threshold` ("I'm thinking about moving my hukou to Dandong", "咋样才能把户口迁到东营",
"ok then can I just settle my hukou there instead?"): a menu would only ask what it already
says.
Every other message is judged exactly as by FallbackClassifier.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.classifiers.fallback_classifier import FallbackClassifier
from rasa.shared.nlu.constants import (
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
)
from rasa.shared.nlu.training_data.message import Message

from assistant.parse_data import CORRECTION_KIND, DOCUMENTS_KIND, FACTS, HUKOU_KIND, QUESTION_KINDS
from policies.engine import CONTEXT_FACTS

__all__ = ["FactAwareFallbackClassifier", "personal_facts"]

#: the intent of a message that tells facts (or corrects them) and asks nothing new
INFORM = "inform"
#: the general question of whether one can settle in a place
SETTLE = "settlement_eligibility"


def personal_facts(facts: dict[str, Any]) -> list[str]:
    """Names of the facts about the person among those a message states."""
    return sorted(set(facts) - set(CONTEXT_FACTS))


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False
)
class FactAwareFallbackClassifier(FallbackClassifier):
    """FallbackClassifier with a lower threshold for messages that state facts."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {**FallbackClassifier.get_default_config(), "fact_threshold": 0.3,
                "move_threshold": 0.2, "situation_facts": 2}

    def process(self, messages: list[Message]) -> list[Message]:
        """As FallbackClassifier; an unclear message that corrects or replaces a fact or the
        place ("哦打错了，是沈阳，不是辽阳", "那如果是在沈阳呢", "sorry, I meant Dandong") informs
        instead."""
        for message in messages:
            if self._corrects(message):
                inform = {INTENT_NAME_KEY: INFORM,
                          PREDICTED_CONFIDENCE_KEY: self.component_config["threshold"]}
                message.data[INTENT] = inform
                message.data.setdefault(INTENT_RANKING_KEY, []).insert(0, dict(inform))
        return super().process(messages)

    def _corrects(self, message: Message) -> bool:
        facts = message.get(FACTS) or {}
        return (CORRECTION_KIND in (message.get(QUESTION_KINDS) or [])
                and bool(set(facts) - {"pathway"}) and super()._should_fallback(message))

    def _should_fallback(self, message: Message) -> bool:
        if message.data.get(INTENT, {}).get(INTENT_NAME_KEY) == INFORM and \
                CORRECTION_KIND in (message.get(QUESTION_KINDS) or []):
            return False
        if not super()._should_fallback(message):
            return False
        confidence = message.data.get(INTENT, {}).get(PREDICTED_CONFIDENCE_KEY) or 0.0
        facts = message.get(FACTS) or {}
        stated = personal_facts(facts)
        kinds = message.get(QUESTION_KINDS) or []
        if len(stated) >= self.component_config["situation_facts"]:
            return False
        if DOCUMENTS_KIND in kinds and "pathway" in facts:
            return False
        intent = message.data.get(INTENT, {}).get(INTENT_NAME_KEY)
        if intent == SETTLE and HUKOU_KIND in kinds and (
                "city" in facts or CORRECTION_KIND in kinds) and \
                confidence >= self.component_config["move_threshold"]:
            return False
        if confidence < self.component_config["fact_threshold"]:
            return True
        return not stated
