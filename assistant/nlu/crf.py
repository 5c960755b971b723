"""`ClauseBoundCRFEntityExtractor`: Rasa's CRF entity extractor, keeping fact spans within a
clause.

The facts people state are short phrases whose words say what they are ("租的房子", "没交社保",
"have a job"): a linear-chain CRF over each token, its neighbours two tokens either side and
their features (the fact-keyword, duration and term marks of `FactKeywordFeaturizer`, the
place lookup tables of RegexFeaturizer) finds their boundaries more consistently than DIET's
entity head on a few thousand examples, and it trains in a couple of minutes on 2 cores.

A predicted fact span that runs across a clause break is cut there, keeping the clauses that
name the fact (`facts.split_at_clause_breaks`). Durations are typed by their clause
(`facts.duration_fact`): the words that say what a duration is of ("交了六年的社保", "4年的社保")
are often further away than the CRF's window, and years spans are rare in the training data.
A predicted years span takes the type its clause names, and a duration the CRF missed becomes
the years fact its clause names (none when the clause names none or several).

Rasa 3.6's CRFEntityExtractor stores its training features and fits the CRF again at every
load (a minute here, at every start of the assistant); this one stores the trained taggers
(sklearn-crfsuite CRFs pickle with their model file) and loads them as they are.
"""

from __future__ import annotations

import pickle
from typing import Any

from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.crf_entity_extractor import CRFEntityExtractor, CRFToken
from rasa.shared.nlu.constants import (
    ENTITY_ATTRIBUTE_END,
    ENTITY_ATTRIBUTE_START,
    ENTITY_ATTRIBUTE_TYPE,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message

from .facts import YEAR_FACTS, duration_fact, keyword_form, split_at_clause_breaks
from .numbers import duration_spans

__all__ = ["ClauseBoundCRFEntityExtractor", "clause_bound"]

TAGGERS_FILE = "crf_taggers.pkl"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=True)
class ClauseBoundCRFEntityExtractor(CRFEntityExtractor):
    """`CRFEntityExtractor` whose fact spans stay within a clause and whose durations are
    typed by their clause."""

    def persist(self, dataset: list[list[CRFToken]]) -> None:
        """Store the trained taggers and their order (not the training features)."""
        with self._model_storage.write_to(self._resource) as model_dir:
            with (model_dir / TAGGERS_FILE).open("wb") as file:
                pickle.dump((self.crf_order, self.entity_taggers), file)

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> ClauseBoundCRFEntityExtractor:
        """The stored taggers; an extractor without taggers (no entities) when the model was
        trained without entity examples and so stored none."""
        try:
            with model_storage.read_from(resource) as model_dir:
                with (model_dir / TAGGERS_FILE).open("rb") as file:
                    crf_order, taggers = pickle.load(file)  # noqa: S301 - our own model
        except (ValueError, FileNotFoundError):
            return cls(config, model_storage, resource)
        extractor = cls(config, model_storage, resource, taggers)
        extractor.crf_order = crf_order
        return extractor

    def extract_entities(self, message: Message) -> list[dict[str, Any]]:
        """The CRF's entities, made clause-bound (`clause_bound`)."""
        return clause_bound(super().extract_entities(message), message.get(TEXT) or "")


def clause_bound(entities: list[dict[str, Any]], text: str) -> list[dict[str, Any]]:
    """``entities`` of ``text`` with each fact span cut at the clause breaks inside it, each
    years span of the years fact its clause names, and the durations they missed added."""
    bounded: list[dict[str, Any]] = []
    for entity in entities:
        start, end = entity[ENTITY_ATTRIBUTE_START], entity[ENTITY_ATTRIBUTE_END]
        for part_start, part_end in split_at_clause_breaks(entity["entity"], text, start, end):
            name = entity["entity"]
            if name in YEAR_FACTS:
                name = duration_fact(text, part_start, part_end) or name
            bounded.append(
                {
                    **entity,
                    ENTITY_ATTRIBUTE_TYPE: name,
                    ENTITY_ATTRIBUTE_START: part_start,
                    ENTITY_ATTRIBUTE_END: part_end,
                    "value": text[part_start:part_end],
                }
            )
    missed = _missed_durations(text, bounded)
    return sorted(bounded + missed, key=lambda entity: entity[ENTITY_ATTRIBUTE_START])


def _missed_durations(text: str, entities: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The durations no entity covers whose clause names exactly one years fact."""
    missed = []
    for start, end in duration_spans(keyword_form(text)):
        spans = ((e[ENTITY_ATTRIBUTE_START], e[ENTITY_ATTRIBUTE_END]) for e in entities)
        if any(a < end and start < b for a, b in spans):
            continue
        fact = duration_fact(text, start, end)
        if fact is not None:
            missed.append(
                {
                    ENTITY_ATTRIBUTE_TYPE: fact,
                    ENTITY_ATTRIBUTE_START: start,
                    ENTITY_ATTRIBUTE_END: end,
                    "value": text[start:end],
                }
            )
    return missed
