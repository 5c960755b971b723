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
the years fact its clause names (none when the clause names none or several); a years span
that holds only the number of a duration ("4" of "4 yrs") is widened to the duration.

The keywords of fact_values.yml complete what the CRF finds (`keyword_completed`):
- a fact span that covers part of a keyword of its fact is widened to the whole keyword;
- in an answer to the assistant's question (an intent of `keyword_intents`, `inform`), every
  fact keyword the CRF left bare is that fact: there the words state it about the person
  answering ("有社保", "失业了"), which the same words inside a question need not do. A clause
  that states a duration keeps its keyword bare, as annotated ("社保交了六年" is the years);
- in a question about a term (`term_intents`, `explain_term`) without a term span, the first
  glossary term named is the term asked about.
Only keyword matches on token boundaries count ("村" inside "村民" is not a village).

Rasa 3.6's CRFEntityExtractor stores its training features and fits the CRF again at every
load (a minute here, at every start of the assistant); this one stores the trained taggers
(sklearn-crfsuite CRFs pickle with their model file) and loads them as they are.
"""

from __future__ import annotations

import pickle
from bisect import bisect_right
from collections.abc import Callable, Iterable
from typing import Any

from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.extractors.crf_entity_extractor import CRFEntityExtractor, CRFToken
from rasa.shared.nlu.constants import (
    ENTITY_ATTRIBUTE_END,
    ENTITY_ATTRIBUTE_START,
    ENTITY_ATTRIBUTE_TYPE,
    INTENT,
    INTENT_NAME_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message

from .facts import (
    YEAR_FACTS,
    clause_around,
    duration_fact,
    fact_keywords,
    fact_pattern,
    keyword_form,
    split_at_clause_breaks,
    term_pattern,
)
from .numbers import duration_spans

__all__ = ["ClauseBoundCRFEntityExtractor", "clause_bound", "keyword_completed"]

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
        """The stored taggers. A resource in Rasa's own format (a training cache from before
        this class stored taggers) is refitted as Rasa does; one without either (trained
        without entity examples) gives an extractor that finds no entities."""
        try:
            with model_storage.read_from(resource) as model_dir:
                if not (model_dir / TAGGERS_FILE).exists():
                    return super().load(config, model_storage, resource, execution_context)
                with (model_dir / TAGGERS_FILE).open("rb") as file:
                    crf_order, taggers = pickle.load(file)  # noqa: S301 - our own model
        except ValueError:  # no resource: nothing was persisted
            return cls(config, model_storage, resource)
        extractor = cls(config, model_storage, resource, taggers)
        extractor.crf_order = crf_order
        return extractor

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """Rasa's CRF options, plus the intents whose bare fact keywords state facts and the
        intents that ask what a term means (see `keyword_completed`)."""
        return {
            **CRFEntityExtractor.get_default_config(),
            "keyword_intents": ["inform"],
            "term_intents": ["explain_term"],
        }

    def extract_entities(self, message: Message) -> list[dict[str, Any]]:
        """The CRF's entities, made clause-bound (`clause_bound`) and completed from the fact
        keywords (`keyword_completed`)."""
        text = message.get(TEXT) or ""
        entities = clause_bound(super().extract_entities(message), text)
        tokens = message.get(TOKENS_NAMES[TEXT]) or []
        intent = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
        return keyword_completed(
            entities,
            text,
            {(token.start, token.end) for token in tokens},
            stated=intent in self.component_config["keyword_intents"],
            term_asked=intent in self.component_config["term_intents"],
        )


def clause_bound(entities: list[dict[str, Any]], text: str) -> list[dict[str, Any]]:
    """``entities`` of ``text`` with each fact span cut at the clause breaks inside it, each
    years span of the years fact its clause names, and the durations they missed added."""
    bounded: list[dict[str, Any]] = []
    for entity in entities:
        start, end = entity[ENTITY_ATTRIBUTE_START], entity[ENTITY_ATTRIBUTE_END]
        for part_start, part_end in split_at_clause_breaks(entity["entity"], text, start, end):
            name = entity["entity"]
            # (a duration the tagger took for another fact's words is the years fact its
            # clause names: "在沈阳上班两年了" tagged "两年" as the residence)
            if name in YEAR_FACTS or _only_a_duration(text[part_start:part_end]):
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


def keyword_completed(
    entities: list[dict[str, Any]],
    text: str,
    tokens: set[tuple[int, int]],
    stated: bool = False,
    term_asked: bool = False,
) -> list[dict[str, Any]]:
    """``entities`` of ``text`` (tokens at the ``(start, end)`` spans ``tokens``) widened to
    the fact keywords they cover part of, plus the bare keywords of an answer (``stated``)
    and the term of a question about one (``term_asked``); see the module docstring."""
    form = keyword_form(text)
    aligned = _aligner(tokens)
    completed = widened_to_keywords(entities, text, tokens)
    if stated:
        for start, end, fact in bare_keywords(form, completed, aligned):
            if not any(duration_spans(keyword_form(clause_around(text, start, end)))):
                completed.append(_entity(fact, start, end, text))
    if term_asked and not any(entity["entity"] == "term" for entity in completed):
        covered = _covered(form, completed)
        for start, end in aligned(match.span() for match in term_pattern().finditer(form)):
            if not any(covered[start:end]):
                completed.append(_entity("term", start, end, text))
                break
    return sorted(completed, key=lambda entity: entity[ENTITY_ATTRIBUTE_START])


def _aligner(tokens: set[tuple[int, int]]) -> Callable[[Iterable[tuple[int, int]]],
                                                       list[tuple[int, int]]]:
    """The spans of those given that begin and end at token boundaries."""
    starts = {start for start, _ in tokens}
    ends = {end for _, end in tokens}
    return lambda spans: [(a, b) for a, b in spans if a in starts and b in ends]


def widened_to_keywords(entities: list[dict[str, Any]], text: str,
                        tokens: set[tuple[int, int]]) -> list[dict[str, Any]]:
    """``entities`` of ``text``, in their order, each widened to the keywords (or the
    duration) of its fact it covers part of, where they align with ``tokens``."""
    form = keyword_form(text)
    aligned = _aligner(tokens)
    keyword_spans: dict[str, list[tuple[int, int]]] = {}

    def spans_of(name: str) -> list[tuple[int, int]]:
        """The aligned keyword (or duration) spans of a fact, found once per message: in
        order and without overlaps (the matches of one pattern)."""
        if name not in keyword_spans:
            if name in YEAR_FACTS:
                found = duration_spans(form)
            else:
                pattern = fact_pattern(name)
                found = [m.span() for m in pattern.finditer(form)] if pattern is not None else []
            keyword_spans[name] = aligned(found)
        return keyword_spans[name]

    return [_widened(entity, text, spans_of(entity["entity"])) for entity in entities]


def _widened(entity: dict[str, Any], text: str, spans: list[tuple[int, int]]) -> dict[str, Any]:
    """``entity`` widened to those keyword ``spans`` of its fact (in order, without overlaps,
    so their ends are in order too) that it overlaps."""
    start, end = entity[ENTITY_ATTRIBUTE_START], entity[ENTITY_ATTRIBUTE_END]
    # the first span ending after the entity starts, then each one starting before it ends
    index = bisect_right(spans, start, key=lambda span: span[1])
    while index < len(spans) and spans[index][0] < entity[ENTITY_ATTRIBUTE_END]:
        a, b = spans[index]
        start, end = min(start, a), max(end, b)
        index += 1
    if (start, end) == (entity[ENTITY_ATTRIBUTE_START], entity[ENTITY_ATTRIBUTE_END]):
        return entity
    return {**entity, ENTITY_ATTRIBUTE_START: start, ENTITY_ATTRIBUTE_END: end,
            "value": text[start:end]}


def bare_keywords(
    form: str,
    entities: list[dict[str, Any]],
    aligned: Callable[[Iterable[tuple[int, int]]], list[tuple[int, int]]],
) -> list[tuple[int, int, str]]:
    """The fact keywords no entity overlaps, longest first, none overlapping another; a
    keyword of several facts states each of them ("don't live or work there": living there
    and working there; 退休: no job, and no graduate of this year), also where an entity of
    one of them covers exactly its words."""
    found = [
        (a, b, fact)
        for fact in fact_keywords().values
        if (pattern := fact_pattern(fact)) is not None
        for a, b in aligned(m.span() for m in pattern.finditer(form))
    ]
    found.sort(key=lambda match: (match[0] - match[1], match[0]))  # longest first
    covered = _covered(form, entities)
    stated: dict[tuple[int, int], set[str]] = {}
    for entity in entities:
        span = (entity[ENTITY_ATTRIBUTE_START], entity[ENTITY_ATTRIBUTE_END])
        stated.setdefault(span, set()).add(entity[ENTITY_ATTRIBUTE_TYPE])
    taken: list[tuple[int, int, str]] = []
    for a, b, fact in found:
        same_words = (a, b) in stated and fact not in stated[(a, b)]
        if same_words or not any(covered[a:b]):
            taken.append((a, b, fact))
            covered[a:b] = b"\x01" * (b - a)
            stated.setdefault((a, b), set()).add(fact)
    return taken


def _covered(text: str, entities: list[dict[str, Any]]) -> bytearray:
    """One byte per character of ``text``: 1 where an entity covers it (so that a message of
    thousands of entities is checked in linear time)."""
    covered = bytearray(len(text))
    for entity in entities:
        start, end = entity[ENTITY_ATTRIBUTE_START], entity[ENTITY_ATTRIBUTE_END]
        covered[start:end] = b"\x01" * (end - start)
    return covered


def _entity(fact: str, start: int, end: int, text: str) -> dict[str, Any]:
    return {
        ENTITY_ATTRIBUTE_TYPE: fact,
        ENTITY_ATTRIBUTE_START: start,
        ENTITY_ATTRIBUTE_END: end,
        "value": text[start:end],
    }


def _only_a_duration(words: str) -> bool:
    """Whether ``words`` are one duration and nothing else ("两年", "3 years")."""
    form = keyword_form(words).strip()
    return bool(form) and duration_spans(form) == [(0, len(form))]


def _missed_durations(text: str, entities: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The durations no entity covers whose clause names exactly one years fact."""
    missed = []
    covered = _covered(text, entities)
    for start, end in duration_spans(keyword_form(text)):
        if any(covered[start:end]):
            continue
        fact = duration_fact(text, start, end)
        if fact is not None:
            missed.append(_entity(fact, start, end, text))
    return missed
