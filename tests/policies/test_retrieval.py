"""Clauses found by their words (policies.retrieval) and the answers built on them."""

from __future__ import annotations

from typing import Any

import pytest

from policies import closest_clauses, evaluate, load_rules
from policies.retrieval import query_tokens, rank_clauses


@pytest.mark.parametrize(
    ("question", "lang", "clause"),
    [
        ("居住证有效期满了要去哪里签注", "zh", "juzhuzheng-2015/10"),
        ("What documents must I submit to apply for a residence permit?", "en",
         "juzhuzheng-2015/9"),
        ("进城落户以后宅基地还能保留吗", "zh", "shandong-2020/5"),
        ("Is there still a minimum investment for settling as an investor?", "en",
         "liaoning-2015/9"),
        # articles numbered only are found by the words of what they are about (subjects)
        ("居住证丢了怎么补办", "zh", "juzhuzheng-2015/11"),
        ("How often does a residence permit have to be endorsed?", "en", "juzhuzheng-2015/10"),
        ("Can a residence permit holder later turn that into a local hukou?", "en",
         "juzhuzheng-2015/15"),
        ("办居住证要交钱吗", "zh", "juzhuzheng-2015/21"),
        ("I got a residence permit last year and forgot to do anything since, is it still ok?",
         "en", "juzhuzheng-2015/10"),
    ],
)
def test_the_clause_that_speaks_of_a_question_ranks_first(
    question: str, lang: str, clause: str
) -> None:
    found = rank_clauses(load_rules(), question, lang)
    assert found and found[0][0] == clause, found


def test_the_search_keeps_to_the_documents_and_topics_asked() -> None:
    found = rank_clauses(load_rules(), "宅基地", "zh", documents=["shandong-2020"],
                         topics=["rural_rights"])
    assert [ref for ref, _ in found] == ["shandong-2020/5"]


def test_place_names_say_where_not_what() -> None:
    assert "沈阳" not in query_tokens("沈阳今天天气怎么样", "zh")
    assert rank_clauses(load_rules(), "What is the weather in Dalian tomorrow?", "en") == []


@pytest.mark.parametrize(
    ("question", "lang"),
    [("How do I renew my passport?", "en"), ("火车票怎么买", "zh"), ("大连的房价高吗", "zh")],
)
def test_an_unrelated_question_has_no_closest_clause(question: str, lang: str) -> None:
    assert closest_clauses(question, lang) is None


def test_the_closest_clauses_are_quoted_as_information(check_schema: Any) -> None:
    answer = closest_clauses("城里人能不能去农村买宅基地", "zh")
    assert answer is not None
    check_schema(answer)
    assert answer["verdict"] == "info"
    cited = [f"{c['doc']}/{c['clause']}" for c in answer["citations"]]
    assert {"shandong-2020/5", "guofa-2014-25/12"} <= set(cited)
    assert "最接近" in answer["text"]


def test_an_information_answer_quotes_the_clause_asked_about() -> None:
    answer = evaluate("residence_permit", {}, "zh", question="居住证丢了怎么补领",
                      asks_rules=True)
    assert answer["verdict"] == "info"
    cited = [f"{c['doc']}/{c['clause']}" for c in answer["citations"]]
    assert cited[0] == "juzhuzheng-2015/2" and "juzhuzheng-2015/11" in cited


def test_a_follow_up_is_searched_first_within_the_topic_of_the_conversation() -> None:
    answer = closest_clauses("And how do I get it endorsed each year?", "en",
                             topic="residence_permit")
    assert answer is not None
    cited = [f"{c['doc']}/{c['clause']}" for c in answer["citations"]]
    assert cited[0] == "juzhuzheng-2015/10"
    assert all(c["doc"] == "juzhuzheng-2015" for c in answer["citations"])


def test_an_information_answer_on_another_topic_quotes_the_closest_clause_too() -> None:
    """Read as a question of moving to the countryside, a question about housing conditions
    quotes the residence permit regulation's limit on them as well."""
    question = ("Can a city require you to own a flat of a certain size or a certain value "
                "before you are allowed to settle there?")
    answer = evaluate("urban_to_rural", {}, "en", question=question, asks_rules=True)
    cited = [f"{c['doc']}/{c['clause']}" for c in answer["citations"]]
    assert answer["verdict"] == "info" and "juzhuzheng-2015/16" in cited


def test_someone_who_told_of_themselves_gets_no_clause_of_another_topic() -> None:
    question = "I rent in Yingkou and work there. Can a city require a flat of a certain size?"
    facts = {"city": "yingkou", "residence": "rented", "employment": True}
    answer = evaluate("hukou_type", facts, "en", question=question, asks_rules=True)
    clauses = load_rules().clauses
    assert all("hukou_type" in clauses[f"{c['doc']}/{c['clause']}"].topics
               for c in answer["citations"])


@pytest.mark.parametrize(
    ("topic", "facts", "question", "clause"),
    [
        ("policy_overview", {"province": "shandong"},
         "Can hukou and ID card procedures in Shandong be handled online or in a different "
         "city from where my hukou is?", "shandong-2020/3"),
        # the closest clause of another topic, first sought in the province's own text:
        # Shandong's section on public services, though a national clause shares more words
        ("policy_overview", {"province": "shandong"},
         "What does Shandong's 2020 notice say about public services for people who aren't "
         "locally registered?", "shandong-2020/4"),
        # ... and in the national texts when the province's closest is quoted already
        ("settlement_eligibility", {"city": "fushun", "province": "liaoning"},
         "Can a big city like Fushun make you pay social insurance for 10 years before "
         "letting you settle there?", "juzhuzheng-2015/16"),
    ],
)
def test_an_information_answer_quotes_the_clause_that_speaks_of_the_question(
    topic: str, facts: dict[str, Any], question: str, clause: str
) -> None:
    answer = evaluate(topic, facts, "en", question=question, asks_rules=True)
    assert clause in [f"{c['doc']}/{c['clause']}" for c in answer["citations"]]
