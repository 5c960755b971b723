"""The domain, the actions package and the policy data agree on names."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from rasa_sdk.executor import ActionExecutor

from actions.fallback import NOT_OFFERED
from actions.wording import LANGS, wording
from policies import load_rules
from policies.model import TOPICS

DOMAIN_PATH = Path(__file__).resolve().parents[2] / "assistant" / "domain.yml"


def _domain() -> dict[str, Any]:
    return dict(yaml.safe_load(DOMAIN_PATH.read_text(encoding="utf-8")))


def test_every_domain_action_is_implemented_and_every_action_declared() -> None:
    executor = ActionExecutor()
    executor.register_package("actions")
    assert set(_domain()["actions"]) == set(executor.actions)


def test_one_intent_per_topic() -> None:
    assert set(TOPICS) <= set(_domain()["intents"])


def test_every_askable_fact_has_an_entity_and_a_slot_only_actions_fill() -> None:
    domain = _domain()
    for name, fact in load_rules().facts.items():
        if not fact.ask:
            continue
        assert name in domain["entities"], name
        slot = domain["slots"][name]
        assert slot["influence_conversation"] is False
        # typed by the NLU's FactReader and stored by the actions, never an entity's raw words
        assert slot["mappings"] == [{"type": "custom"}]


def test_no_slot_influences_the_conversation() -> None:
    assert all(not s["influence_conversation"] for s in _domain()["slots"].values())


def test_every_intent_a_button_may_offer_has_a_label() -> None:
    offered = set(_domain()["intents"]) - NOT_OFFERED
    for lang in LANGS:
        assert offered == set(wording(lang)["intents"]), lang
