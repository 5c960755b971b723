"""Every topic, every tier, both languages: checks a reader would make of any answer.

- the answer validates against answer.schema.json;
- a zh text has no English sentence (except a clause quoted in English and marked as such),
  an en text no Chinese beyond document numbers (辽政发〔2015〕18号) and glossed terms;
- every document carries a basis that is a known clause or a labelled source section;
- a question (need_more_info) decided by a route cites that route's clause;
- no number appears in the text that is not in the sources, the person's facts, the cited
  clauses, an office's contact or the question's input hint (no invented threshold, year
  or document number);
- no line is said twice.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest

from policies import Rules, evaluate
from policies.model import TOPICS

SOURCES = Path(__file__).resolve().parents[2] / "policies" / "sources"

PLACES = [
    "shenyang", "ganjingzi", "anshan", "benxi", "dandong", "huludao", "wafangdian",
    "haicheng", "xinmin", "kangping", "jinan", "qingdao", "jiaozhou", "pingyin", "beijing",
    "beijingchaoyang", "shanghai", None,
]
FACT_SETS: dict[str, list[dict[str, Any]]] = {
    "settlement_eligibility": [
        {}, {"employment": True, "residence": "rented", "social_insurance": True,
             "from_other_province": True, "relation": "child"},
        {"employment": False, "residence": "none"},
    ],
    "talent_settlement": [
        {}, {"education": "college", "qualification": "junior_worker", "labor_contract": True},
        {"education": "college", "qualification": "none", "labor_contract": True},
    ],
    "investment_settlement": [
        {}, {"legal_representative": True, "business_premises": True, "tax_years": 2},
    ],
    "family_reunion": [{}, {"relation": "spouse"}, {"relation": "none"}],
    "points_settlement": [
        {"employment": True, "residence": "rented", "social_insurance_years": 3,
         "residence_years": 2},
    ],
    "urban_to_rural": [
        {}, {"hukou_now": "urban", "move_to": "rural", "relation": "parent"},
        {"hukou_now": "urban", "move_to": "rural", "graduate_this_year": True,
         "employed_in_province": False},
        {"hukou_now": "urban", "move_to": "rural", "relation": "none",
         "graduate_this_year": False},
        {"returning_to_work_or_business": True, "veteran": True}, {"homestead_right": True},
    ],
    "collective_household": [{}, {"collective_household": True, "has_family": True}],
    "residence_permit": [{}, {"residence_years": 1, "employment": True},
                         {"residence_years": 0.2}],
}
CJK = re.compile(r"[\u4e00-\u9fff]")
# Chinese allowed in English answers: document numbers and glossed terms in brackets.
EN_ALLOWED = re.compile(r"[^\s(]*〔\d+〕\d+号|\([^()]*[\u4e00-\u9fff][^()]*\)")
ENGLISH_RUN = re.compile(r"[A-Za-z]{2,}(?:[\s,]+[A-Za-z]{2,}){2,}")
NUMBER = re.compile(r"\d+(?:\.\d+)?")


def _situations(topic: str) -> list[dict[str, Any]]:
    return [
        dict(facts, **({"city": place} if place else {}))
        for place in PLACES
        for facts in FACT_SETS.get(topic, [{}])
    ]


@lru_cache(maxsize=1)
def _source_numbers() -> frozenset[str]:
    text = "\n".join(p.read_text(encoding="utf-8") for p in SOURCES.iterdir() if p.is_file())
    return frozenset(NUMBER.findall(text))


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("topic", TOPICS)
def test_answers_read_right(topic: str, lang: str, rules: Rules, check_schema: Any) -> None:
    for facts in _situations(topic):
        try:
            _check(evaluate(topic, facts, lang), lang, rules, check_schema)
        except AssertionError as exc:
            raise AssertionError(f"{topic} {facts} {lang}: {exc}") from exc


def _check(answer: dict[str, Any], lang: str, rules: Rules, check_schema: Any) -> None:
    check_schema(answer)
    text: str = answer["text"]
    lines = text.split("\n")
    other_marker = rules.wording[lang]["markers"]["other_language"].strip()
    for line in lines:
        if lang == "zh" and other_marker not in line:
            assert not ENGLISH_RUN.search(line), line
        if lang == "en" and other_marker not in line:
            assert not CJK.search(EN_ALLOWED.sub("", line)), line

    labels = rules.wording[lang].get("basis_labels") or {}
    for doc in answer["documents"]:
        basis = doc.get("basis")
        assert basis, doc
        assert basis in rules.clauses or basis in labels, doc

    if answer["verdict"] == "need_more_info" and answer.get("route"):
        assert answer["citations"], text

    allowed = set(_source_numbers())
    for office in rules.offices.values():  # hotline numbers are contact data, not rules
        allowed.update(NUMBER.findall(office.name.get(lang)))
    if answer["question"]:  # an input hint such as "half a year is 0.5"
        allowed.update(NUMBER.findall(answer["question"]["text"]))
    for value in answer["facts"].values():
        allowed.update(NUMBER.findall(str(value)))
    for cite in answer["citations"]:
        allowed.update(NUMBER.findall(cite["text"]))
    invented = [n for n in NUMBER.findall(text) if n not in allowed]
    assert not invented, (invented, text)

    said = [line for line in lines if line.strip()]
    repeated = {line for line in said if said.count(line) > 1}
    assert not repeated, repeated
