"""Engine behaviour beyond single situations: coverage, citations, questions, dates."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from datetime import date
from typing import Any

import pytest

from policies import Rules, evaluate, explain_term, load_rules
from policies.loader import PROVINCES, load_rules_from
from policies.model import TOPICS

SETTLEMENT_TOPICS = (
    "settlement_eligibility", "talent_settlement", "investment_settlement", "family_reunion",
    "points_settlement",
)


@pytest.mark.parametrize("province", PROVINCES)
def test_every_place_has_exactly_one_route_per_topic(rules: Rules, province: str) -> None:
    places = rules.places_of(province)
    assert places
    for topic in TOPICS:
        routes = rules.routes[province].topics[topic].routes
        for place in places:
            hits = [r.id for r in routes if r.where is None or r.where.matches(place)]
            assert len(hits) == 1, (topic, place.id, hits)


@pytest.mark.parametrize("topic", SETTLEMENT_TOPICS)
def test_every_place_answers_every_settlement_topic(
    rules: Rules, topic: str, check_schema: Any
) -> None:
    for province in PROVINCES:
        for place in rules.places_of(province):
            for lang in ("zh", "en"):
                answer = evaluate(topic, {"city": place.id}, lang)
                check_schema(answer)
                expected = ({"province": province, "city": place.parent, "district": place.id}
                            if place.kind == "district" else
                            {"province": province, "city": place.id})
                assert answer["jurisdiction"] == expected
                assert answer["verdict"] in ("need_more_info", "conditional"), place.id


@pytest.mark.parametrize("topic", TOPICS)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_topic_answers_with_province_only(topic: str, lang: str, check_schema: Any) -> None:
    for province in PROVINCES:
        answer = evaluate(topic, {"province": province}, lang)
        check_schema(answer)
        assert answer["text"]
        if answer["verdict"] == "need_more_info":
            assert answer["question"]["fact"] == answer["missing"][0]


def test_zh_answer_quotes_translation_and_official_national_clause() -> None:
    answer = evaluate("settlement_eligibility",
                      {"city": "dandong", "employment": True, "residence": "rented",
                       "social_insurance": True}, "zh")
    by_ref = {f"{c['doc']}/{c['clause']}": c for c in answer["citations"]}
    liaoning, national = by_ref["liaoning-2015/5"], by_ref["guofa-2014-25/5"]
    assert liaoning["text_lang"] == "zh" and liaoning["official_text"] is False
    assert national["text_lang"] == "zh" and national["official_text"] is True
    assert liaoning["title"] and national["text"] in answer["text"]
    assert "译文" in answer["text"]


def test_en_answer_quotes_english_text_of_the_translation_source() -> None:
    answer = evaluate("settlement_eligibility", {"city": "haicheng", "residence": "owned"}, "en")
    cite = answer["citations"][0]
    assert (cite["doc"], cite["clause"], cite["text_lang"]) == ("liaoning-2015", "4", "en")
    assert cite["official_text"] is False


def test_documents_carry_basis_and_proves() -> None:
    answer = evaluate("settlement_eligibility",
                      {"city": "anshan", "employment": True, "residence": "owned",
                       "social_insurance": True}, "en")
    docs = {d["id"]: d for d in answer["documents"]}
    assert docs["property_certificate"] == {
        "id": "property_certificate", "name": docs["property_certificate"]["name"],
        "proves": "residence", "basis": "liaoning-2015/6",
    }
    assert docs["social_insurance_record"]["proves"] == "insurance"


def test_question_buttons_and_payloads() -> None:
    answer = evaluate("settlement_eligibility", {"city": "haicheng"}, "en")
    question = answer["question"]
    assert question["fact"] == "residence"
    payloads = [b["payload"] for b in question["buttons"]]
    assert payloads == ['/inform{"residence":"owned"}', '/inform{"residence":"rented"}',
                        '/inform{"residence":"none"}']
    boolean = evaluate("settlement_eligibility", {"city": "dandong"}, "zh")["question"]
    assert boolean["fact"] == "employment"
    assert [b["payload"] for b in boolean["buttons"]] == ["/affirm", "/deny"]
    assert boolean["text"] in evaluate("settlement_eligibility", {"city": "dandong"}, "zh")["text"]


def test_megacity_trace_shows_indicators() -> None:
    answer = evaluate("settlement_eligibility",
                      {"city": "dalian", "employment": True, "social_insurance_years": 3}, "en")
    indicators = {t["fact"]: t["value"] for t in answer["trace"] if t["result"] == "indicator"}
    # (three years of insurance are insurance paid)
    assert indicators == {"employment": True, "residence": None, "social_insurance": True,
                          "social_insurance_years": 3, "residence_years": None}
    assert "3 years" in answer["text"]


def test_trace_records_each_condition_with_clause() -> None:
    answer = evaluate("settlement_eligibility",
                      {"city": "dandong", "employment": True, "residence": "none"}, "en")
    conditions = [t for t in answer["trace"] if t["fact"] != "pathway"]
    assert conditions[:2] == [
        {"clause": "liaoning-2015/5", "fact": "employment", "value": True, "result": "met"},
        {"clause": "liaoning-2015/5", "fact": "residence", "value": "none", "result": "not_met"},
    ]
    pathways = [t for t in answer["trace"] if t["fact"] == "pathway"]
    assert [(t["value"], t["result"]) for t in pathways] == [
        ("settlement_eligibility", "not_eligible"),
        ("talent_settlement", "not_weighed"),
        ("investment_settlement", "not_weighed"),
        ("family_reunion", "not_weighed"),
    ]


def test_answer_metadata(rules: Rules) -> None:
    answer = evaluate("hukou_type", {"province": "liaoning"}, "en", as_of="2024-05-01")
    assert answer["rules_version"] == rules.version
    assert answer["as_of"] == "2024-05-01"
    assert answer["facts"] == {"province": "liaoning"}
    assert json.loads(json.dumps(answer, ensure_ascii=False)) == answer


def test_province_follows_from_city() -> None:
    answer = evaluate("settlement_eligibility",
                      {"city": "jinan", "province": "liaoning", "residence": "owned"}, "en")
    assert answer["jurisdiction"] == {"province": "shandong", "city": "jinan"}
    assert answer["facts"]["province"] == "shandong"


def test_unknown_place_is_not_covered() -> None:
    answer = evaluate("settlement_eligibility", {"city": "atlantis"}, "en")
    assert answer["verdict"] == "not_covered"
    assert "atlantis" in answer["text"]


def test_unknown_topic_is_an_error() -> None:
    with pytest.raises(ValueError, match="unknown topic"):
        evaluate("visa", {}, "en")


def test_document_not_yet_in_force_is_never_applied(check_schema: Any) -> None:
    answer = evaluate("residence_permit",
                      {"city": "jinan", "residence_years": 1, "employment": True}, "en",
                      as_of=date(2015, 6, 1))
    check_schema(answer)
    assert answer["verdict"] == "not_covered"
    assert answer["documents"] == [] and answer["missing"] == []
    assert "2015-06-01" in answer["text"] and "2016-01-01" in answer["text"]


def test_explain_term(rules: Rules, check_schema: Any) -> None:
    term_id = next(iter(rules.glossary))
    term = rules.glossary[term_id]
    for lang in ("zh", "en"):
        answer = explain_term(term_id, lang)
        check_schema(answer)
        assert answer["verdict"] == "info"
        assert [f"{c['doc']}/{c['clause']}" for c in answer["citations"]] == term.clauses
        assert term.name.get(lang) in answer["text"]
    unknown = explain_term("no_such_term", "en")
    check_schema(unknown)
    assert unknown["verdict"] == "not_covered"


def test_every_template_renders(rules: Rules) -> None:
    """Every route note fills with the placeholders the renderer provides."""
    ctx = {k: "x" for k in ("place", "city", "province", "topic", "clause", "decider",
                            "missing", "unmet")}
    for lang in ("zh", "en"):
        for key, template in rules.wording[lang]["notes"].items():
            if key != "out_of_effect":
                assert str(template).format_map(ctx)


def test_load_is_fast_and_cached() -> None:
    start = time.perf_counter()
    fresh = load_rules_from(load_rules().data_dir)
    assert time.perf_counter() - start < 1.0
    assert fresh.version == load_rules().version
    assert load_rules() is load_rules()


def test_no_nlu_imports() -> None:
    code = ("import sys, policies; policies.evaluate('settlement_eligibility', {'city': 'dandong'},"
            " 'zh'); bad = [m for m in sys.modules if m.split('.')[0] in "
            "('rasa', 'rasa_sdk', 'tensorflow')]; assert not bad, bad")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_facts_are_typed_and_invalid_values_count_as_absent() -> None:
    answer = evaluate("settlement_eligibility",
                      {"city": "dandong", "employment": "true", "residence": "castle",
                       "social_insurance": "否"}, "en")
    assert answer["facts"]["employment"] is True
    assert "residence" not in answer["facts"]
    assert answer["verdict"] == "not_eligible"  # social insurance "否" is false
    numbers = evaluate("residence_permit", {"city": "jinan", "residence_years": "2",
                                            "studying": True}, "en")
    assert numbers["facts"]["residence_years"] == 2 and numbers["verdict"] == "eligible"
    # a number of years is never negative nor endless
    for years in (-1, float("inf"), "nan"):
        odd = evaluate("residence_permit", {"city": "jinan", "residence_years": years}, "en")
        assert "residence_years" not in odd["facts"]


def test_a_rules_question_naming_the_kind_of_place_to_move_to_gets_the_clause() -> None:
    """"想在盘山县城落户需要什么条件": the county town names what is asked about, as the
    place does; a fact about the person makes it an assessment."""
    rules_of_town = evaluate("settlement_eligibility", {"city": "panshan", "move_to": "urban"},
                             "zh", asks_rules=True)
    assert rules_of_town["verdict"] == "info"
    assert rules_of_town["citations"][0]["clause"] == "4"
    assessed = evaluate("settlement_eligibility",
                        {"city": "panshan", "move_to": "urban", "employment": True}, "zh",
                        asks_rules=True)
    assert assessed["verdict"] != "info"


def test_a_megacity_checklist_lists_the_insurance_record_of_insurance_paid() -> None:
    """The points weigh social insurance (Dalian's rules, application-materials.zh.md §2.3)."""
    answer = evaluate("required_documents", {"city": "dalian", "employment": True,
                                             "labor_contract": True, "social_insurance": True},
                      "zh")
    assert {"labor_contract", "social_insurance_record"} <= {d["id"] for d in answer["documents"]}
