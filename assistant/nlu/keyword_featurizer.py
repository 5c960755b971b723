"""`FactKeywordFeaturizer`: tells the classifiers and the CRF which tokens belong to a word of
a fact.

The keywords of fact_values.yml are the product's vocabulary for each fact ("租的" is a word of
`residence`, "legal representative" one of `legal_representative`); `interpret` reads values
with them after extraction. This featurizer gives the same knowledge to the extractor: each
token gets one sparse feature per fact whose keyword covers it, one for a duration ("五年",
"3 years"), one for a glossary term and one for a negation word, so a token seldom seen in
training but listed as a keyword still points to its fact. Chinese keywords match anywhere,
English ones as whole words (`facts.keyword_pattern`), on the normalised, lower-cased text;
the sentence feature is the union of the token features. The same marks are set as token
`pattern`s (`keyword_<column>`), the features Rasa's CRF entity extractor reads.

Rasa's RegexFeaturizer cannot do this with lookup tables: one word-boundary setting applies to
all of them, and Chinese needs none while English needs them ("rent" is inside "parent").
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache
from typing import Any

import numpy as np
import scipy.sparse
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.featurizers.sparse_featurizer.sparse_featurizer import SparseFeaturizer
from rasa.nlu.tokenizers.tokenizer import Tokenizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from .facts import (
    fact_keywords,
    fact_pattern,
    find_keyword,
    keyword_form,
    negation_pattern,
    term_pattern,
)
from .numbers import duration_spans

__all__ = ["FactKeywordFeaturizer", "keyword_columns", "keyword_spans"]

DURATION = "duration"
TERM = "term"
NEGATION = "negation"


@lru_cache(maxsize=1)
def keyword_columns() -> tuple[str, ...]:
    """The feature columns: every fact that has keywords, then `duration` (an amount of
    years or months: which years fact it is depends on the words around it), `term` (a
    glossary term's name or alias) and `negation`."""
    return (*sorted(fact_keywords().values), DURATION, TERM, NEGATION)


@lru_cache(maxsize=1)
def _patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """The expression of each column matched by keywords, in column order."""
    facts = [(fact, fact_pattern(fact)) for fact in sorted(fact_keywords().values)]
    columns = [(fact, pattern) for fact, pattern in facts if pattern is not None]
    return (*columns, (TERM, term_pattern()), (NEGATION, negation_pattern()))


def keyword_spans(text: str) -> dict[str, list[tuple[int, int]]]:
    """Character spans of the keywords of each column in ``text`` (normalised already)."""
    form = keyword_form(text)
    exceptions = [
        span for word in fact_keywords().not_negation for span in find_keyword(word, form)
    ]
    spans: dict[str, list[tuple[int, int]]] = {}
    for column, pattern in _patterns():
        found = [match.span() for match in pattern.finditer(form)]
        if column == NEGATION:
            found = [(s, e) for s, e in found if not any(a <= s and e <= b for a, b in exceptions)]
        if found:
            spans[column] = found
    durations = duration_spans(form)
    if durations:
        spans[DURATION] = durations
    return spans


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class FactKeywordFeaturizer(SparseFeaturizer, GraphComponent):
    """Sparse token and sentence features: which fact's keywords, or a negation, cover a
    token."""

    @classmethod
    def required_components(cls) -> list[type]:
        """Tokens are needed to place the features."""
        return [Tokenizer]

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """Only the options every sparse featurizer has."""
        return SparseFeaturizer.get_default_config()

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> FactKeywordFeaturizer:
        """Create the component (the keywords load on first use, then stay cached)."""
        return cls(execution_context.node_name, config)

    @classmethod
    def validate_config(cls, config: dict[str, Any]) -> None:
        """Nothing to validate beyond Rasa's own checks."""

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Featurise the text of every training example."""
        for example in training_data.training_examples:
            self._featurize(example)
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        """Featurise incoming messages in place."""
        for message in messages:
            self._featurize(message)
        return messages

    def _featurize(self, message: Message) -> None:
        text = message.get(TEXT)
        tokens = message.get(TOKENS_NAMES[TEXT], [])
        if not text or not tokens:
            return
        columns = keyword_columns()
        sequence = np.zeros((len(tokens), len(columns)))
        ends = [token.end for token in tokens]  # tokens are in order and do not overlap
        for column, spans in keyword_spans(text).items():
            index = columns.index(column)
            for start, end in spans:
                # the tokens overlapping the span: from the first one ending after its start
                position = bisect_right(ends, start)
                while position < len(tokens) and tokens[position].start < end:
                    sequence[position, index] = 1.0
                    position += 1
        for position, token in enumerate(tokens):
            patterns = token.get("pattern", default={})
            for index, column in enumerate(columns):
                patterns[f"keyword_{column}"] = bool(sequence[position, index])
            token.set("pattern", patterns)
        sentence = sequence.max(axis=0, keepdims=True)
        self.add_features_to_message(
            scipy.sparse.coo_matrix(sequence), scipy.sparse.coo_matrix(sentence), TEXT, message
        )
