"""A tiny real Rasa training run with the project's tokenizer, then parsing with the model."""

from __future__ import annotations

import asyncio
import copy
import tarfile
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import scipy.sparse
import tensorflow as tf

from assistant.nlu.diet import FastLoadDIETClassifier
from assistant.nlu.intent_ensemble import IntentEnsembleClassifier

CONFIG = """\
recipe: default.v1
language: zh
assistant_id: nlu-smoke-test
pipeline:
- name: assistant.nlu.tokenizer.BilingualTokenizer
- name: RegexFeaturizer
  use_lookup_tables: true
  use_word_boundaries: false
- name: CountVectorsFeaturizer
- name: DIETClassifier
  epochs: 20
  number_of_transformer_layers: 0
  random_seed: 1
- name: EntitySynonymMapper
policies: []
"""

NLU = """\
version: "3.1"
nlu:
- intent: settlement_eligibility
  examples: |
    - 我想在[大连](city)落户
    - 能在[瓦房店](city)落户吗
    - 在[瀋陽](city)能不能落户
    - can i settle in [Dalian](city)
    - how to get hukou in [Dandong](city)
- intent: inform
  examples: |
    - [租的](residence)
    - [没交社保]{"entity": "social_insurance", "value": "false"}
    - i [rent]{"entity": "residence", "value": "rented"}
    - [买的房子]{"entity": "residence", "value": "owned"}
- synonym: dalian
  examples: |
    - 大连
    - 大連
- synonym: shenyang
  examples: |
    - 沈阳
- synonym: rented
  examples: |
    - 租的
- lookup: city
  examples: |
    - 大连
    - 瓦房店
    - 沈阳
    - 丹东
"""


def graph_ops(function: Any) -> list[tuple[str, list[str], list[str]]]:
    """The operations of a traced function's graph: type, input and output types."""
    graph = function.get_concrete_function().graph
    return [(op.type, [t.dtype.name for t in op.inputs], [t.dtype.name for t in op.outputs])
            for op in graph.get_operations()]


def train(config: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    """Train NLU on NLU with ``config`` and load the model (a rasa Agent)."""
    from rasa.core.agent import Agent
    from rasa.model_training import train_nlu

    # a real training run, not one restored from (or stored in) the project's .rasa/cache
    monkeypatch.setenv("RASA_CACHE_DIRECTORY", str(tmp_path / "cache"))

    (tmp_path / "config.yml").write_text(config, encoding="utf-8")
    (tmp_path / "nlu.yml").write_text(NLU, encoding="utf-8")
    model = train_nlu(
        str(tmp_path / "config.yml"), str(tmp_path / "nlu.yml"), str(tmp_path / "models")
    )
    assert model is not None
    return Agent.load(model)


@pytest.mark.rasa_training
def test_train_and_parse(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    agent = train(CONFIG, tmp_path, monkeypatch)
    result = asyncio.run(agent.parse_message("我想在大連落户"))
    # the text is normalised before anything else sees it; offsets still fit the original
    assert result["text"] == "我想在大连落户"
    assert result["intent"]["name"] == "settlement_eligibility"
    [city] = [e for e in result["entities"] if e["entity"] == "city"]
    assert (city["start"], city["end"], city["value"]) == (3, 5, "dalian")

    english = asyncio.run(agent.parse_message("Can I settle in Dalian?"))
    assert english["intent"]["name"] == "settlement_eligibility"


PROJECT_COMPONENTS = """\
recipe: default.v1
language: zh
assistant_id: nlu-smoke-test
pipeline:
- name: assistant.nlu.tokenizer.BilingualTokenizer
- name: assistant.nlu.lookup_featurizer.LookupFeaturizer
  use_lookup_tables: true
  use_word_boundaries: false
- name: assistant.nlu.keyword_featurizer.FactKeywordFeaturizer
- name: CountVectorsFeaturizer
- name: assistant.nlu.diet.FastLoadDIETClassifier
  entity_recognition: false
  epochs: 20
  number_of_transformer_layers: 0
  random_seed: 1
- name: assistant.nlu.intent_ensemble.IntentEnsembleClassifier
- name: assistant.nlu.crf.ClauseBoundCRFEntityExtractor
- name: assistant.nlu.fact_reader.FactReader
policies: []
"""


@pytest.mark.rasa_training
def test_project_components_train_and_parse(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Intent-only DIET, the intent ensemble, the clause-bound CRF and the FactReader, trained
    for real."""
    agent = train(PROJECT_COMPONENTS, tmp_path, monkeypatch)
    [archive] = (tmp_path / "models").glob("*.tar.gz")
    with tarfile.open(archive) as tar:
        stored = {Path(name).name for name in tar.getnames()}
    # the trained taggers, loaded as they are (Rasa's CRF refits from crf_dataset.json)
    assert "crf_taggers.pkl" in stored and "crf_dataset.json" not in stored
    # the regression as its arrays, no skops file (importing skops.io takes seconds)
    assert any("IntentEnsembleClassifier" in name and name.endswith(".npz") for name in stored)
    assert not any(name.endswith(".skops") for name in stored)

    result = asyncio.run(agent.parse_message("我想在大連落户"))
    assert result["intent"]["name"] == "settlement_eligibility"
    confidences = [entry["confidence"] for entry in result["intent_ranking"]]
    # the ensemble's ranking is a mean of two distributions: sorted, within [0, 1]
    assert confidences == sorted(confidences, reverse=True)
    assert all(0.0 <= c <= 1.0 for c in confidences) and sum(confidences) <= 1.0 + 1e-6
    assert result["intent"]["confidence"] == confidences[0]
    [city] = [e for e in result["entities"] if e["entity"] == "city"]
    assert city["extractor"] == "ClauseBoundCRFEntityExtractor"
    assert (city["start"], city["end"], city["value"]) == (3, 5, "dalian")

    # the regression loads with its coefficients column-major, and predicts as it did
    [ensemble] = [node._component for node in agent.processor.graph_runner._instantiated_nodes
                  .values() if isinstance(node._component, IntentEnsembleClassifier)]
    assert ensemble.clf.coef_.T.flags.c_contiguous
    row_major = copy.deepcopy(ensemble.clf)
    row_major.coef_ = np.ascontiguousarray(ensemble.clf.coef_)
    features = scipy.sparse.random(20, ensemble.clf.coef_.shape[1], density=0.05,
                                   format="csr", random_state=3)
    assert np.array_equal(ensemble.clf.predict_proba(features),
                          row_major.predict_proba(features))

    # DIET's prediction, traced without AutoGraph at load, is the graph AutoGraph builds
    [diet] = [node._component.model for node in agent.processor.graph_runner
              ._instantiated_nodes.values() if isinstance(node._component, FastLoadDIETClassifier)]
    signature = diet._tf_predict_step.input_signature
    with_autograph = tf.function(diet.predict_step, input_signature=signature)
    assert graph_ops(diet._tf_predict_step) == graph_ops(with_autograph)

    informed = asyncio.run(agent.parse_message("没交社保"))
    assert informed["intent"]["name"] == "inform"
    # the FactReader types the extractor's words: no synonym maps them
    assert [(e["entity"], e["value"]) for e in informed["entities"]] == [
        ("social_insurance", False)
    ]
    assert informed["facts"] == {"social_insurance": False}
