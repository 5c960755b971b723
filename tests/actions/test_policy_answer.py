"""action_policy_answer against the real policies engine."""

from __future__ import annotations

from typing import Any

import pytest
from action_helpers import entity, make_tracker, payloads, run, slot_events, texts, validate

from actions.policy_answer import ActionPolicyAnswer
from actions.wording import say
from assistant.nlu.fact_reader import read_message
from assistant.nlu.language import detect_lang
from assistant.nlu.tokenizer import segmenter
from assistant.parse_data import QUESTION_KINDS
from policies import evaluate

ACTION = ActionPolicyAnswer()
CAR_LOAN = "I rent a flat in Weihai. Which bank gives the best rate on a car loan?"
CAR_LOAN_FACTS = {"city": "weihai", "residence": "rented"}
DANDONG_ALL = {
    "city": "dandong",
    "employment": True,
    "residence": "rented",
    "social_insurance": True,
}


def test_a_topic_question_asks_for_the_first_missing_fact() -> None:
    tracker = make_tracker(
        "我想在丹东落户，可以吗？",
        "settlement_eligibility",
        [entity("city", "dandong", "丹东")],
    )
    messages, events = run(ACTION, tracker)

    [answer_text, question_text] = texts(messages)
    [payload] = payloads(messages)
    validate(payload)
    assert detect_lang(answer_text) == "zh" and detect_lang(question_text) == "zh"
    assert payload["lang"] == "zh"
    assert payload["verdict"] == "need_more_info"
    assert payload["jurisdiction"] == {"province": "liaoning", "city": "dandong"}
    assert "text" not in payload and "question" not in payload
    assert {"rules_version", "as_of"} <= set(payload)
    first = payload["missing"][0]
    question = messages[-1]
    assert [b["payload"] for b in question["buttons"]] == ["/affirm", "/deny"]
    assert question_text not in answer_text  # the question is sent once, with its buttons
    assert slot_events(events) == {
        "city": "dandong",  # the message's fact, stored by the action
        "lang": "zh",
        "pathway": "settlement_eligibility",
        "topic": "settlement_eligibility",
        "requested_fact": first,
        "pending_topic": "settlement_eligibility",
    }


def read_by_nlu(text: str, intent: str, entities: list[dict[str, Any]]) -> Any:
    """A tracker whose latest message went through the FactReader as in the pipeline."""
    tokens = {(t.start, t.end) for t in segmenter().split(text)}
    read, facts, kinds = read_message(text, entities, tokens)
    tracker = make_tracker(text, intent, read)
    tracker.latest_message[QUESTION_KINDS] = kinds
    tracker.latest_message["facts"] = facts
    return tracker


def test_a_question_about_the_rules_gets_the_clause_and_the_first_question() -> None:
    tracker = read_by_nlu(
        "我想在丹东落户，需要什么条件？",
        "settlement_eligibility",
        [entity("city", "dandong", "丹东")],
    )
    messages, events = run(ACTION, tracker)

    [payload] = payloads(messages)
    assert payload["verdict"] == "info"
    assert [f"{c['doc']}/{c['clause']}" for c in payload["citations"]][0] == "liaoning-2015/5"
    assert messages[-1]["buttons"], "the question that starts an assessment is still asked"
    assert slot_events(events)["pending_topic"] == "settlement_eligibility"


def test_a_documents_question_naming_a_pathway_lists_its_checklist() -> None:
    tracker = read_by_nlu(
        "我想在锦州投资落户，要准备哪些材料？",
        "settlement_eligibility",
        [entity("city", "jinzhou", "锦州")],
    )
    messages, events = run(ACTION, tracker)

    [payload] = payloads(messages)
    assert payload["topic"] == "required_documents" and payload["verdict"] == "info"
    assert "liaoning-2015/9" in [f"{c['doc']}/{c['clause']}" for c in payload["citations"]]
    assert {"business_license", "tax_certificate"} <= {d["id"] for d in payload["documents"]}
    # the pathway the message names is stored, not the intent's
    assert slot_events(events)["pathway"] == "investment_settlement"


def test_yes_answers_the_fact_asked_for() -> None:
    slots = {
        "city": "dandong",
        "topic": "settlement_eligibility",
        "requested_fact": "employment",
        "pending_topic": "settlement_eligibility",
        "lang": "zh",
    }
    messages, events = run(ACTION, make_tracker("有的", "affirm", slots=slots))

    [payload] = payloads(messages)
    validate(payload)
    assert payload["facts"]["employment"] is True
    assert "employment" not in payload["missing"]
    slots_set = slot_events(events)
    assert slots_set["employment"] is True
    assert slots_set["requested_fact"] == payload["missing"][0]


def test_no_answers_the_fact_asked_for_and_decides() -> None:
    slots = {
        **DANDONG_ALL,
        "social_insurance": None,
        "topic": "settlement_eligibility",
        "requested_fact": "social_insurance",
        "pending_topic": "settlement_eligibility",
    }
    messages, events = run(ACTION, make_tracker("没有", "deny", slots=slots))

    [payload] = payloads(messages)
    validate(payload)
    assert payload["verdict"] == "not_eligible"
    assert slot_events(events)["social_insurance"] is False
    assert slot_events(events)["requested_fact"] is None
    assert slot_events(events)["pending_topic"] is None
    assert all(not m.get("buttons") for m in messages)


def test_several_facts_at_once_give_a_verdict_with_clause_and_checklist() -> None:
    tracker = make_tracker(
        "我在丹东有稳定工作，租房住，也交了社保，能落户吗？",
        "settlement_eligibility",
        [
            entity("city", "dandong"),
            entity("employment", True),
            entity("residence", "rented", "租房住"),
            entity("social_insurance", True),
        ],
    )
    messages, events = run(ACTION, tracker)

    [text] = texts(messages)
    [payload] = payloads(messages)
    validate(payload)
    assert payload["verdict"] == "eligible"
    assert payload["facts"]["residence"] == "rented"
    assert ("liaoning-2015", "5") in {(c["doc"], c["clause"]) for c in payload["citations"]}
    assert {"labor_contract", "lease_contract", "social_insurance_record"} <= {
        d["id"] for d in payload["documents"]
    }
    assert "辽政发〔2015〕18号" in text
    # the typed facts are stored, so later turns need no re-interpretation
    assert slot_events(events)["residence"] == "rented"


def test_correcting_a_fact_reevaluates_the_current_topic() -> None:
    slots = {**DANDONG_ALL, "province": "liaoning", "topic": "settlement_eligibility"}
    tracker = make_tracker("其实房子是我自己的", "inform", [entity("residence", "owned")], slots)
    messages, events = run(ACTION, tracker)

    [payload] = payloads(messages)
    validate(payload)
    assert payload["topic"] == "settlement_eligibility"
    assert payload["facts"]["residence"] == "owned"
    assert "property_certificate" in {d["id"] for d in payload["documents"]}
    assert "lease_contract" not in {d["id"] for d in payload["documents"]}


def test_another_city_replaces_city_and_province() -> None:
    slots = {**DANDONG_ALL, "province": "liaoning", "topic": "settlement_eligibility"}
    tracker = make_tracker("那济南呢？", "inform", [entity("city", "jinan", "济南")], slots)
    messages, events = run(ACTION, tracker)

    [payload] = payloads(messages)
    validate(payload)
    assert payload["jurisdiction"] == {"province": "shandong", "city": "jinan"}
    assert slot_events(events)["city"] == "jinan"
    assert slot_events(events)["province"] is None


def test_a_place_outside_the_two_provinces_is_not_covered() -> None:
    tracker = make_tracker("我想在北京落户", "settlement_eligibility", [entity("city", "beijing")])
    messages, _ = run(ACTION, tracker)

    [text] = texts(messages)
    [payload] = payloads(messages)
    validate(payload)
    assert payload["verdict"] == "not_covered"
    assert payload["citations"] == []
    assert "12345" in text


def test_a_documents_question_on_the_side_then_the_waiting_question() -> None:
    slots = {
        "city": "dandong",
        "topic": "settlement_eligibility",
        "requested_fact": "employment",
        "pending_topic": "settlement_eligibility",
    }
    messages, events = run(
        ACTION, make_tracker("落户要准备哪些材料？", "required_documents", slots=slots)
    )

    [payload] = payloads(messages)
    validate(payload)
    assert payload["topic"] == "required_documents"
    waiting = evaluate("settlement_eligibility", {"city": "dandong"}, "zh")["question"]
    assert messages[-1]["text"].startswith("回到刚才的问题：")
    assert messages[-1]["text"].endswith(waiting["text"])
    assert messages[-1]["buttons"] == waiting["buttons"]
    assert slot_events(events)["topic"] == "settlement_eligibility"
    assert slot_events(events)["requested_fact"] == "employment"
    assert slot_events(events)["pending_topic"] == "settlement_eligibility"


def test_a_term_is_explained_with_its_clauses_then_the_waiting_question() -> None:
    slots = {
        "city": "dandong",
        "topic": "settlement_eligibility",
        "requested_fact": "employment",
        "pending_topic": "settlement_eligibility",
    }
    tracker = make_tracker(
        "什么是合法稳定住所？", "explain_term", [entity("term", "legal_stable_residence")], slots
    )
    messages, events = run(ACTION, tracker)

    [payload] = payloads(messages)
    validate(payload)
    assert payload["verdict"] == "info"
    assert payload["citations"]
    assert messages[-1]["buttons"]
    assert slot_events(events)["term"] == "legal_stable_residence"
    assert slot_events(events)["topic"] == "settlement_eligibility"


def test_english_question_gets_an_english_answer() -> None:
    tracker = make_tracker(
        "can i settle in Dandong?",
        "settlement_eligibility",
        [entity("city", "dandong", "Dandong")],
        {"lang": "zh"},
    )
    messages, events = run(ACTION, tracker)

    [answer_text, question_text] = texts(messages)
    [payload] = payloads(messages)
    validate(payload)
    assert payload["lang"] == "en"
    assert detect_lang(answer_text) == "en" and detect_lang(question_text) == "en"
    assert slot_events(events)["lang"] == "en"
    assert slot_events(events)["city"] == "dandong"


def test_a_button_payload_keeps_the_language() -> None:
    slots = {
        "city": "dandong",
        "topic": "settlement_eligibility",
        "lang": "en",
        "requested_fact": "employment",
        "pending_topic": "settlement_eligibility",
    }
    messages, events = run(ACTION, make_tracker("/affirm", "affirm", slots=slots))

    [payload] = payloads(messages)
    assert payload["lang"] == "en"
    assert slot_events(events)["lang"] == "en"


def test_a_button_payload_states_its_typed_facts_and_nothing_forged() -> None:
    """A payload passes no NLU: its entities are taken as typed facts when they are values
    of their fact, and anyone can type one ("/inform{...}" in the chat box)."""
    slots = {"city": "dandong", "topic": "settlement_eligibility", "employment": True,
             "requested_fact": "residence", "pending_topic": "settlement_eligibility"}
    payload = '/inform{"residence":"owned","city":"atlantis","social_insurance":"yes",' \
              '"residence_years":-3,"lang":"xx"}'
    entities = [entity("residence", "owned"), entity("city", "atlantis"),
                entity("social_insurance", "yes"), entity("residence_years", -3)]
    _, events = run(ACTION, make_tracker(payload, "inform", entities, slots))

    stored = slot_events(events)
    assert stored["residence"] == "owned"
    assert "city" not in stored and "social_insurance" not in stored
    assert "residence_years" not in stored


def test_a_bare_duration_answers_the_years_asked_for() -> None:
    slots = {
        "city": "jinan",
        "topic": "settlement_eligibility",
        "requested_fact": "social_insurance_years",
    }
    _, events = run(ACTION, make_tracker("五年", "inform", slots=slots))

    assert slot_events(events)["social_insurance_years"] == 5


def test_a_statement_in_the_words_of_the_fact_asked_for_answers_it() -> None:
    slots = {
        "city": "dandong",
        "employment": True,
        "residence": "rented",
        "topic": "settlement_eligibility",
        "requested_fact": "social_insurance",
        "pending_topic": "settlement_eligibility",
        "lang": "zh",
    }
    # no entity extracted: the words of the question's fact still answer it
    messages, events = run(ACTION, make_tracker("社保交了", "inform", slots=slots))

    [payload] = payloads(messages)
    validate(payload)
    assert payload["facts"]["social_insurance"] is True
    assert payload["verdict"] == "eligible"
    assert slot_events(events)["social_insurance"] is True


def test_a_statement_about_another_fact_does_not_answer_the_fact_asked_for() -> None:
    slots = {
        "city": "dandong",
        "topic": "settlement_eligibility",
        "requested_fact": "social_insurance",
        "lang": "zh",
    }
    _, events = run(ACTION, make_tracker("房子是租的", "inform", slots=slots))

    assert "social_insurance" not in slot_events(events)


def test_facts_without_a_question_mean_eligibility() -> None:
    tracker = make_tracker(
        "I work in Dalian", "inform", [entity("employment", True), entity("city", "dalian")]
    )
    messages, events = run(ACTION, tracker)

    [payload] = payloads(messages)
    assert payload["topic"] == "settlement_eligibility"
    assert slot_events(events)["topic"] == "settlement_eligibility"


def test_yes_without_a_question_asks_what_the_user_wants_to_know() -> None:
    messages, events = run(ACTION, make_tracker("yes", "affirm"))

    assert payloads(messages) == []
    [text] = texts(messages)
    assert detect_lang(text) == "en"
    assert "topic" not in slot_events(events)


def test_a_term_is_read_from_the_typed_words_not_the_synonym_value() -> None:
    # 社保 is also a fact keyword: the synonym mapper turns the span's value into "true"
    term = {"entity": "term", "value": "true", "start": 0, "end": 2, "extractor": "DIETClassifier"}
    messages, events = run(ACTION, make_tracker("社保是什么意思", "explain_term", [term]))

    [payload] = payloads(messages)
    validate(payload)
    assert payload["term"] == "urban_social_insurance"
    assert slot_events(events)["term"] == "urban_social_insurance"


def test_a_term_without_a_sourced_definition_is_not_guessed() -> None:
    messages, events = run(ACTION, make_tracker("准迁证是啥", "explain_term"))

    assert payloads(messages) == []
    [text] = texts(messages)
    assert "没有这个词的定义" in text and "12345" in text
    assert "term" not in slot_events(events)


UNCLEAR = "I'd like to move my household registration to Benxi"
CLARIFIED = "I have a job there, own an apartment and pay social insurance"
CLARIFIED_ENTITIES = [
    entity("employment", True, "job"),
    entity("residence", "owned", "own an apartment"),
    entity("social_insurance", True, "pay social insurance"),
]


def _user(text: str, intent: str, entities: list[dict[str, object]]) -> dict[str, object]:
    return {
        "event": "user",
        "text": text,
        "parse_data": {"text": text, "intent": {"name": intent}, "entities": entities,
                       "facts": {e["entity"]: e["value"] for e in entities}},
    }


def _fallback_events(after_loop: list[dict[str, object]]) -> list[dict[str, object]]:
    """The events of a real conversation (read from the tracker store of the assistant):
    an unclear message naming Benxi, "did you mean …?", then a new message."""
    return [
        {"event": "action", "name": "action_listen"},
        _user(UNCLEAR, "nlu_fallback", [entity("city", "benxi", "Benxi")]),
        {"event": "slot", "name": "city", "value": "benxi"},
        {"event": "action", "name": "action_two_stage_fallback"},
        {"event": "active_loop", "name": "action_two_stage_fallback"},
        {"event": "bot", "text": "I'm not sure I understood. Did you mean one of these?"},
        {"event": "action", "name": "action_listen"},
        _user(CLARIFIED, "inform", CLARIFIED_ENTITIES),
        {"event": "action", "name": "action_two_stage_fallback"},
        *after_loop,
        {"event": "action", "name": "action_listen"},
        _user(CLARIFIED, "inform", CLARIFIED_ENTITIES),
    ]


def test_a_message_that_clarifies_an_unclear_one_keeps_its_place() -> None:
    """Rasa's fallback replays the clarifying message in place of the unclear one and
    drops the slots the unclear one set; the place it named must still count."""
    events = _fallback_events([{"event": "active_loop", "name": None}, {"event": "rewind"}])
    tracker = make_tracker(CLARIFIED, "inform", CLARIFIED_ENTITIES, events=events)
    messages, _ = run(ACTION, tracker)
    [payload] = payloads(messages)
    assert payload["jurisdiction"]["city"] == "benxi"
    assert payload["verdict"] != "need_more_info" or "city" not in payload["missing"]


def test_a_new_message_after_the_fallback_gave_up_does_not_take_the_unclear_one() -> None:
    events = _fallback_events(
        [
            {"event": "active_loop", "name": None},
            {"event": "bot", "text": "I can't answer that …"},
            {"event": "rewind"},
        ]
    )
    tracker = make_tracker(CLARIFIED, "inform", CLARIFIED_ENTITIES, events=events)
    messages, _ = run(ACTION, tracker)
    [payload] = payloads(messages)
    assert payload["jurisdiction"]["city"] is None


def test_a_documents_question_about_the_residence_permit_lists_its_papers() -> None:
    tracker = read_by_nlu("Which papers does a residence permit application need? We rent.",
                          "required_documents", [])
    messages, _ = run(ACTION, tracker)

    [payload] = payloads(messages)
    assert payload["topic"] == "residence_permit" and payload["verdict"] == "info"
    assert "juzhuzheng-2015/9" in [f"{c['doc']}/{c['clause']}" for c in payload["citations"]]
    assert {"id_card", "photo", "lease_contract"} <= {d["id"] for d in payload["documents"]}


def test_a_follow_up_with_facts_continues_the_topic_the_classifier_was_unsure_of() -> None:
    """A residence-permit conversation goes on although the follow-up reads as online
    services (0.61): it tells more about the person and online services assess nothing."""
    facts = {"city": "jinan", "residence_years": 0.7, "residence": "rented"}
    tracker = make_tracker("I moved to Jinan 8 months ago and rent a flat. Am I eligible for one?",
                           "online_services", confidence=0.61, facts=facts, kinds=[],
                           slots={"topic": "residence_permit"})
    messages, events = run(ACTION, tracker)

    [payload] = payloads(messages)
    assert payload["topic"] == "residence_permit"
    assert payload["verdict"] == "eligible"
    assert slot_events(events)["topic"] == "residence_permit"


def test_a_correction_read_as_a_documents_question_continues_the_assessment() -> None:
    facts = {"social_insurance": False}
    slots = {"topic": "settlement_eligibility", "city": "panjin", "employment": True,
             "residence": "rented", "social_insurance": True}
    tracker = make_tracker("Wait, I've never had social insurance", "required_documents",
                           confidence=0.73, facts=facts, kinds=[], slots=slots)
    messages, _ = run(ACTION, tracker)

    [payload] = payloads(messages)
    assert payload["topic"] == "settlement_eligibility"
    assert payload["verdict"] != "info"


def test_a_sure_documents_reading_of_a_correction_continues_the_assessment() -> None:
    """"Wait, I got that wrong. I've never had social insurance, …" reads as documents at
    0.95, but asks for none: it corrects the situation assessed."""
    facts = {"social_insurance": False, "has_family": False}
    slots = {"topic": "settlement_eligibility", "city": "panjin", "employment": True,
             "residence": "rented", "social_insurance": True}
    tracker = make_tracker("Wait, I got that wrong. I've never had social insurance and I have "
                           "no family there.", "required_documents", confidence=0.95,
                           facts=facts, kinds=["correction"], slots=slots)
    messages, _ = run(ACTION, tracker)

    [payload] = payloads(messages)
    assert payload["topic"] == "settlement_eligibility"
    assert payload["verdict"] == "not_eligible"


def test_turning_from_the_residence_permit_to_ones_hukou_asks_whether_one_can_settle() -> None:
    slots = {"topic": "residence_permit", "city": "liaocheng", "employment": True,
             "residence": "rented", "pathway": "residence_permit"}
    tracker = make_tracker("那要是不办居住证，直接把户口落到聊城行不行", "inform", confidence=0.55,
                           facts={"city": "liaocheng"}, kinds=["hukou", "correction"],
                           slots=slots)
    messages, _ = run(ACTION, tracker)

    [payload] = payloads(messages)
    assert payload["topic"] == "settlement_eligibility"
    assert payload["verdict"] == "eligible"


def test_a_pathway_the_classifier_only_guesses_for_a_situation_is_no_pathway() -> None:
    """Read as talent settlement at 0.32, a description of a situation with no talent in it
    is weighed over every pathway: the general clause of a medium city says why not."""
    facts = {"city": "panjin", "employment": True, "labor_contract": True,
             "social_insurance": False, "residence": "rented", "education": "none",
             "qualification": "none", "has_family": False}
    tracker = make_tracker("I only finished high school, no certificates. I work at a shop in "
                           "Panjin under a labour contract, no social insurance. I rent. Can I "
                           "settle in Panjin?", "talent_settlement", confidence=0.32,
                           facts=facts, kinds=["hukou"])
    messages, events = run(ACTION, tracker)

    [payload] = payloads(messages)
    assert payload["topic"] == "settlement_eligibility"
    assert payload["verdict"] == "not_eligible"
    assert "liaoning-2015/5" in [f"{c['doc']}/{c['clause']}" for c in payload["citations"]]
    assert "pathway" not in slot_events(events)


def test_a_sure_classifier_or_a_message_without_personal_facts_changes_the_topic() -> None:
    slots = {"topic": "settlement_eligibility", "city": "jinan"}
    sure = make_tracker("网上能办户口迁移吗", "online_services", confidence=0.95,
                        facts={"employment": True}, kinds=[], slots=slots)
    no_facts = make_tracker("网上能办吗", "online_services", confidence=0.6,
                            facts={"city": "jinan"}, kinds=[], slots=slots)
    for tracker in (sure, no_facts):
        messages, _ = run(ACTION, tracker)
        [payload] = payloads(messages)
        assert payload["topic"] == "online_services"


def test_facts_told_after_a_residence_permit_question_are_about_the_permit() -> None:
    """"我来大连三个月了，在公司上班，现在能办吗" reads as settling, but speaks of no hukou."""
    facts = {"city": "dalian", "residence_years": 0.25, "employment": True}
    tracker = make_tracker("我来大连才三个月，在这边一家公司上班，现在能办吗",
                           "settlement_eligibility", confidence=0.97, facts=facts,
                           kinds=["rules"], slots={"topic": "residence_permit"})
    messages, _ = run(ACTION, tracker)

    [payload] = payloads(messages)
    assert payload["topic"] == "residence_permit"
    assert payload["verdict"] == "not_eligible"
    assert "2" in {c["clause"] for c in payload["citations"] if c["doc"] == "juzhuzheng-2015"}


def test_a_question_about_settling_after_a_residence_permit_question_changes_the_topic() -> None:
    facts = {"city": "dalian", "social_insurance_years": 3}
    tracker = make_tracker("我在大连交了三年社保，能落户吗", "settlement_eligibility",
                           confidence=0.97, facts=facts, kinds=["hukou"],
                           slots={"topic": "residence_permit"})
    messages, _ = run(ACTION, tracker)

    [payload] = payloads(messages)
    assert payload["topic"] == "settlement_eligibility"


def test_a_first_message_describing_a_situation_asks_whether_the_person_can_settle() -> None:
    """A long description of a situation that reads, unsure, as rural rights (0.57) is a
    question about settling."""
    facts = {"city": "jinzhou", "employment": True, "labor_contract": True,
             "social_insurance": True, "residence": "rented"}
    tracker = make_tracker("I work at a hospital in Jinzhou on a contract, they pay my social "
                           "insurance and we rent. Can I move my hukou to Jinzhou?",
                           "rural_rights", confidence=0.57, facts=facts, kinds=["hukou"])
    messages, events = run(ACTION, tracker)

    [payload] = payloads(messages)
    assert payload["topic"] == "settlement_eligibility"
    assert payload["verdict"] == "eligible"
    assert slot_events(events)["topic"] == "settlement_eligibility"


def test_an_unsure_documents_reading_of_a_situation_gives_a_verdict_not_a_checklist() -> None:
    facts = {"city": "fushun", "employment": True, "labor_contract": True,
             "social_insurance": True, "residence": "rented", "education": "college"}
    tracker = make_tracker("Fushun: I work with a contract, rent with a registered lease, they "
                           "pay my social insurance, and I have a college diploma. Which route "
                           "fits me best?", "required_documents", confidence=0.47, facts=facts,
                           kinds=[])
    messages, _ = run(ACTION, tracker)

    [payload] = payloads(messages)
    assert payload["verdict"] == "eligible"


def test_an_unsure_documents_reading_asking_for_no_documents_asks_whether_one_can_settle(
) -> None:
    """Even with two facts only: it tells of the person and speaks of their hukou."""
    facts = {"city": "haicheng", "residence": "rented", "employment": True}
    text = ("haicheng question: do i need social insurance to move my hukou there? i just "
            "rent and do odd jobs, nothing formal")
    tracker = make_tracker(text, "required_documents", confidence=0.58, facts=facts,
                           kinds=["hukou"])
    messages, _ = run(ACTION, tracker)

    [payload] = payloads(messages)
    assert payload["topic"] == "settlement_eligibility"
    assert payload["verdict"] == "eligible"
    assert [c["clause"] for c in payload["citations"]][:1] == ["4"]


def test_few_facts_a_sure_classifier_or_a_documents_question_keep_the_topic() -> None:
    rich = {"city": "dezhou", "employment": True, "residence": "owned",
            "social_insurance": True}
    cases = [
        ("我在德州城里买了房，老家宅基地还算我的吧", "rural_rights", 0.73,
         {"city": "dezhou", "residence": "owned", "homestead_right": True}, []),
        ("我在德州上班买了房交社保，落户后宅基地还算我的吗", "rural_rights", 0.9, rich, []),
        ("我在德州上班买了房交社保，落户要带什么材料", "required_documents", 0.6, rich,
         ["documents"]),
    ]
    for text, intent, confidence, facts, kinds in cases:
        tracker = make_tracker(text, intent, confidence=confidence, facts=facts, kinds=kinds)
        messages, _ = run(ACTION, tracker)
        [payload] = payloads(messages)
        assert payload["topic"] == intent, text


def test_a_documents_question_naming_a_pathway_lists_that_pathways_papers() -> None:
    """Whatever topic the classifier guessed, "居住证要带哪些材料" lists the permit's papers."""
    tracker = make_tracker("居住证怎么办理，要带哪些材料", "public_services", confidence=0.4,
                           facts={"pathway": "residence_permit"}, kinds=["documents", "rules"])
    messages, _ = run(ACTION, tracker)

    [payload] = payloads(messages)
    assert payload["topic"] == "residence_permit"
    assert {"id_card", "photo"} <= {d["id"] for d in payload["documents"]}


def test_a_documents_reading_of_a_message_about_something_else_is_out_of_scope() -> None:
    tracker = make_tracker("明天大连下雨不，出门要不要带伞", "required_documents", confidence=0.76,
                           facts={"city": "dalian"}, kinds=[])
    messages, _ = run(ACTION, tracker)
    assert not payloads(messages)
    assert "只回答" in messages[0]["text"]


def test_an_unsure_reading_of_a_question_about_something_else_is_out_of_scope() -> None:
    """It tells of the person (a lease in Weihai) but asks of a car loan."""
    tracker = make_tracker(CAR_LOAN, "settlement_eligibility", confidence=0.6,
                           facts=CAR_LOAN_FACTS, kinds=["other_subject"])
    messages, _ = run(ACTION, tracker)
    assert not payloads(messages)
    assert "only" in messages[0]["text"]


def test_a_sure_reading_or_a_conversation_under_way_answers_a_question_about_something_else(
) -> None:
    sure = make_tracker(CAR_LOAN, "settlement_eligibility", confidence=0.9,
                        facts=CAR_LOAN_FACTS, kinds=["other_subject"])
    under_way = make_tracker(CAR_LOAN, "settlement_eligibility", confidence=0.6,
                             facts=CAR_LOAN_FACTS, kinds=["other_subject"],
                             slots={"topic": "settlement_eligibility"})
    for tracker in (sure, under_way):
        messages, _ = run(ACTION, tracker)
        [payload] = payloads(messages)
        assert payload["topic"] == "settlement_eligibility"


@pytest.mark.parametrize(
    ("text", "intent", "slots"),
    [
        ("我户口在青岛，办护照要不要带户口本？", "required_documents", {}),
        ("How do I replace a lost driving licence in Jinzhou, and what does it cost?",
         "responsible_office", {}),
        # ... within an assessment too
        ("ok thanks. how do I renew my passport in Dalian?", "required_documents",
         {"topic": "settlement_eligibility", "city": "dalian"}),
    ],
)
def test_a_question_of_another_public_service_is_out_of_scope_however_sure(
        text: str, intent: str, slots: dict[str, Any]) -> None:
    tracker = make_tracker(text, intent, confidence=0.97, slots=slots,
                           facts={"city": "qingdao"} if "青岛" in text else {})
    messages, _ = run(ACTION, tracker)
    assert not payloads(messages)
    assert messages[0]["text"] == say(detect_lang(text), "smalltalk", "out_of_scope")


def test_a_hukou_question_naming_the_booklet_is_ours() -> None:
    tracker = make_tracker("我在大连租房，想落户，需要带户口本吗", "required_documents",
                           facts={"city": "dalian", "residence": "rented"}, kinds=["documents"])
    messages, _ = run(ACTION, tracker)
    assert payloads(messages)


def test_a_documents_question_naming_a_pathway_is_answered_whatever_its_words() -> None:
    tracker = make_tracker("居住证办理", "required_documents", confidence=0.76,
                           facts={"pathway": "residence_permit"}, kinds=[])
    messages, _ = run(ACTION, tracker)
    [payload] = payloads(messages)
    assert payload["topic"] == "residence_permit"



def test_a_fact_the_latest_message_withdraws_is_no_longer_known() -> None:
    slots = {"city": "yantai", "topic": "settlement_eligibility", "residence": "rented"}
    tracker = make_tracker("actually I don't rent, I work there", "inform", slots=slots,
                           facts={"residence": None, "employment": True})
    messages, events = run(ACTION, tracker)

    [payload] = payloads(messages)
    assert "residence" not in payload["facts"]
    assert payload["verdict"] == "eligible"  # working there is enough in Shandong
    assert "residence" in slot_events(events) and slot_events(events)["residence"] is None


def test_a_statement_naming_a_pathway_asks_about_that_pathway() -> None:
    tracker = make_tracker("我户口在淄博的单位集体户", "inform", confidence=0.63,
                           facts={"city": "zibo", "collective_household": True,
                                  "pathway": "collective_household"})
    messages, events = run(ACTION, tracker)

    [payload] = payloads(messages)
    assert payload["topic"] == "collective_household"
    assert slot_events(events)["topic"] == "collective_household"


def test_an_earlier_fact_that_the_latest_message_contradicts_by_implication_gives_way() -> None:
    slots = {"city": "lishan", "topic": "settlement_eligibility", "employment": True,
             "residence": "rented", "labor_contract": True, "social_insurance": False,
             "move_to": "urban"}
    tracker = make_tracker("我刚问了人事，其实一直在交，交了五年多了", "inform", slots=slots,
                           facts={"social_insurance_years": 5})
    messages, events = run(ACTION, tracker)

    [payload] = payloads(messages)
    assert payload["facts"]["social_insurance"] is True  # five years of it is insurance
    assert payload["verdict"] == "eligible"
    assert slot_events(events)["social_insurance"] is None


def test_a_hometown_told_later_keeps_the_place_asked_about() -> None:
    slots = {"city": "panjin", "province": "liaoning", "employment": True,
             "residence": "rented", "topic": "settlement_eligibility"}
    tracker = make_tracker("btw my hometown is Heze in Shandong", "inform", slots=slots,
                           facts={"origin_place": "heze"})
    messages, events = run(ACTION, tracker)

    [payload] = payloads(messages)
    validate(payload)
    assert payload["jurisdiction"]["city"] == "panjin"
    assert "city" not in slot_events(events)


def test_a_hometown_told_first_is_the_place_asked_about() -> None:
    tracker = make_tracker("I'm from Dandong, I rent there and work", "settlement_eligibility",
                           facts={"origin_place": "dandong", "residence": "rented",
                                  "employment": True})
    messages, events = run(ACTION, tracker)

    [payload] = payloads(messages)
    validate(payload)
    assert payload["jurisdiction"]["city"] == "dandong"
    assert slot_events(events)["city"] == "dandong"


def test_a_statement_read_surely_as_a_topic_of_information_continues_the_assessment() -> None:
    """"the office is ours, bought it in 2020" reads as the responsible office at 0.91, but
    asks nothing: it tells more about the investor assessed."""
    slots = {"topic": "investment_settlement", "city": "dengta", "legal_representative": True,
             "tax_years": 3}
    tracker = make_tracker("the office is ours, bought it in 2020", "responsible_office",
                           confidence=0.91, facts={"business_premises": True}, kinds=[],
                           slots=slots)
    messages, _ = run(ACTION, tracker)

    [payload] = payloads(messages)
    assert payload["topic"] == "investment_settlement"
    assert payload["verdict"] == "eligible"


def test_not_knowing_what_was_asked_continues_the_assessment() -> None:
    slots = {"topic": "settlement_eligibility", "city": "fushun", "employment": True,
             "residence": "rented"}
    tracker = make_tracker("not sure tbh about social insurance, gotta check with HR",
                           "public_services", confidence=0.62, facts={}, kinds=[], slots=slots)
    messages, _ = run(ACTION, tracker)

    [payload] = payloads(messages)
    assert payload["topic"] == "settlement_eligibility"
    assert payload["verdict"] == "need_more_info"
    assert payload["missing"][0] == "social_insurance"


def test_a_question_of_information_in_an_assessment_is_answered() -> None:
    slots = {"topic": "settlement_eligibility", "city": "fushun", "employment": True}
    tracker = make_tracker("Which office handles it?", "responsible_office",
                           confidence=0.91, facts={}, kinds=[], slots=slots)
    messages, _ = run(ACTION, tracker)

    [payload] = payloads(messages)
    assert payload["topic"] == "responsible_office"


def test_a_hukou_question_naming_a_residence_permit_held_is_a_settlement_question() -> None:
    """The permit is named as held, the question is about settling, and the classifier only
    guesses (0.51) that it is about the permit."""
    facts = {"city": "rizhao", "residence_years": 2, "lives_there": True,
             "pathway": "residence_permit"}
    tracker = make_tracker("I've held a residence permit in Rizhao for two years and I live "
                           "there. Someone told me I need points or five years of social "
                           "insurance to settle - is that right?", "residence_permit",
                           confidence=0.51, facts=facts, kinds=["hukou"])
    messages, _ = run(ACTION, tracker)

    [payload] = payloads(messages)
    assert payload["topic"] == "settlement_eligibility" and payload["verdict"] == "eligible"
    assert "shandong-2020/1" in [f"{c['doc']}/{c['clause']}" for c in payload["citations"]]


def test_a_request_for_the_residence_permit_stays_one() -> None:
    facts = {"city": "rizhao", "pathway": "residence_permit"}
    tracker = make_tracker("my hukou is in Henan, can I get a residence permit in Rizhao?",
                           "residence_permit", confidence=0.6, facts=facts,
                           kinds=["hukou", "pathway"])
    messages, _ = run(ACTION, tracker)

    [payload] = payloads(messages)
    assert payload["topic"] == "residence_permit"


def test_a_term_that_is_a_topic_is_what_the_next_question_asks_about() -> None:
    tracker = make_tracker("What does a residence permit actually let me do?", "explain_term",
                           [entity("term", "residence_permit", "residence permit")])
    _, events = run(ACTION, tracker)
    assert slot_events(events)["topic"] == "residence_permit"
    # a term that is no topic leaves the conversation's topic alone
    tracker = make_tracker("什么是合法稳定住所？", "explain_term",
                           [entity("term", "legal_stable_residence")])
    _, events = run(ACTION, tracker)
    assert "topic" not in slot_events(events)
