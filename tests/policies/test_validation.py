"""Broken copies of the data: every error names the file and the key."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
import yaml

from policies import load_rules
from policies.loader import DATA_DIR, RulesError, load_rules_from


@pytest.fixture()
def data(tmp_path: Path) -> Path:
    copy = tmp_path / "data"
    shutil.copytree(DATA_DIR, copy)
    return copy


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def edit_documents(data: Path, doc: str, **changes: object) -> None:
    path = data / "documents.yml"
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    raw["documents"][doc].update(changes)
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")


def errors_of(data: Path) -> list[str]:
    with pytest.raises(RulesError) as info:
        load_rules_from(data)
    return [str(p) for p in info.value.problems]


Breakage = Callable[[Path], None]
ANSHAN_GUIDE = "application-materials.zh.md §2.2 鞍山 (B)"
QINGDAO_GUIDE = "application-materials.zh.md §3.2 青岛 (B)"

CASES: list[tuple[str, Breakage, str, str]] = [
    (
        "duplicate key",
        lambda d: replace(d / "facts.yml", "  studying:\n",
                          "  employment:\n    type: bool\n    label: {zh: 就业, en: job}\n"
                          "  studying:\n"),
        "facts.yml: employment",
        "duplicate key",
    ),
    (
        "unknown key",
        lambda d: replace(d / "offices.yml", "  police_station:\n",
                          "  police_station:\n    colour: blue\n"),
        "offices.yml: offices.police_station.colour",
        "unknown key",
    ),
    (
        "dangling clause",
        lambda d: replace(d / "routes" / "liaoning.yml", "clause: liaoning-2015/9\n",
                          "clause: liaoning-2015/99\n"),
        "routes/liaoning.yml: topics.investment_settlement.routes.investment.clause",
        "unknown clause 'liaoning-2015/99'",
    ),
    (
        "dangling office",
        lambda d: replace(d / "routes" / "shandong.yml", "decided_by: city_government",
                          "decided_by: mayor"),
        "routes/shandong.yml: topics.urban_to_rural.routes.return_hometown.outcomes.0.decided_by",
        "unknown office 'mayor'",
    ),
    (
        "dangling document type",
        lambda d: replace(d / "routes" / "shandong.yml",
                          "documents: [id_card, marriage_certificate",
                          "documents: [passport, marriage_certificate"),
        "routes/shandong.yml: topics.collective_household.routes.family_booklet.documents",
        "unknown document type 'passport'",
    ),
    (
        "unknown fact",
        lambda d: replace(d / "routes" / "liaoning.yml",
                          "{fact: employment, eq: true, clause: liaoning-2015/5}",
                          "{fact: employed, eq: true, clause: liaoning-2015/5}"),
        "routes/liaoning.yml: topics.settlement_eligibility.routes.medium_city.requires.0",
        "unknown fact 'employed'",
    ),
    (
        "missing en",
        lambda d: replace(d / "offices.yml",
                          "name: {zh: 12345政务服务便民热线, en: 12345 government service hotline}",
                          "name: {zh: 12345政务服务便民热线}"),
        "offices.yml: offices.hotline_12345.name.en",
        "missing",
    ),
    (
        "missing wording",
        lambda d: replace(d / "wording" / "en.yml", "  rural_graduate:", "  rural_graduates:"),
        "wording/en.yml: notes.rural_graduate",
        "missing",
    ),
    (
        "effective_to before effective_from",
        lambda d: edit_documents(d, "juzhuzheng-2015", effective_to=date(2015, 1, 1)),
        "documents.yml: documents.juzhuzheng-2015",
        "effective_to 2015-01-01 is before effective_from 2016-01-01",
    ),
    (
        "last_verified_on in the future",
        lambda d: edit_documents(d, "liaoning-2015", last_verified_on=date(2999, 1, 1)),
        "documents.yml: documents.liaoning-2015.last_verified_on",
        "in the future",
    ),
    (
        "place without tier",
        lambda d: replace(d / "places" / "liaoning.yml",
                          "parent: anshan, tier: small_city_town}", "parent: anshan, tier: null}"),
        "places/liaoning.yml: places.haicheng",
        "tier",
    ),
    (
        "two routes for one place",
        lambda d: replace(d / "routes" / "liaoning.yml", "where: {tier: [medium_city]}",
                          "where: {tier: [medium_city, big_city]}"),
        "routes/liaoning.yml: topics.settlement_eligibility",
        "matches 2 routes",
    ),
    (
        "grade C evidence alone",
        lambda d: replace(d / "doc_types.yml",
                          "    evidence:\n      - {source: application-materials.zh.md, "
                          "section: 2.3 大连, grade: B}",
                          "    evidence:\n      - {source: application-materials.zh.md, "
                          "section: 2.3 大连, grade: C}"),
        "doc_types.yml: doc_types.social_insurance_record.evidence",
        "grade C evidence alone",
    ),
    (
        "dangling family line",
        lambda d: replace(d / "routes" / "liaoning.yml",
                          "family_line: spouse_minor_children_parents",
                          "family_line: everyone"),
        "routes/liaoning.yml: topics.settlement_eligibility.routes.megacity_points.family_line",
        "no wording 'family_lines.everyone'",
    ),
    (
        "headline for an unknown route",
        lambda d: replace(d / "wording" / "zh.yml", "    megacity_talent:\n",
                          "    megacity_talents:\n"),
        "wording/zh.yml: headlines.liaoning.megacity_talents",
        "no route 'megacity_talents'",
    ),
    (
        "basis without a label",
        lambda d: replace(d / "doc_types.yml", f"basis: {ANSHAN_GUIDE}",
                          "basis: application-materials.zh.md §2.4 沈阳 (B)"),
        "doc_types.yml: doc_types.hukou_booklet.basis",
        "no wording",
    ),
    (
        "province basis without a label",
        lambda d: replace(d / "doc_types.yml", f"shandong: {QINGDAO_GUIDE}",
                          "shandong: application-materials.zh.md §3.3 济南 (B)"),
        "doc_types.yml: doc_types.hukou_booklet.basis_in.shandong",
        "no wording",
    ),
    (
        "basis that is none of the document's evidence",
        lambda d: replace(d / "doc_types.yml", f"basis: {ANSHAN_GUIDE}",
                          "basis: application-materials.zh.md §3.1 山东省居住证 (A)"),
        "doc_types.yml: doc_types.hukou_booklet.basis",
        "none of the document's evidence",
    ),
    (
        "basis in an unknown province",
        lambda d: replace(d / "doc_types.yml", f"shandong: {QINGDAO_GUIDE}",
                          f"jilin: {QINGDAO_GUIDE}"),
        "doc_types.yml: doc_types.hukou_booklet.basis_in.jilin",
        "unknown province",
    ),
    (
        "redirect to an unknown topic",
        lambda d: replace(d / "routes" / "liaoning.yml", "        topic: urban_to_rural\n",
                          "        topic: city_to_village\n"),
        "routes/liaoning.yml: topics.settlement_eligibility.redirect.0.topic",
        "'city_to_village' is not a topic to redirect to",
    ),
    (
        # (settlement_eligibility -> urban_to_rural -> settlement_eligibility is no cycle as
        # written: the first needs move_to rural, the second move_to urban)
        "redirect cycle",
        lambda d: replace(d / "routes" / "liaoning.yml",
                          "eq: rural}\n        topic: urban_to_rural",
                          "eq: urban}\n        topic: urban_to_rural"),
        "routes/liaoning.yml: topics.urban_to_rural.redirect.0.topic",
        "redirecting back to this one",
    ),
    (
        "pathway without routes",
        lambda d: replace(d / "routes" / "shandong.yml",
                          "pathways: [settlement_eligibility, family_reunion]",
                          "pathways: [settlement_eligibility, refugee_settlement]"),
        "routes/shandong.yml: pathways.1",
        "topic 'refugee_settlement' has no routes here",
    ),
    (
        "national topic for some places only",
        lambda d: replace(d / "routes" / "national.yml", "        clause: guofa-2014-25/9\n",
                          "        clause: guofa-2014-25/9\n        where: {tier: [urban]}\n"),
        "routes/national.yml: topics.hukou_type.routes",
        "a national topic has one route",
    ),
    (
        "document of an unknown jurisdiction",
        lambda d: replace(d / "documents.yml", "jurisdiction: shandong", "jurisdiction: jilin"),
        "documents.yml: documents.shandong-2020.jurisdiction",
        "'jilin' is neither a province",
    ),
    (
        "implication on an unknown fact",
        lambda d: replace(d / "facts.yml", "when: {fact: employment,", "when: {fact: employed,"),
        "facts.yml: facts.labor_contract.implied_by.0.when",
        "unknown fact 'employed'",
    ),
    (
        "implied value of the wrong type",
        lambda d: replace(d / "facts.yml", "{value: false, when:", "{value: maybe, when:"),
        "facts.yml: facts.labor_contract.implied_by.0",
        "is not a value of 'labor_contract'",
    ),
]


@pytest.mark.parametrize(("name", "breakage", "where", "message"), CASES,
                         ids=[c[0] for c in CASES])
def test_broken_data_names_file_and_key(
    data: Path, name: str, breakage: Breakage, where: str, message: str
) -> None:
    breakage(data)
    errors = errors_of(data)
    assert any(where in e and message in e for e in errors), errors


def test_intact_copy_loads(data: Path) -> None:
    assert load_rules_from(data).clauses


@pytest.mark.parametrize(
    ("fact", "value", "accepted"),
    [
        ("employment", True, True),
        ("employment", "true", False),
        ("residence", "rented", True),
        ("residence", "租房", False),
        ("residence_years", 2.5, True),
        ("residence_years", True, False),
        ("residence_years", -1, False),
        ("residence_years", float("inf"), False),
        ("city", "dandong", True),
        ("city", "beijing", True),
        ("city", "丹东", False),
        ("province", "shandong", True),
        ("no_such_fact", True, False),
    ],
)
def test_a_value_is_accepted_only_as_facts_md_types_it(
        fact: str, value: object, accepted: bool) -> None:
    assert load_rules().accepts(fact, value) is accepted
