"""Small talk, handoff, language switch and the two-stage fallback actions."""

from __future__ import annotations

import json
from typing import Any

import pytest
from action_helpers import entity, make_tracker, payloads, run, slot_events, texts

from actions.fallback import (
    ActionDefaultAskAffirmation,
    ActionDefaultAskRephrase,
    ActionDefaultFallback,
)
from actions.smalltalk import ActionChangeLanguage, ActionHumanHandoff, ActionSmalltalk
from actions.wording import say, wording
from assistant.nlu.language import detect_lang
from policies import evaluate, load_rules

SMALLTALK = ["greet", "goodbye", "thanks", "bot_challenge", "out_of_scope"]
SAMPLES = {"zh": "你好呀", "en": "hello there"}


def _keys(tree: Any, prefix: str = "") -> set[str]:
    if not isinstance(tree, dict):
        return {prefix}
    return {k for key, value in tree.items() for k in _keys(value, f"{prefix}/{key}")}


def test_wording_has_the_same_keys_in_both_languages() -> None:
    assert _keys(wording("zh")) == _keys(wording("en"))


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("intent", SMALLTALK)
def test_smalltalk_answers_in_the_language_of_the_message(intent: str, lang: str) -> None:
    other = "en" if lang == "zh" else "zh"
    tracker = make_tracker(SAMPLES[lang], intent, slots={"lang": other})
    messages, events = run(ActionSmalltalk(), tracker)

    assert texts(messages) == [say(lang, "smalltalk", intent)]
    assert detect_lang(texts(messages)[0]) == lang
    assert slot_events(events) == {"lang": lang}


def test_handoff_names_the_city_office_and_the_hotline() -> None:
    tracker = make_tracker("我要找人工客服", "human_handoff", slots={"city": "dandong"})
    messages, _ = run(ActionHumanHandoff(), tracker)

    [text] = texts(messages)
    assert "丹东市公安局" in text
    assert "12345" in text
    assert payloads(messages) == []


def test_handoff_in_english_without_a_city_names_the_police_station() -> None:
    messages, events = run(
        ActionHumanHandoff(), make_tracker("can I talk to a human?", "human_handoff")
    )

    [text] = texts(messages)
    assert detect_lang(text) == "en"
    assert load_rules().offices["police_station"].name.en in text
    assert "12345" in text
    assert slot_events(events)["lang"] == "en"


def test_change_language_switches_and_asks_the_waiting_question_again() -> None:
    slots = {
        "city": "dandong",
        "lang": "zh",
        "topic": "settlement_eligibility",
        "requested_fact": "employment",
        "pending_topic": "settlement_eligibility",
    }
    tracker = make_tracker("请用英文回答", "change_language", [entity("lang", "en")], slots)
    messages, events = run(ActionChangeLanguage(), tracker)

    waiting = evaluate("settlement_eligibility", {"city": "dandong"}, "en")["question"]
    assert texts(messages)[0] == say("en", "language", "switched")
    assert messages[-1]["text"].endswith(waiting["text"])
    assert messages[-1]["buttons"] == waiting["buttons"]
    assert slot_events(events)["lang"] == "en"
    assert slot_events(events)["requested_fact"] == "employment"


def test_change_language_without_a_language_toggles() -> None:
    tracker = make_tracker("switch language", "change_language", slots={"lang": "en"})
    messages, events = run(ActionChangeLanguage(), tracker)

    assert texts(messages) == [say("zh", "language", "switched")]
    assert slot_events(events) == {"lang": "zh"}


def test_ask_affirmation_offers_the_likeliest_intents_by_label() -> None:
    ranking = [
        {"name": "nlu_fallback", "confidence": 0.7},
        {"name": "required_documents", "confidence": 0.2},
        {"name": "inform", "confidence": 0.05},
        {"name": "settlement_eligibility", "confidence": 0.03},
        {"name": "residence_permit", "confidence": 0.01},
        {"name": "greet", "confidence": 0.01},
    ]
    tracker = make_tracker(
        "丹东那个东西怎么弄", "nlu_fallback", [entity("city", "丹东")], ranking=ranking,
        facts={"city": "dandong", "origin_place": "kuandian"},
    )
    messages, events = run(ActionDefaultAskAffirmation(), tracker)

    [message] = messages
    assert message["text"] == say("zh", "fallback", "ask_affirmation")
    titles = [b["title"] for b in message["buttons"]]
    assert titles == [
        wording("zh")["intents"]["required_documents"],
        wording("zh")["intents"]["settlement_eligibility"],
        wording("zh")["intents"]["residence_permit"],
        say("zh", "fallback", "none_of_these"),
    ]
    first = message["buttons"][0]["payload"]
    assert first.startswith("/required_documents{")
    assert json.loads(first[len("/required_documents") :]) == {"city": "dandong"}
    assert message["buttons"][-1]["payload"] == "/out_of_scope"
    assert slot_events(events) == {"lang": "zh"}


def test_ask_affirmation_quotes_the_clauses_closest_to_the_question_first() -> None:
    ranking = [
        {"name": "nlu_fallback", "confidence": 0.6},
        {"name": "rural_rights", "confidence": 0.3},
        {"name": "urban_to_rural", "confidence": 0.1},
    ]
    tracker = make_tracker("进城以后老家的宅基地和承包地还归我吗", "nlu_fallback", ranking=ranking)
    messages, _ = run(ActionDefaultAskAffirmation(), tracker)

    [answer] = payloads(messages)
    assert answer["verdict"] == "info"
    cited = {f"{c['doc']}/{c['clause']}" for c in answer["citations"]}
    assert {"guofa-2014-25/12", "shandong-2020/5"} & cited
    assert messages[-1]["text"] == say("zh", "fallback", "ask_affirmation")
    assert messages[-1]["buttons"], "the likeliest topics are still offered"


def test_ask_affirmation_says_a_first_question_about_something_else_is_out_of_scope() -> None:
    """It tells of the person, but no clause answers where to learn to drive."""
    ranking = [{"name": "nlu_fallback", "confidence": 0.5},
               {"name": "settlement_eligibility", "confidence": 0.4}]
    tracker = make_tracker("我在淄博租房上班，请问附近哪个驾校练车比较便宜？", "nlu_fallback",
                           ranking=ranking, confidence=0.5,
                           facts={"city": "zibo", "residence": "rented", "employment": True},
                           kinds=["other_subject"])
    messages, _ = run(ActionDefaultAskAffirmation(), tracker)

    assert not payloads(messages)
    assert texts(messages) == [say("zh", "smalltalk", "out_of_scope")]


def test_ask_affirmation_says_a_later_question_about_something_else_is_out_of_scope() -> None:
    """Within a conversation about settling in Panjin, a question about crabs."""
    ranking = [{"name": "nlu_fallback", "confidence": 0.55},
               {"name": "settlement_eligibility", "confidence": 0.3}]
    tracker = make_tracker("行，明白了，谢谢。顺便问下盘锦哪家河蟹好吃？", "nlu_fallback",
                           ranking=ranking, confidence=0.55, facts={"city": "panjin"},
                           kinds=["other_subject"],
                           slots={"topic": "settlement_eligibility", "city": "panjin"})
    messages, _ = run(ActionDefaultAskAffirmation(), tracker)

    assert not payloads(messages)
    assert texts(messages) == [say("zh", "smalltalk", "out_of_scope")]


def test_ask_affirmation_keeps_a_follow_up_of_the_subject_in_scope() -> None:
    ranking = [{"name": "nlu_fallback", "confidence": 0.55},
               {"name": "residence_permit", "confidence": 0.3}]
    tracker = make_tracker("And what happens if I miss the deadline?", "nlu_fallback",
                           ranking=ranking, confidence=0.55, facts={},
                           kinds=["other_subject"], slots={"topic": "residence_permit"})
    messages, _ = run(ActionDefaultAskAffirmation(), tracker)

    assert texts(messages) != [say("en", "smalltalk", "out_of_scope")]


def test_ask_affirmation_answers_a_pathway_asked_about_within_an_assessment() -> None:
    """After a points verdict, "what about just a residence permit?" asks about the permit."""
    ranking = [{"name": "nlu_fallback", "confidence": 0.55},
               {"name": "points_settlement", "confidence": 0.3}]
    slots = {"topic": "settlement_eligibility", "city": "shenyang", "employment": True,
             "residence": "rented", "social_insurance": True, "residence_years": 2}
    tracker = make_tracker("ok if hukou depends on points, what about a residence permit "
                           "for now?", "nlu_fallback", ranking=ranking, confidence=0.55,
                           slots=slots, facts={"pathway": "residence_permit"},
                           kinds=["correction", "hukou", "pathway"])
    messages, _ = run(ActionDefaultAskAffirmation(), tracker)

    [answer] = payloads(messages)
    assert answer["topic"] == "residence_permit"
    assert answer["verdict"] == "eligible"


def test_ask_affirmation_without_candidates_asks_to_rephrase() -> None:
    ranking = [{"name": "nlu_fallback", "confidence": 0.9}, {"name": "inform", "confidence": 0.1}]
    tracker = make_tracker("blorp fizzle", "nlu_fallback", ranking=ranking)
    messages, _ = run(ActionDefaultAskAffirmation(), tracker)

    assert texts(messages) == [say("en", "fallback", "ask_rephrase")]
    assert all(not m["buttons"] for m in messages)


def test_ask_rephrase_keeps_the_language_after_a_button() -> None:
    tracker = make_tracker("/out_of_scope", "out_of_scope", slots={"lang": "en"})
    messages, events = run(ActionDefaultAskRephrase(), tracker)

    assert texts(messages) == [say("en", "fallback", "ask_rephrase")]
    assert slot_events(events) == {"lang": "en"}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_default_fallback_gives_up_honestly_and_reverts(lang: str) -> None:
    tracker = make_tracker("/out_of_scope", "out_of_scope", slots={"lang": lang})
    messages, events = run(ActionDefaultFallback(), tracker)

    [text] = texts(messages)
    assert detect_lang(text) == lang
    assert "12345" in text
    assert load_rules().offices["police_station"].name.get(lang) in text
    assert [e["event"] for e in events] == ["rewind"]


def test_a_follow_up_question_is_searched_with_the_question_before_it() -> None:
    """"And if I miss the deadline?" says nothing of endorsement: the question before does."""
    ranking = [{"name": "nlu_fallback", "confidence": 0.55},
               {"name": "rural_rights", "confidence": 0.44}]
    events = [
        {"event": "user", "text": "How often does a residence permit have to be endorsed?"},
        {"event": "user", "text": "And what happens if I miss the deadline?"},
    ]
    tracker = make_tracker("And what happens if I miss the deadline?", "nlu_fallback",
                           ranking=ranking, events=events, slots={"topic": "residence_permit"})
    messages, _ = run(ActionDefaultAskAffirmation(), tracker)

    [answer] = payloads(messages)
    assert "10" in {c["clause"] for c in answer["citations"] if c["doc"] == "juzhuzheng-2015"}


@pytest.mark.parametrize(
    ("action", "intent", "text", "lang"),
    [
        (ActionSmalltalk(), "out_of_scope", "天津和平区的落户政策是怎样的", "zh"),
        (ActionDefaultAskAffirmation(), "nlu_fallback", "How do I move my hukou to Beijing?", "en"),
    ],
)
def test_household_registration_outside_the_two_provinces_is_not_covered(
    action: Any, intent: str, text: str, lang: str
) -> None:
    place = "tianjin" if lang == "zh" else "beijing"
    tracker = make_tracker(text, intent, facts={"city": place}, kinds=["hukou"],
                           ranking=[{"name": intent, "confidence": 0.6},
                                    {"name": "settlement_eligibility", "confidence": 0.3}])
    messages, _ = run(action, tracker)

    [answer] = payloads(messages)
    assert answer["verdict"] == "not_covered"
    assert answer["lang"] == lang
    assert not any(m.get("buttons") for m in messages), "no 'did you mean' after the answer"


@pytest.mark.parametrize(
    ("text", "facts", "kinds", "answered"),
    [
        ("What does settling in Dalian take?", {"city": "dalian"}, ["rules", "hukou"], True),
        ("大连怎么样", {"city": "dalian"}, ["rules"], False),  # nothing of household registration
    ],
)
def test_an_unclear_question_of_what_settling_in_a_place_takes_gets_its_rules(
    text: str, facts: dict[str, Any], kinds: list[str], answered: bool
) -> None:
    tracker = make_tracker(text, "nlu_fallback", facts=facts, kinds=kinds,
                           ranking=[{"name": "nlu_fallback", "confidence": 0.55},
                                    {"name": "explain_term", "confidence": 0.3},
                                    {"name": "settlement_eligibility", "confidence": 0.2}])
    messages, _ = run(ActionDefaultAskAffirmation(), tracker)

    rules = [p for p in payloads(messages) if p["topic"] == "settlement_eligibility"
             and p["verdict"] == "info" and p["route"] == "megacity_points"]
    assert bool(rules) == answered
    assert any(m.get("buttons") for m in messages) != answered


def test_an_unclear_question_about_ones_own_hukou_gets_the_assessment() -> None:
    """It tells of the person and speaks of household registration: the assessment the
    classifier ranks highest, not "did you mean"."""
    tracker = make_tracker("大连落户有啥规定，我在那上班", "nlu_fallback",
                           facts={"city": "dalian", "employment": True},
                           kinds=["rules", "hukou"],
                           ranking=[{"name": "nlu_fallback", "confidence": 0.55},
                                    {"name": "explain_term", "confidence": 0.3},
                                    {"name": "settlement_eligibility", "confidence": 0.2}])
    messages, _ = run(ActionDefaultAskAffirmation(), tracker)

    [answer] = payloads(messages)
    assert answer["topic"] == "settlement_eligibility" and answer["verdict"] == "conditional"
    assert not any(m.get("buttons") for m in messages)


def test_an_unclear_question_naming_a_topic_no_clause_is_close_to_gets_that_topic() -> None:
    tracker = make_tracker("residense permit renewel how often do i have to do it",
                           "nlu_fallback", facts={"pathway": "residence_permit"},
                           kinds=["rules"],
                           ranking=[{"name": "nlu_fallback", "confidence": 0.55},
                                    {"name": "public_services", "confidence": 0.42},
                                    {"name": "residence_permit", "confidence": 0.36}])
    messages, _ = run(ActionDefaultAskAffirmation(), tracker)

    [answer] = payloads(messages)
    assert answer["topic"] == "residence_permit"


def test_out_of_scope_outside_the_provinces_without_hukou_words_stays_small_talk() -> None:
    tracker = make_tracker("明天天津天气怎么样", "out_of_scope", facts={"city": "tianjin"},
                           kinds=[])
    messages, _ = run(ActionSmalltalk(), tracker)

    assert payloads(messages) == []
    assert texts(messages) == [say("zh", "smalltalk", "out_of_scope")]


def test_an_unclear_follow_up_about_the_hukou_gets_the_answer_of_the_conversations_topic() -> None:
    ranking = [
        {"name": "nlu_fallback", "confidence": 0.55},
        {"name": "family_reunion", "confidence": 0.4},
        {"name": "points_settlement", "confidence": 0.3},
    ]
    slots = {"city": "shenyang", "relation": "spouse", "lives_there": True,
             "topic": "family_reunion"}
    tracker = make_tracker("can I transfer my hukou to her household?", "nlu_fallback",
                           ranking=ranking, slots=slots, facts={}, kinds=["hukou"])
    messages, _ = run(ActionDefaultAskAffirmation(), tracker)

    [answer] = payloads(messages)
    assert answer["topic"] == "family_reunion" and answer["verdict"] == "conditional"
    assert not any(m.get("buttons") for m in messages)
    # another topic's reading keeps the menu
    other = [ranking[0], {"name": "rural_rights", "confidence": 0.4}]
    tracker = make_tracker("can I transfer my hukou to her household?", "nlu_fallback",
                           ranking=other, slots=slots, facts={}, kinds=["hukou"])
    messages, _ = run(ActionDefaultAskAffirmation(), tracker)
    assert messages[-1]["buttons"]


def test_an_unclear_follow_up_that_only_tells_gets_the_answer_of_the_conversations_topic() -> None:
    ranking = [
        {"name": "nlu_fallback", "confidence": 0.55},
        {"name": "online_services", "confidence": 0.43},
        {"name": "responsible_office", "confidence": 0.17},
    ]
    slots = {"city": "taian", "relation": "child", "employment": True, "residence": "owned",
             "topic": "settlement_eligibility"}
    tracker = make_tracker("I'll move in with him next month", "nlu_fallback",
                           ranking=ranking, slots=slots, facts={})
    messages, _ = run(ActionDefaultAskAffirmation(), tracker)

    [answer] = payloads(messages)
    assert answer["topic"] == "settlement_eligibility" and answer["verdict"] == "eligible"
    assert not any(m.get("buttons") for m in messages)
    # so does one read, unsure, as out of scope; a question, or what reads surely as out of
    # scope, keeps the menu
    unsure = [ranking[0], {"name": "out_of_scope", "confidence": 0.27}, ranking[1]]
    tracker = make_tracker("I'll move in with him next month", "nlu_fallback", ranking=unsure,
                           slots=slots, facts={})
    messages, _ = run(ActionDefaultAskAffirmation(), tracker)
    assert payloads(messages)[0]["verdict"] == "eligible"
    for text, ranked in (("how long does it take?", ranking),
                         ("I'll move in with him next month",
                          [ranking[0], {"name": "out_of_scope", "confidence": 0.6}, ranking[1]])):
        tracker = make_tracker(text, "nlu_fallback", ranking=ranked, slots=slots, facts={})
        messages, _ = run(ActionDefaultAskAffirmation(), tracker)
        assert messages[-1]["buttons"]


def test_a_message_about_ones_hukou_read_as_out_of_scope_gets_the_assessment() -> None:
    ranking = [{"name": "out_of_scope", "confidence": 0.38},
               {"name": "family_reunion", "confidence": 0.38},
               {"name": "rural_rights", "confidence": 0.11}]
    facts = {"city": "jinzhou", "employment": True, "labor_contract": True,
             "social_insurance": True, "relation": "spouse", "residence": "rented"}
    tracker = make_tracker("现在在锦州钢结构厂干电焊，签了合同，单位给上的五险，媳妇和娃跟我在锦州"
                           "租的房子。我寻思把一家子户口都弄到锦州，能行不？", "out_of_scope",
                           ranking=ranking, confidence=0.38, facts=facts, kinds=["hukou"])
    messages, _ = run(ActionSmalltalk(), tracker)

    [answer] = payloads(messages)
    assert answer["topic"] == "family_reunion" and answer["verdict"] == "eligible"


def test_a_question_naming_one_of_our_topics_read_as_out_of_scope_is_answered() -> None:
    tracker = make_tracker("residense permit renewel how often do i have to do it", "out_of_scope",
                           confidence=0.5, facts={"pathway": "residence_permit"},
                           kinds=["rules"])
    messages, _ = run(ActionSmalltalk(), tracker)

    [answer] = payloads(messages)
    assert answer["topic"] == "residence_permit"


def test_a_situation_told_before_a_question_about_something_else_stays_out_of_scope() -> None:
    """Facts and no word of household registration: a deposit, not a settlement."""
    tracker = make_tracker("我在烟台芝罘区租房，退租了房东不退押金，怎么办？", "out_of_scope",
                           facts={"city": "zhifu", "residence": "rented"}, kinds=["rules"])
    messages, _ = run(ActionSmalltalk(), tracker)

    assert not payloads(messages)
    assert messages[0]["text"] == say("zh", "smalltalk", "out_of_scope")


def test_a_question_for_another_way_within_a_conversation_names_the_pathways_still_open() -> None:
    slots = {"city": "benxi", "employment": True, "social_insurance": False,
             "topic": "settlement_eligibility"}
    tracker = make_tracker("那有别的办法吗", "out_of_scope", slots=slots, facts={},
                           kinds=["alternatives"])
    messages, _ = run(ActionSmalltalk(), tracker)

    [answer] = payloads(messages)
    assert answer["topic"] == "settlement_eligibility" and answer["verdict"] == "not_eligible"
    assert "人才落户" in messages[0]["text"]  # a pathway the person may still fit
    # out of scope with no conversation under way stays out of scope
    tracker = make_tracker("那有别的办法吗", "out_of_scope", facts={}, kinds=["alternatives"])
    messages, _ = run(ActionSmalltalk(), tracker)
    assert not payloads(messages)


def test_an_answer_to_the_question_asked_read_as_out_of_scope_is_an_answer() -> None:
    slots = {"city": "jinan", "employment": True, "topic": "residence_permit",
             "requested_fact": "residence_years", "pending_topic": "residence_permit"}
    tracker = make_tracker("才来了三个月", "out_of_scope", slots=slots,
                           facts={"residence_years": 0.25})
    messages, events = run(ActionSmalltalk(), tracker)

    [answer] = payloads(messages)
    assert answer["topic"] == "residence_permit" and answer["verdict"] == "not_eligible"
    assert slot_events(events)["residence_years"] == 0.25  # stored for the next turn


def test_an_unclear_question_of_what_to_bring_gets_the_checklist_of_the_conversation() -> None:
    ranking = [{"name": "nlu_fallback", "confidence": 0.55},
               {"name": "public_services", "confidence": 0.3}]
    slots = {"city": "weifang", "employment": True, "labor_contract": True,
             "residence_years": 1, "topic": "residence_permit", "pathway": "residence_permit"}
    tracker = make_tracker("what do I bring?", "nlu_fallback", ranking=ranking, slots=slots,
                           facts={}, kinds=["documents"])
    messages, _ = run(ActionDefaultAskAffirmation(), tracker)

    [answer] = payloads(messages)
    assert answer["topic"] == "required_documents"
    assert {"id_card", "photo", "labor_contract"} <= {d["id"] for d in answer["documents"]}


def test_a_place_named_out_of_scope_is_no_answer_to_the_question_asked() -> None:
    slots = {"topic": "settlement_eligibility", "requested_fact": "city"}
    tracker = make_tracker("btw can you recommend a hotel near the beach in Weihai?",
                           "out_of_scope", slots=slots, facts={"city": "weihai"})
    messages, _ = run(ActionSmalltalk(), tracker)
    assert not payloads(messages)


def test_an_unclear_follow_up_answered_from_the_conversation_asks_its_open_question_again(
) -> None:
    ranking = [{"name": "nlu_fallback", "confidence": 0.55},
               {"name": "settlement_eligibility", "confidence": 0.3}]
    slots = {"city": "fushun", "employment": True, "residence": "rented",
             "topic": "settlement_eligibility", "requested_fact": "social_insurance",
             "pending_topic": "settlement_eligibility"}
    tracker = make_tracker("not sure tbh about social insurance, gotta check with HR",
                           "nlu_fallback", ranking=ranking, slots=slots, facts={})
    messages, _ = run(ActionDefaultAskAffirmation(), tracker)

    [answer] = payloads(messages)
    assert answer["verdict"] == "need_more_info" and answer["missing"][0] == "social_insurance"
    assert messages[-1]["buttons"]  # the question, with its yes / no buttons


def test_a_bare_wish_to_settle_the_classifier_cannot_place_asks_where() -> None:
    """"我想落户" alone: the settlement question, which weighs every pathway, asks for the
    place, rather than a menu led by whichever pathway the classifier ranked first."""
    ranking = [{"name": "nlu_fallback", "confidence": 0.55},
               {"name": "talent_settlement", "confidence": 0.31},
               {"name": "settlement_eligibility", "confidence": 0.15}]
    tracker = make_tracker("我想落户", "nlu_fallback", ranking=ranking, facts={},
                           kinds=["hukou"], confidence=0.55)
    messages, _ = run(ActionDefaultAskAffirmation(), tracker)

    [payload] = payloads(messages)
    assert (payload["topic"], payload["verdict"]) == ("settlement_eligibility", "need_more_info")
    assert messages[-1]["text"] == load_rules().wording["zh"]["questions"]["city"]["text"]


def test_ask_affirmation_answers_a_wish_to_settle_somewhere_and_whether_one_qualifies() -> None:
    """"thinking about moving my hukou to liaoyang … no idea where to start. would i
    qualify": the settlement question for Liaoyang, which asks what it needs to know."""
    ranking = [{"name": "nlu_fallback", "confidence": 0.55},
               {"name": "urban_to_rural", "confidence": 0.2}]
    tracker = make_tracker("thinking about moving my hukou to liaoyang at some point. im 28, "
                           "no idea where to start. would i qualify", "nlu_fallback",
                           ranking=ranking, confidence=0.55, facts={"city": "liaoyang"},
                           kinds=["hukou"])
    messages, _ = run(ActionDefaultAskAffirmation(), tracker)

    [answer] = payloads(messages)
    assert answer["topic"] == "settlement_eligibility"
    assert answer["verdict"] == "need_more_info" and answer["jurisdiction"]["city"] == "liaoyang"


def test_ask_affirmation_goes_on_with_a_question_about_the_conversations_place() -> None:
    """"俺俩能一起把户口落到丹东市里不？" after telling of a husband's job in Dandong: the
    assessment under way, whatever topic the classifier ranks first."""
    ranking = [{"name": "nlu_fallback", "confidence": 0.55},
               {"name": "urban_to_rural", "confidence": 0.3}]
    slots = {"topic": "settlement_eligibility", "city": "dandong", "employment": True,
             "residence": "rented", "social_insurance": True, "relation": "spouse"}
    tracker = make_tracker("他户口和我户口都还在宽甸老家农村，俺俩能一起把户口落到丹东市里不？",
                           "nlu_fallback", ranking=ranking, confidence=0.55, slots=slots,
                           facts={"city": "dandong"}, kinds=["hukou"])
    messages, _ = run(ActionDefaultAskAffirmation(), tracker)

    [answer] = payloads(messages)
    assert answer["topic"] == "settlement_eligibility" and answer["verdict"] == "eligible"
