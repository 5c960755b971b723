"""FactAwareFallbackClassifier: facts stated in an unclear message are not thrown away."""

from __future__ import annotations

from typing import Any

import pytest
from rasa.engine.graph import ExecutionContext
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message

from assistant.nlu.fact_reader import FACTS, QUESTION_KINDS, read_message
from assistant.nlu.fallback import FactAwareFallbackClassifier, personal_facts


@pytest.fixture()
def classifier(tmp_path: Any) -> FactAwareFallbackClassifier:
    config = {
        **FactAwareFallbackClassifier.get_default_config(),
        "threshold": 0.55,
        "ambiguity_threshold": 0.1,
    }
    return FactAwareFallbackClassifier.create(
        config,
        LocalModelStorage(tmp_path),
        Resource("fallback"),
        ExecutionContext(node_name="fallback", graph_schema=None),
    )


def facts_of(entities: list[dict[str, Any]]) -> tuple[str, dict[str, Any]]:
    """A message made of the entities' words, and the facts the FactReader reads in it."""
    text, placed = "", []
    for entity in entities:
        start = len(text)
        text += f"{entity['value']}，"
        placed.append({**entity, "start": start, "end": start + len(str(entity["value"]))})
    return text, read_message(text, placed, set())[1]


def message(ranking: list[tuple[str, float]], entities: list[dict[str, Any]]) -> Message:
    """A parsed message as the fallback sees it: the FactReader has read its facts."""
    intents = [{"name": name, "confidence": confidence} for name, confidence in ranking]
    text, facts = facts_of(entities)
    return Message(data={"text": text, "intent": intents[0], "intent_ranking": intents,
                         "entities": entities, FACTS: facts})


JOB = {"entity": "employment", "value": "have a steady job"}
RENT = {"entity": "residence", "value": "rented"}
CITY = {"entity": "city", "value": "Benxi"}
GUESS = {"entity": "employment", "value": "probably"}


def top_intent(classifier: FactAwareFallbackClassifier, msg: Message) -> str:
    return str(classifier.process([msg])[0].data["intent"]["name"])


def test_facts_keep_an_ambiguous_intent(classifier: FactAwareFallbackClassifier) -> None:
    msg = message([("settlement_eligibility", 0.50), ("inform", 0.49)], [JOB, RENT])
    assert top_intent(classifier, msg) == "settlement_eligibility"


@pytest.mark.parametrize(
    ("ranking", "entities"),
    [
        ([("settlement_eligibility", 0.51), ("family_reunion", 0.48)], [CITY]),  # a place only
        ([("settlement_eligibility", 0.50), ("inform", 0.49)], [GUESS]),  # no readable fact
        ([("settlement_eligibility", 0.25), ("inform", 0.20)], [JOB]),  # too unsure
        ([("greet", 0.40), ("thanks", 0.35)], []),
    ],
)
def test_other_unclear_messages_fall_back(
    classifier: FactAwareFallbackClassifier,
    ranking: list[tuple[str, float]],
    entities: list[dict[str, Any]],
) -> None:
    assert top_intent(classifier, message(ranking, entities)) == "nlu_fallback"


def test_a_clear_message_is_left_alone(classifier: FactAwareFallbackClassifier) -> None:
    msg = message([("inform", 0.97), ("settlement_eligibility", 0.02)], [])
    assert top_intent(classifier, msg) == "inform"


def test_personal_facts_ignore_places_terms_and_pathways() -> None:
    entities = [CITY, {"entity": "term", "value": "合法稳定住所"}, RENT, GUESS,
                {"entity": "pathway", "value": "talent_settlement"}]
    assert personal_facts(facts_of(entities)[1]) == ["residence"]


def with_kinds(msg: Message, kinds: list[str]) -> Message:
    msg.set(QUESTION_KINDS, kinds)
    return msg


WORK = {"entity": "employment", "value": "上班"}
INSURED = {"entity": "social_insurance", "value": "社保"}


def test_a_described_situation_never_falls_back(
    classifier: FactAwareFallbackClassifier,
) -> None:
    ranking = [("residence_permit", 0.22), ("settlement_eligibility", 0.20)]
    situation = with_kinds(message(ranking, [WORK, RENT, INSURED]), ["hukou"])
    assert top_intent(classifier, situation) == "residence_permit"
    two_facts = with_kinds(message(ranking, [WORK, RENT]), [])
    assert top_intent(classifier, two_facts) == "residence_permit"
    one_fact = with_kinds(message(ranking, [WORK]), ["hukou"])
    assert top_intent(classifier, one_fact) == "nlu_fallback"


def test_a_documents_question_naming_a_pathway_never_falls_back(
    classifier: FactAwareFallbackClassifier,
) -> None:
    ranking = [("public_services", 0.3), ("residence_permit", 0.28)]
    named = with_kinds(message(ranking, [{"entity": "pathway", "value": "居住证"}]),
                       ["documents"])
    assert top_intent(classifier, named) == "public_services"
    unnamed = with_kinds(message(ranking, []), ["documents"])
    assert top_intent(classifier, unnamed) == "nlu_fallback"


def test_an_unclear_correction_informs(classifier: FactAwareFallbackClassifier) -> None:
    ranking = [("settlement_eligibility", 0.3), ("policy_overview", 0.25)]
    place = {"entity": "city", "value": "沈阳"}
    correction = with_kinds(message(ranking, [place]), ["correction"])
    assert top_intent(classifier, correction) == "inform"
    assert correction.data["intent_ranking"][0]["name"] == "inform"
    no_facts = with_kinds(message(ranking, []), ["correction"])
    assert top_intent(classifier, no_facts) == "nlu_fallback"
    sure = with_kinds(message([("settlement_eligibility", 0.9)], [place]), ["correction"])
    assert top_intent(classifier, sure) == "settlement_eligibility"


def test_a_move_of_the_hukou_to_a_place_named_is_the_settlement_question(
    classifier: FactAwareFallbackClassifier,
) -> None:
    ranking = [("settlement_eligibility", 0.35), ("family_reunion", 0.26)]
    place = {"entity": "city", "value": "丹东"}
    move = with_kinds(message(ranking, [place]), ["hukou"])
    assert top_intent(classifier, move) == "settlement_eligibility"
    no_place = with_kinds(message(ranking, []), ["hukou"])
    assert top_intent(classifier, no_place) == "nlu_fallback"
    instead = with_kinds(message(ranking, []), ["hukou", "correction"])
    assert top_intent(classifier, instead) == "settlement_eligibility"
    other = with_kinds(message([("public_services", 0.35), ("rural_rights", 0.3)], [place]),
                       ["hukou"])
    assert top_intent(classifier, other) == "nlu_fallback"
    # under fact_threshold, above move_threshold: a move to a place named is still the
    # settlement question; under both, a guess
    unsure = with_kinds(message([("settlement_eligibility", 0.25)], [place]), ["hukou"])
    assert top_intent(classifier, unsure) == "settlement_eligibility"
    guess = with_kinds(message([("settlement_eligibility", 0.15)], [place]), ["hukou"])
    assert top_intent(classifier, guess) == "nlu_fallback"
