"""A tiny real Rasa training run with the project's tokenizer, then parsing with the model."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

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


@pytest.mark.rasa_training
def test_train_and_parse(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from rasa.core.agent import Agent
    from rasa.model_training import train_nlu

    # a real training run, not one restored from (or stored in) the project's .rasa/cache
    monkeypatch.setenv("RASA_CACHE_DIRECTORY", str(tmp_path / "cache"))

    (tmp_path / "config.yml").write_text(CONFIG, encoding="utf-8")
    (tmp_path / "nlu.yml").write_text(NLU, encoding="utf-8")
    model = train_nlu(
        str(tmp_path / "config.yml"), str(tmp_path / "nlu.yml"), str(tmp_path / "models")
    )
    assert model is not None

    agent = Agent.load(model)
    result = asyncio.run(agent.parse_message("我想在大連落户"))
    # the text is normalised before anything else sees it; offsets still fit the original
    assert result["text"] == "我想在大连落户"
    assert result["intent"]["name"] == "settlement_eligibility"
    [city] = [e for e in result["entities"] if e["entity"] == "city"]
    assert (city["start"], city["end"], city["value"]) == (3, 5, "dalian")

    english = asyncio.run(agent.parse_message("Can I settle in Dalian?"))
    assert english["intent"]["name"] == "settlement_eligibility"
