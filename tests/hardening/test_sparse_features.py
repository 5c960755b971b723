"""A message's sparse features combined in one step are those Rasa combines one featurizer at
a time: on matrices shaped as the featurizers make them, and on the trained model's parses."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
import scipy.sparse
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message

from assistant.hardening import sparse_features
from assistant.paths import MODEL_PATH
from tests.required import unavailable

RASA_COMBINE = Message._combine_features
FEATURIZERS = ["regex", "keywords", "lexical", "words", "characters"]


def matrix(rows: int, columns: int, dtype: type, seed: int, density: float = 0.1) -> Any:
    values = np.random.default_rng(seed).random((rows, columns))
    return scipy.sparse.coo_matrix(np.where(values < density, values * 10, 0).astype(dtype))


def features(*matrices: Any, kind: str = "sequence") -> list[Features]:
    return [Features(m, kind, "text", name) for m, name in zip(matrices, FEATURIZERS, strict=False)]


def described(combined: Features | None) -> Any:
    if combined is None:
        return None
    m = combined.features
    if not scipy.sparse.issparse(m):
        return type(m), m.tolist(), combined.type, combined.attribute, combined.origin
    return (type(m), m.shape, m.dtype, m.row.dtype, m.col.dtype, m.row.tolist(),
            m.col.tolist(), m.data.tolist(), combined.type, combined.attribute, combined.origin)


def outcome(combine: Any, given: list[Features]) -> Any:
    try:
        return described(combine(given, ["a", "b"]))
    except ValueError as error:  # the comparison is the point
        return type(error), str(error)


CASES = [
    # as the pipeline's five sparse featurizers make them: float64 marks, integer counts
    features(*(matrix(12, w, t, s) for s, (w, t) in enumerate(
        [(2, float), (42, float), (60, float), (3000, np.int64), (9000, np.int64)]))),
    features(*(matrix(1, w, t, s, 0.3) for s, (w, t) in enumerate(
        [(2, float), (42, float), (60, float), (3000, np.int64)])), kind="sentence"),
    features(matrix(5, 3, float, 1, 0.0), matrix(5, 4, float, 2), matrix(5, 2, float, 3, 0.0)),
    features(matrix(1, 1, float, 4, 1.0), matrix(1, 1, np.int64, 5, 1.0)),
    # left to Rasa: one matrix, other dtypes, dense features, heights that differ, CSR
    features(matrix(3, 4, float, 6)),
    features(matrix(3, 4, np.float32, 7), matrix(3, 2, np.float32, 8)),
    features(matrix(3, 4, np.int64, 9), matrix(3, 2, np.int64, 10)),
    features(np.ones((3, 2)), np.zeros((3, 4))),
    features(matrix(3, 4, float, 11), matrix(4, 2, float, 12)),
    features(matrix(3, 4, float, 13).tocsr(), matrix(3, 2, float, 14)),
    [],
]


@pytest.mark.parametrize("given", CASES)
def test_the_same_combination_as_rasa(given: list[Features]) -> None:
    assert outcome(sparse_features.combine, given) == outcome(RASA_COMBINE, given)


@pytest.fixture(scope="module")
def agent() -> Iterator[Any]:
    if not MODEL_PATH.exists():
        unavailable(f"no trained model at {MODEL_PATH}: run `make train` (make test does)")
    from rasa.core.agent import load_agent
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)
    yield asyncio.run(load_agent(model_path=str(MODEL_PATH)))


def test_the_trained_model_parses_the_same(agent: Any) -> None:
    from rasa.core.channels.channel import UserMessage

    texts = ["我在丹东有工作，租房，交社保，能落户吗？", "Can I settle in Qingdao?", "有工作",
             "I rent a flat in Haicheng and pay social insurance. Can I get hukou there?",
             "你好", "沈阳积分落户怎么算", "What documents do I need to settle in Haicheng?"]

    def parses() -> list[Any]:
        return [asyncio.run(agent.processor.parse_message(UserMessage(text))) for text in texts]

    installed = Message.__dict__["_combine_features"]
    try:
        Message._combine_features = staticmethod(RASA_COMBINE)
        expected = parses()
        sparse_features.install()
        assert Message._combine_features is sparse_features.combine
        assert parses() == expected
    finally:
        Message._combine_features = installed
