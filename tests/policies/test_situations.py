"""OpenFisca-style situations (situations/*.yml): facts in, expected answer out."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from policies import evaluate

SITUATIONS = Path(__file__).resolve().parent / "situations"
EXPECTED_KEYS = {
    "verdict", "citations", "not_cited", "documents", "missing", "question", "decided_by",
    "offices", "text_contains", "text_not_contains", "text_max_len", "document_basis",
    "documents_if", "pathways", "lead",
}


def _strings(value: Any) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


def _load() -> list[Any]:
    cases = []
    for path in sorted(SITUATIONS.glob("*.yml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8")):
            cases.append(pytest.param(case, id=f"{path.stem}: {case['name']}"))
    return cases


@pytest.mark.parametrize("case", _load())
def test_situation(case: dict[str, Any], check_schema: Any) -> None:
    expected = case["expected"]
    assert set(expected) <= EXPECTED_KEYS, f"unknown expectation {set(expected) - EXPECTED_KEYS}"
    answer = evaluate(case["topic"], case["facts"], case["lang"], as_of=case.get("as_of"))
    check_schema(answer)
    assert answer["lang"] == case["lang"]
    assert answer["verdict"] == expected["verdict"], answer["text"]
    cited = [f"{c['doc']}/{c['clause']}" for c in answer["citations"]]
    if "citations" in expected:
        if expected["citations"]:
            for ref in expected["citations"]:
                assert ref in cited, f"{ref} not cited: {cited}"
        else:
            assert cited == []
    for ref in expected.get("not_cited", []):
        assert ref not in cited
    if "documents" in expected:
        settled = [d["id"] for d in answer["documents"] if "if" not in d]
        assert settled == expected["documents"], answer["text"]
    if "documents_if" in expected:
        # documents that depend on a fact not known yet: {doc id: fact}
        pending = {d["id"]: d["if"]["fact"] for d in answer["documents"] if "if" in d}
        assert pending == expected["documents_if"], answer["text"]
    if "lead" in expected:
        assert answer["route"] == expected["lead"], answer["text"]
    if "pathways" in expected:
        # the result of each pathway weighed, as the trace lists it: {topic: verdict}
        weighed = {t["value"]: t["result"] for t in answer["trace"] if t["fact"] == "pathway"}
        assert weighed == expected["pathways"], weighed
    if "missing" in expected:
        assert answer["missing"] == expected["missing"]
    if "question" in expected:
        assert answer["question"] is not None
        assert answer["question"]["fact"] == expected["question"]
    if "decided_by" in expected:
        assert answer["decided_by"]["id"] == expected["decided_by"]
    if "offices" in expected:
        office_ids = [o["id"] for o in answer["offices"]]
        for office in expected["offices"]:
            assert office in office_ids
    for wanted in _strings(expected.get("text_contains", [])):
        assert wanted in answer["text"], answer["text"]
    for unwanted in _strings(expected.get("text_not_contains", [])):
        assert unwanted not in answer["text"], answer["text"]
    if "text_max_len" in expected:
        assert len(answer["text"]) <= expected["text_max_len"], answer["text"]
    bases = {d["id"]: d.get("basis") for d in answer["documents"]}
    for doc_id, basis in expected.get("document_basis", {}).items():
        assert bases.get(doc_id) == basis, bases
