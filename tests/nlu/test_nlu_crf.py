"""clause_bound and keyword_completed: what the CRF entity extractor does to the spans its
tagger predicts."""

from __future__ import annotations

from typing import Any

import pytest

from assistant.nlu.crf import clause_bound, keyword_completed
from assistant.nlu.tokenizer import segmenter


def span(text: str, entity: str, words: str) -> dict[str, Any]:
    start = text.index(words)
    return {"entity": entity, "start": start, "end": start + len(words), "value": words}


def found(entities: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return [(e["entity"], e["value"]) for e in entities]


def test_a_fact_span_is_cut_at_a_clause_break() -> None:
    text = "没交社保 单位没给交"
    entities = clause_bound([span(text, "social_insurance", text)], text)
    assert found(entities) == [("social_insurance", "没交社保")]
    assert (entities[0]["start"], entities[0]["end"]) == (0, 4)


@pytest.mark.parametrize(
    ("text", "predicted", "expected"),
    [
        # the tagger's type is corrected by the words of the clause
        ("我在沈阳交了六年社保", "tax_years", "social_insurance_years"),
        ("交税一年半", "social_insurance_years", "tax_years"),
        ("four years of tax records", "residence_years", "tax_years"),
        # no years fact named in the clause: the tagger's type stays
        ("3 years", "residence_years", "residence_years"),
        # a duration tagged as another fact's words
        ("我在沈阳上班两年了", "residence", "residence_years"),
    ],
)
def test_a_years_span_takes_the_type_its_clause_names(
    text: str, predicted: str, expected: str
) -> None:
    words = next(w for w in ("六年", "一年半", "four years", "3 years", "两年") if w in text)
    [entity] = clause_bound([span(text, predicted, words)], text)
    assert (entity["entity"], entity["value"]) == (expected, words)


def test_a_missed_duration_becomes_the_years_fact_of_its_clause() -> None:
    text = "在大连上班，4年的社保。lived there for five years"
    entities = clause_bound([span(text, "city", "大连"), span(text, "employment", "上班")], text)
    assert found(entities) == [
        ("city", "大连"),
        ("employment", "上班"),
        ("social_insurance_years", "4年"),
        ("residence_years", "five years"),
    ]
    text = "I've been in Jining for a year, been ther 7 monts"
    assert found(clause_bound([], text)) == [("residence_years", "a year"),
                                             ("residence_years", "7 monts")]


@pytest.mark.parametrize(
    "text", ["毕业两年了", "lived here 5 years and paid social insurance 3 years"]
)
def test_a_duration_whose_clause_names_no_single_fact_is_not_added(text: str) -> None:
    assert clause_bound([], text) == []


def complete(text: str, entities: list[dict[str, Any]], **intent: bool) -> list[tuple[str, str]]:
    tokens = {(t.start, t.end) for t in segmenter().split(text)}
    return found(keyword_completed(entities, text, tokens, **intent))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("有社保", [("social_insurance", "有社保")]),
        ("失业了", [("employment", "失业")]),
        ("i'm renting", [("residence", "renting")]),
        # a clause with a duration keeps its keyword bare: the duration is the fact
        ("社保交了六年", []),
    ],
)
def test_an_answer_states_the_facts_whose_keywords_it_names(
    text: str, expected: list[tuple[str, str]]
) -> None:
    assert complete(text, [], stated=True) == expected


def test_a_question_names_keywords_without_stating_them() -> None:
    assert complete("莱州落户需不需要社保", []) == []


def test_a_keyword_counts_only_on_token_boundaries() -> None:
    # 村 (a village, move_to) inside 村民 (villagers) is no keyword
    assert ("move_to", "村") not in complete("我们村民能落户吗", [], stated=True)


def test_a_span_covering_part_of_a_keyword_is_widened_to_it() -> None:
    text = "i rent a flat and pay social insurance"
    entities = [span(text, "social_insurance", "social insurance")]
    assert complete(text, entities) == [("social_insurance", "pay social insurance")]


def test_each_span_is_widened_to_its_own_keyword_only() -> None:
    text = "i pay social insurance, my wife pays social insurance, we pay social insurance"
    entities = [
        {**span(text, "social_insurance", "social insurance"), "start": start, "end": start + 16}
        for start in (i for i in range(len(text)) if text.startswith("social insurance", i))
    ]
    assert complete(text, entities) == [
        ("social_insurance", "pay social insurance"),
        ("social_insurance", "pays social insurance"),
        ("social_insurance", "pay social insurance"),
    ]


def test_a_years_span_of_a_bare_number_is_widened_to_the_duration() -> None:
    text = "renting 4 yrs"
    assert complete(text, [span(text, "residence_years", "4")]) == [("residence_years", "4 yrs")]


def test_a_widened_span_is_valued_with_its_words() -> None:
    text = "i pay social insurance"
    entity = span(text, "social_insurance", "social insurance")
    [widened] = keyword_completed(
        [entity], text, {(t.start, t.end) for t in segmenter().split(text)}
    )
    assert (widened["start"], widened["value"]) == (2, "pay social insurance")


def test_a_question_about_a_term_names_it() -> None:
    assert complete("居住证是啥东西", [], term_asked=True) == [("term", "居住证")]
    assert complete("居住证是啥东西", []) == []
