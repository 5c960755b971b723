"""The project's NLU data against the tokenizer and the fact interpreter.

DIET learns an entity only when its annotation starts and ends on token boundaries (Rasa
otherwise warns "Misaligned entity annotation" and trains on a wrong span), and an annotated
value is useful only if `interpret` understands it. The held-out set measures the model only
if training never saw its messages.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.loading import load_data
from rasa.shared.nlu.training_data.message import Message

from assistant.nlu.facts import fact_keywords, interpret
from assistant.nlu.normalise import normalise
from assistant.nlu.tokenizer import BilingualTokenizer, normalise_message
from policies import vocabulary as vocabulary_of_places

ROOT = Path(__file__).resolve().parents[2]
TRAINING_FILES = sorted((ROOT / "nlu_data" / "nlu").rglob("*.yml"))
HELD_OUT_FILES = sorted((ROOT / "nlu_data" / "test").glob("nlu_*.yml"))
FILES = TRAINING_FILES + HELD_OUT_FILES
# Place mentions are interpreted by policies.vocabulary; misspellings ("Dailan") are there on
# purpose and may stay unresolved.
UNCHECKED_VALUES = {"city", "province"}


def examples() -> list[tuple[str, Message]]:
    found = []
    for path in FILES:
        for example in load_data(str(path)).training_examples:
            if example.get(ENTITIES):
                normalise_message(example)
                found.append((str(path.relative_to(ROOT)), example))
    return found


@pytest.fixture(scope="module")
def annotated() -> list[tuple[str, Message]]:
    if not FILES:
        pytest.skip("no NLU data yet")
    return examples()


def test_entities_align_with_tokens(
    annotated: list[tuple[str, Message]], tokenizer: BilingualTokenizer
) -> None:
    problems = []
    for path, example in annotated:
        tokens = tokenizer.tokenize(example, TEXT)
        starts, ends = {t.start for t in tokens}, {t.end for t in tokens}
        text = example.get(TEXT)
        for entity in example.get(ENTITIES):
            if entity["start"] not in starts or entity["end"] not in ends:
                words = " | ".join(t.text for t in tokens)
                span = text[entity["start"] : entity["end"]]
                problems.append(f"{path}: [{span}]({entity['entity']}) in {words}")
    assert not problems, "\n".join(problems)


def test_annotated_values_are_understood(annotated: list[tuple[str, Message]]) -> None:
    problems = []
    for path, example in annotated:
        for entity in example.get(ENTITIES):
            name = entity["entity"]
            if name not in UNCHECKED_VALUES and interpret(name, entity["value"]) is None:
                problems.append(f"{path}: {name}={entity['value']!r} in {example.get(TEXT)!r}")
    assert not problems, "\n".join(problems)


def test_annotated_words_read_as_their_value(annotated: list[tuple[str, Message]]) -> None:
    """The FactReader alone turns an entity's words into its value (there are no synonyms):
    every annotated span, extracted as it stands, must read as the value it is annotated
    with (fact_values.yml keywords, or `span_forms` for words that state a fact only as a
    whole span). (Of the training data: the held-out sets measure what is extracted, not
    the words' values.)"""
    problems = []
    training = {str(path.relative_to(ROOT)) for path in TRAINING_FILES}
    for path, example in annotated:
        if path not in training:
            continue
        text = example.get(TEXT)
        for entity in example.get(ENTITIES):
            name, span = entity["entity"], text[entity["start"] : entity["end"]]
            if name in UNCHECKED_VALUES or entity["value"] == span:
                continue
            if interpret(name, span) != interpret(name, entity["value"]):
                problems.append(f"{path}: [{span}]({name}) is not read as {entity['value']!r}")
    assert not problems, "\n".join(problems)


def _folded(text: str) -> str:
    """A message as the model sees it, give or take case, script, spaces and punctuation."""
    return re.sub(r"[\W_]+", "", normalise(text).lower())


def test_held_out_messages_are_not_in_the_training_data() -> None:
    training = {
        _folded(example.get(TEXT))
        for path in TRAINING_FILES
        for example in load_data(str(path)).training_examples
    }
    seen = [
        f"{path.name}: {example.get(TEXT)!r}"
        for path in HELD_OUT_FILES
        for example in load_data(str(path)).training_examples
        if _folded(example.get(TEXT)) in training
    ]
    assert not seen, "held-out messages also in training:\n" + "\n".join(seen)


BLIND_SETS = sorted((ROOT / "tests" / "blind").glob("conversations*.yml"))


def test_blind_conversations_are_not_in_the_training_data() -> None:
    """The blind end-to-end sets measure the model only if no message of them was trained
    on."""
    training = {
        _folded(example.get(TEXT))
        for path in TRAINING_FILES
        for example in load_data(str(path)).training_examples
    }
    assert len(BLIND_SETS) >= 3
    cases = [case for path in BLIND_SETS
             for case in yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]]
    # A reply that is one word of the fact vocabulary ("租的") is the vocabulary itself, which
    # the NLU reads anyway (fact_values.yml), not a message that could be learnt by heart; so
    # is a place's name ("Dandong", "山东的", "辽宁朝阳": from the place data, the province's
    # name before a Chinese one), and a reply of two characters at most ("hi").
    vocabulary = {_folded(keyword) for _, _, keyword in fact_keywords().all_keywords()}
    forms = vocabulary_of_places.place_surface_forms()
    places = {_folded(name) for name in forms}
    index = vocabulary_of_places.place_index()
    provinces = {_folded(name) for name, place_id in forms.items()
                 if (place := index.get(place_id)) is not None and place.kind == "province"
                 and place.province is not None}
    vocabulary |= places | {f"{name}的" for name in places} | {
        f"{province}{name}" for province in provinces for name in places}
    seen = [f"{case['id']}: {turn!r}" for case in cases for turn in case["turns"]
            if _folded(turn) in training and _folded(turn) not in vocabulary
            and len(_folded(turn)) > 2]
    assert not seen, "blind messages also in training:\n" + "\n".join(seen)
