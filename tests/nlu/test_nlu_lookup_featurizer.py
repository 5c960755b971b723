"""LookupFeaturizer gives exactly RegexFeaturizer's features and token marks, on the project's
lookup tables and messages in both languages."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.featurizers.sparse_featurizer.regex_featurizer import RegexFeaturizer
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.nlu.utils import pattern_utils
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.loading import load_data
from rasa.shared.nlu.training_data.message import Message

from assistant.nlu.generate import generate
from assistant.nlu.lookup_featurizer import Literals, LookupFeaturizer, literal_entries
from assistant.nlu.tokenizer import BilingualTokenizer

ROOT = Path(__file__).resolve().parents[2]
#: what the lookup tables make hard: case, re's extra case equivalences, entries inside
#: others, one entry listed before a longer one that starts the same
TRICKY = [
    "I WORK IN DALIAN AND RENT IN SHENYANG", "Lüshunkou district", "LÜSHUNKOU DISTRICT",
    "ſhenyang and ſhandong", "Beijing Chaoyang District, beijingchaoyang", "大连市瓦房店市",
    "辽宁省沈阳市和平区", "", "   ", "qingdaoqingdao", "jinan jinan city jinanshi", "K",
]


def messages() -> list[str]:
    """Every NLU example (training and held-out) and every blind conversation turn."""
    files = [*(ROOT / "nlu_data" / "nlu").rglob("*.yml"),
             *(ROOT / "nlu_data" / "test").glob("nlu_*.yml")]
    texts = [example.get(TEXT) for path in sorted(files)
             for example in load_data(str(path)).training_examples]
    for path in sorted((ROOT / "tests" / "blind").glob("*.yml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]:
            texts += [turn for turn in case["turns"] if isinstance(turn, str)]
    return texts + TRICKY


@pytest.fixture(scope="module")
def lookup_tables(tmp_path_factory: pytest.TempPathFactory) -> Any:
    out = tmp_path_factory.mktemp("generated")
    generate(out)
    return load_data(str(out / "places.yml"))


def featurizer(cls: type[RegexFeaturizer], patterns: list[dict[str, str]],
               case_sensitive: bool, tmp_path: Path) -> RegexFeaturizer:
    config = {**cls.get_default_config(), "case_sensitive": case_sensitive}
    return cls(config, LocalModelStorage(tmp_path), Resource("regex"),
               ExecutionContext(GraphSchema({}), node_name="regex"), known_patterns=patterns)


@pytest.fixture(scope="module")
def tokenized(tokenizer: BilingualTokenizer) -> list[Message]:
    return tokenizer.process([Message(data={TEXT: text}) for text in messages()])


def featurized(component: RegexFeaturizer, tokenized: list[Message]) -> list[tuple[Any, ...]]:
    """The features and token marks of ``component`` on copies of the tokenized messages."""
    messages = [Message(data={TEXT: message.get(TEXT), TOKENS_NAMES[TEXT]: [
        Token(t.text, t.start, t.end, dict(t.data), t.lemma)
        for t in message.get(TOKENS_NAMES[TEXT], [])]}) for message in tokenized]
    component.process(messages)
    rows = []
    for message in messages:
        sequence, sentence = message.get_sparse_features(TEXT)
        rows.append((
            None if sequence is None else sequence.features.toarray(),
            None if sentence is None else sentence.features.toarray(),
            [token.get("pattern") for token in message.get(TOKENS_NAMES[TEXT], [])],
        ))
    return rows


@pytest.mark.parametrize(("case_sensitive", "word_boundaries"),
                         [(False, False), (True, False), (False, True)])
def test_features_are_those_of_rasa(
    lookup_tables: Any, tokenized: list[Message], tmp_path: Path,
    case_sensitive: bool, word_boundaries: bool,
) -> None:
    # the project's setting, all messages; then case kept, and word boundaries (matched by
    # `re`), on every seventh
    patterns = pattern_utils.extract_patterns(lookup_tables,
                                              use_word_boundaries=word_boundaries)
    if (case_sensitive, word_boundaries) != (False, False):
        tokenized = tokenized[::7]
    ours = featurized(featurizer(LookupFeaturizer, patterns, case_sensitive, tmp_path),
                      tokenized)
    rasa = featurized(featurizer(RegexFeaturizer, patterns, case_sensitive, tmp_path),
                      tokenized)
    for message, mine, theirs in zip(tokenized, ours, rasa, strict=True):
        assert np.array_equal(mine[0], theirs[0]), message.get(TEXT)
        assert np.array_equal(mine[1], theirs[1]), message.get(TEXT)
        assert mine[2] == theirs[2], message.get(TEXT)
    # the tables do match: place names in a good share of the messages
    assert sum(row[1] is not None and row[1].any() for row in rasa) > len(rasa) / 20


def test_only_rasas_lookup_expressions_are_read_as_entries() -> None:
    assert literal_entries(r"(大连|da\ lian|a\|b|x\\y)") == ["大连", "da lian", "a|b", "x\\y"]
    assert literal_entries(r"(\bdalian\b|\bshenyang\b)") is None
    assert literal_entries(r"(\d+)") is None
    assert literal_entries("(a||b)") is None
    assert literal_entries("[0-9]{6}") is None


@pytest.mark.parametrize("text", ["ab abc", "xabcab", "ABC aBc", "ſ s S", "ıi İI", "ɐbc"])
def test_spans_are_those_of_re(text: str) -> None:
    entries = ["ab", "abc", "b", "bc", "s", "I", "ı"]
    for flags in (0, re.IGNORECASE):
        expected = [m.span() for m in re.finditer(
            "(" + "|".join(map(re.escape, entries)) + ")", text, flags)]
        assert Literals(entries, ignore_case=bool(flags)).spans(text) == expected
