"""FactKeywordFeaturizer: which tokens carry a word of a fact, or a negation."""

from __future__ import annotations

from pathlib import Path

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from assistant.nlu.keyword_featurizer import (
    DURATION,
    NEGATION,
    TERM,
    FactKeywordFeaturizer,
    keyword_columns,
    keyword_spans,
)
from assistant.nlu.tokenizer import BilingualTokenizer


def covered(text: str) -> dict[str, list[str]]:
    return {column: [text[a:b] for a, b in spans] for column, spans in keyword_spans(text).items()}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "我没交社保，租的房子",
            {
                "social_insurance": ["没交社保"],
                "residence": ["租的"],
                NEGATION: ["没"],
                TERM: ["交社保"],
            },
        ),
        ("my parents live in Dalian", {"relation": ["parents"], "lives_there": ["live in"]}),
        ("i'm the Legal Representative", {"legal_representative": ["Legal Representative"]}),
        # English keywords are whole words: "rent" is not inside "parent" or "current"
        ("current address of my parent", {"relation": ["parent"]}),
        ("never had a job", {NEGATION: ["never"], "employment": ["job"]}),
        # a duration is marked whatever it is the duration of; the words around it say which
        ("在沈阳住了3年半", {DURATION: ["3年半"]}),
        ("for two and a half years", {DURATION: ["two and a half years"]}),
        # glossary names and aliases, whether or not they are also fact keywords
        ("合法稳定住所啥意思", {TERM: ["合法稳定住所"]}),
        ("交了五年社保", {DURATION: ["五年"], "social_insurance": ["社保"], TERM: ["社保"]}),
    ],
)
def test_keyword_spans(text: str, expected: dict[str, list[str]]) -> None:
    assert covered(text) == expected


def test_words_that_only_look_negated_are_not_negations() -> None:
    assert NEGATION not in keyword_spans("无锡的不动产")
    assert keyword_spans("不交社保")[NEGATION] == [(0, 1)]


def test_columns_are_the_facts_with_keywords_then_duration_term_negation() -> None:
    columns = keyword_columns()
    assert columns[-3:] == (DURATION, TERM, NEGATION)
    assert {"residence", "employment", "relation", "move_to"} <= set(columns)
    assert list(columns[:-3]) == sorted(columns[:-3])


def test_features_mark_the_tokens_a_keyword_covers(tmp_path: Path) -> None:
    tokenizer = BilingualTokenizer(BilingualTokenizer.get_default_config())
    storage = LocalModelStorage(tmp_path)
    featurizer = FactKeywordFeaturizer.create(
        FactKeywordFeaturizer.get_default_config(),
        storage,
        Resource("keywords"),
        ExecutionContext(GraphSchema({}), node_name="keywords"),
    )
    [message] = tokenizer.process([Message(data={TEXT: "我在大连上班 没交社保"})])
    featurizer.process([message])
    tokens: list[Token] = message.get("text_tokens")
    sequence, sentence = message.get_sparse_features(TEXT)
    assert sequence is not None and sentence is not None
    matrix = sequence.features.toarray()
    columns = keyword_columns()
    marked = {
        token.text: {columns[i] for i, value in enumerate(row) if value}
        for token, row in zip(tokens, matrix, strict=True)
    }
    assert marked["上班"] == {"employment"}
    assert marked["大连"] == set()
    assert {"social_insurance", NEGATION} <= set().union(*(marked[t.text] for t in tokens[-2:]))
    assert sentence.features.toarray()[0].tolist() == matrix.max(axis=0).tolist()
    # the same marks are token patterns, which the CRF entity extractor reads
    patterns = {token.text: token.get("pattern") for token in tokens}
    assert patterns["上班"]["keyword_employment"] is True
    assert patterns["大连"]["keyword_employment"] is False
    assert set(patterns["大连"]) >= {f"keyword_{column}" for column in columns}
