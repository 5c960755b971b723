"""clause_bound: what the CRF entity extractor does to the spans its tagger predicts."""

from __future__ import annotations

from typing import Any

import pytest

from assistant.nlu.crf import clause_bound


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
    ],
)
def test_a_years_span_takes_the_type_its_clause_names(
    text: str, predicted: str, expected: str
) -> None:
    words = next(w for w in ("六年", "一年半", "four years", "3 years") if w in text)
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


@pytest.mark.parametrize(
    "text", ["毕业两年了", "lived here 5 years and paid social insurance 3 years"]
)
def test_a_duration_whose_clause_names_no_single_fact_is_not_added(text: str) -> None:
    assert clause_bound([], text) == []
