"""A fallback classifier that does not throw away facts the person has just stated.

"I have a steady job there, I rent an apartment and I pay social insurance" can split the
intent confidence between `inform` and `settlement_eligibility`, which continue the same
conversation. Rasa's FallbackClassifier would then ask "did you mean …?" and the facts would
wait behind a button. Here a message from which facts can be read (places, terms and the
language do not count) goes to the fallback only when its top intent is below the lower
`fact_threshold`; every other message is judged exactly as by FallbackClassifier.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.classifiers.fallback_classifier import FallbackClassifier
from rasa.shared.nlu.constants import ENTITIES, INTENT, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from .facts import interpret_entities

__all__ = ["FactAwareFallbackClassifier", "stated_facts"]

#: entities that name what is asked about rather than a fact about the person
NOT_FACTS = frozenset({"city", "province", "term", "lang"})


def stated_facts(entities: list[dict[str, Any]], text: str | None = None) -> list[str]:
    """Names of the facts about the person that the entities state with a readable value."""
    return sorted(set(interpret_entities(entities, text)) - NOT_FACTS)


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False
)
class FactAwareFallbackClassifier(FallbackClassifier):
    """FallbackClassifier with a lower threshold for messages that state facts."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {**FallbackClassifier.get_default_config(), "fact_threshold": 0.3}

    def _should_fallback(self, message: Message) -> bool:
        if not super()._should_fallback(message):
            return False
        confidence = message.data.get(INTENT, {}).get(PREDICTED_CONFIDENCE_KEY) or 0.0
        if confidence < self.component_config["fact_threshold"]:
            return True
        return not stated_facts(message.get(ENTITIES) or [], message.get(TEXT))
