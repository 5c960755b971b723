"""The policy texts as data: every quoted text is verbatim, translations are never official.

Plain YAML loading, no engine: these checks guard the honesty of policies/data/clauses/*.yml,
policies/data/documents.yml and policies/data/glossary.yml against policies/sources/.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ROOT / "policies" / "sources"
DATA = ROOT / "policies" / "data"

LANGS = {"zh", "en"}
TOPICS = {
    "settlement_eligibility", "required_documents", "hukou_type", "talent_settlement",
    "investment_settlement", "family_reunion", "points_settlement", "urban_to_rural",
    "return_hometown", "collective_household", "residence_permit", "public_services",
    "rural_rights", "online_services", "responsible_office", "policy_overview",
}
RESPONSIBLE = {"public_security", "development_reform", "human_resources", "education"}
SOURCE_KINDS = {"official", "translation", "press_report", "notes"}

DOC_IDS = {"liaoning-2015", "shandong-2020", "guofa-2014-25", "juzhuzheng-2015", "liaoning-2009"}

# Where a text may be marked official (the authentic text of the document), and from which file.
# liaoning-2009: only article 2, as quoted in the research notes (article 1 contains the spam
# word that the mirror substituted for 辽宁省, so it is not authentic).
OFFICIAL_ALLOWED = {
    ("guofa-2014-25", "zh"): ("guofa-2014-25.zh.txt", None),
    ("juzhuzheng-2015", "zh"): ("juzhuzheng-2015.zh.txt", None),
    ("liaoning-2009", "zh"): ("liaoning-2015.notes.txt", {"2"}),
}

REQUIRED_CLAUSES = {
    "liaoning-2015": {str(i) for i in range(1, 10)} | {"11"},
    "shandong-2020": {str(i) for i in range(1, 7)},
    "guofa-2014-25": {str(i) for i in range(1, 17)},
    "juzhuzheng-2015": {"1", "2", "3", "9", "10", "12", "13", "15", "16"},
    "liaoning-2009": {"2"},
}

DOC_KEYS_REQUIRED = {
    "title", "number", "issuer", "issued_on", "effective_from", "effective_to",
    "authentic_lang", "sources", "last_verified_on", "notes", "jurisdiction",
}
DOC_KEYS_OPTIONAL = {"published_before"}
CLAUSE_KEYS_REQUIRED = {"title", "text", "topics", "responsible"}
CLAUSE_KEYS_OPTIONAL = {"notes", "subjects"}
TEXT_KEYS = {"text", "official", "source", "translation_of"}
TERM_KEYS = {"name", "aliases", "topic", "definition", "clauses"}

# Spam word substituted for 辽宁省 in the tampered mirror of 辽政办发〔2009〕30号.
SPAM = "必赢体育"


def _load(path: Path):
    with path.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


@pytest.fixture(scope="module")
def documents() -> dict:
    return _load(DATA / "documents.yml")["documents"]


@pytest.fixture(scope="module")
def clauses() -> dict[str, dict]:
    out = {}
    for doc in sorted(DOC_IDS):
        data = _load(DATA / "clauses" / f"{doc}.yml")
        assert data["doc"] == doc
        assert set(data) == {"doc", "clauses"}
        out[doc] = data["clauses"]
    return out


@pytest.fixture(scope="module")
def glossary() -> dict:
    return _load(DATA / "glossary.yml")["terms"]


def _source(name: str) -> str:
    path = SOURCES / name
    assert path.is_file(), f"unknown source file {name}"
    assert path.resolve().parent == SOURCES.resolve()
    return path.read_text(encoding="utf-8")


def _all_texts(clauses):
    for doc, cl in clauses.items():
        for cid, clause in cl.items():
            for lang, t in clause["text"].items():
                yield doc, cid, lang, t


def _bi(value, what):
    assert isinstance(value, dict) and set(value) == LANGS, f"{what}: needs exactly zh and en"
    for lang in LANGS:
        assert isinstance(value[lang], str) and value[lang].strip(), f"{what}.{lang} empty"


# --------------------------------------------------------------------------- documents


def test_documents_are_the_five(documents):
    assert set(documents) == DOC_IDS


def test_document_metadata_shape(documents):
    for doc, meta in documents.items():
        keys = set(meta)
        assert DOC_KEYS_REQUIRED <= keys, (doc, DOC_KEYS_REQUIRED - keys)
        assert keys <= DOC_KEYS_REQUIRED | DOC_KEYS_OPTIONAL, (doc, keys)
        _bi(meta["title"], f"{doc}.title")
        _bi(meta["issuer"], f"{doc}.issuer")
        _bi(meta["notes"], f"{doc}.notes")
        assert meta["authentic_lang"] in LANGS
        for key in ("issued_on", "effective_from", "effective_to", "published_before"):
            value = meta.get(key)
            assert value is None or isinstance(value, dt.date), (doc, key, value)
        assert isinstance(meta["last_verified_on"], dt.date)
        assert meta["sources"], doc
        for src in meta["sources"]:
            assert set(src) == {"file", "lang", "kind"}, (doc, src)
            assert src["lang"] in LANGS and src["kind"] in SOURCE_KINDS, (doc, src)
            _source(src["file"])


def test_document_numbers_and_dates_as_sourced(documents):
    """Only what the sources state; unknowns stay null (never invented)."""
    assert documents["guofa-2014-25"]["number"] == "国发〔2014〕25号"
    assert documents["guofa-2014-25"]["issued_on"] == dt.date(2014, 7, 24)
    assert documents["juzhuzheng-2015"]["number"] == "国务院令第663号"
    assert documents["juzhuzheng-2015"]["issued_on"] == dt.date(2015, 11, 26)
    assert documents["juzhuzheng-2015"]["effective_from"] == dt.date(2016, 1, 1)
    assert documents["liaoning-2015"]["number"] == "辽政发〔2015〕18号"
    assert documents["liaoning-2015"]["issued_on"] is None
    assert documents["liaoning-2015"]["published_before"] == dt.date(2015, 12, 17)
    assert documents["shandong-2020"]["number"] is None  # 文号 unknown
    assert documents["shandong-2020"]["issued_on"] == dt.date(2020, 12, 30)
    assert documents["liaoning-2009"]["number"] == "辽政办发〔2009〕30号"
    assert documents["liaoning-2009"]["issued_on"] == dt.date(2009, 4, 30)
    for doc in DOC_IDS:
        assert documents[doc]["effective_to"] is None
    # every known document number is written as in one of the document's source files
    for doc in DOC_IDS:
        number = documents[doc]["number"]
        if number is not None:
            files = [s["file"] for s in documents[doc]["sources"]]
            assert any(number in _source(f) for f in files), (doc, number)


def test_known_misprint_is_recorded(documents):
    notes = documents["liaoning-2015"]["notes"]
    assert "2114" in notes["en"] and "国发〔2014〕25号" in notes["en"]
    assert "2114" in notes["zh"]


# --------------------------------------------------------------------------- clauses


def test_required_clauses_present(clauses):
    for doc, required in REQUIRED_CLAUSES.items():
        missing = required - set(clauses[doc])
        assert not missing, (doc, sorted(missing))
    # the Liaoning source skips (10): never invent it
    assert "10" not in clauses["liaoning-2015"]
    assert set(clauses["shandong-2020"]) == REQUIRED_CLAUSES["shandong-2020"]
    assert set(clauses["guofa-2014-25"]) == REQUIRED_CLAUSES["guofa-2014-25"]


def test_clause_ids_are_numeric_strings(clauses):
    for doc, cl in clauses.items():
        for cid in cl:
            assert isinstance(cid, str) and cid.isdigit() and not cid.startswith("0"), (doc, cid)


def test_clause_shape(clauses):
    for doc, cl in clauses.items():
        for cid, clause in cl.items():
            keys = set(clause)
            where = f"{doc}/{cid}"
            allowed = CLAUSE_KEYS_REQUIRED | CLAUSE_KEYS_OPTIONAL
            assert CLAUSE_KEYS_REQUIRED <= keys <= allowed, where
            _bi(clause["title"], f"{where}.title")
            for key in ("notes", "subjects"):
                if key in clause:
                    _bi(clause[key], f"{where}.{key}")
            assert clause["topics"], where
            assert set(clause["topics"]) <= TOPICS, (where, set(clause["topics"]) - TOPICS)
            assert len(set(clause["topics"])) == len(clause["topics"]), where
            assert set(clause["responsible"]) <= RESPONSIBLE, where


def test_every_clause_has_zh_and_en_text(clauses):
    for doc, cl in clauses.items():
        for cid, clause in cl.items():
            assert set(clause["text"]) == LANGS, f"{doc}/{cid}"
            for lang, t in clause["text"].items():
                assert isinstance(t["text"], str) and t["text"].strip(), f"{doc}/{cid}/{lang}"
                assert t["text"] == t["text"].strip(), f"{doc}/{cid}/{lang}: stray whitespace"


def test_text_provenance_is_declared(clauses):
    for doc, cid, lang, t in _all_texts(clauses):
        where = f"{doc}/{cid}/{lang}"
        assert set(t) <= TEXT_KEYS and {"text", "official"} <= set(t), where
        assert isinstance(t["official"], bool), where
        has_source = "source" in t
        has_translation = "translation_of" in t
        assert has_source != has_translation, f"{where}: exactly one of source / translation_of"
        if has_translation:
            assert t["official"] is False, f"{where}: a translation is never official"
            assert t["translation_of"] in LANGS - {lang}, where


def test_sourced_texts_are_verbatim(clauses):
    """Every text that names a source is a character-for-character substring of it."""
    failures = []
    for doc, cid, lang, t in _all_texts(clauses):
        if "source" not in t:
            continue
        if t["text"] not in _source(t["source"]):
            failures.append(f"{doc}/{cid}/{lang} not verbatim in {t['source']}")
    assert not failures, "\n".join(failures)


def test_official_only_where_allowed(clauses):
    for doc, cid, lang, t in _all_texts(clauses):
        where = f"{doc}/{cid}/{lang}"
        if not t["official"]:
            continue
        assert (doc, lang) in OFFICIAL_ALLOWED, f"{where}: official text not allowed here"
        source, ids = OFFICIAL_ALLOWED[(doc, lang)]
        assert t.get("source") == source, where
        assert ids is None or cid in ids, where


def test_authentic_texts_are_marked_official(clauses):
    for doc in ("guofa-2014-25", "juzhuzheng-2015"):
        for cid, clause in clauses[doc].items():
            assert clause["text"]["zh"]["official"] is True, f"{doc}/{cid}"
            assert clause["text"]["en"]["official"] is False, f"{doc}/{cid}"
    assert clauses["liaoning-2009"]["2"]["text"]["zh"]["official"] is True


def test_provincial_texts_never_official(clauses):
    for doc in ("liaoning-2015", "shandong-2020"):
        for cid, clause in clauses[doc].items():
            for lang in LANGS:
                assert clause["text"][lang]["official"] is False, f"{doc}/{cid}/{lang}"
    for cid, clause in clauses["liaoning-2015"].items():
        assert clause["text"]["en"].get("source") == "liaoning-2015.en.txt", cid
        assert clause["text"]["zh"].get("translation_of") == "en", cid
    for cid, clause in clauses["shandong-2020"].items():
        assert clause["text"]["en"].get("source") == "shandong-2020.en.txt", cid
        zh = clause["text"]["zh"]
        if "source" in zh:
            assert zh["source"] == "shandong-2020.zh-reports.txt", cid
            # a press report, and the clause says so
            assert "报道" in clause["notes"]["zh"] and "report" in clause["notes"]["en"], cid


def test_no_spam_or_misprint_in_quoted_texts(clauses):
    for doc, cid, lang, t in _all_texts(clauses):
        assert SPAM not in t["text"], f"{doc}/{cid}/{lang}"
        assert "Guo Fa [2114]" not in t["text"], f"{doc}/{cid}/{lang}"


def test_liaoning_responsible_units_match_text(clauses):
    """Liaoning clauses carry '(Responsible unit: …)': the ids follow exactly what it names."""
    names = {
        "public_security": "Public Security Department",
        "development_reform": "Development and Reform Commission",
        "human_resources": "Human Resources and Social Security",
        "education": "Department of Education",
    }
    for cid, clause in clauses["liaoning-2015"].items():
        en = clause["text"]["en"]["text"]
        idx = en.lower().find("(responsible unit:")
        named = set()
        if idx >= 0:
            tail = en[idx:].lower()
            named = {rid for rid, name in names.items() if name.lower() in tail}
        assert set(clause["responsible"]) == named, cid


# --------------------------------------------------------------------------- glossary


def test_glossary_shape_and_refs(glossary, clauses):
    assert glossary
    for term, entry in glossary.items():
        assert set(entry) == TERM_KEYS, term
        _bi(entry["name"], f"{term}.name")
        _bi(entry["definition"], f"{term}.definition")
        aliases = entry["aliases"]
        assert set(aliases) == LANGS, term
        for lang in LANGS:
            assert isinstance(aliases[lang], list), term
            assert all(isinstance(a, str) and a.strip() for a in aliases[lang]), term
        assert entry["topic"] in TOPICS, term
        assert entry["clauses"], term
        for ref in entry["clauses"]:
            doc, _, cid = ref.partition("/")
            assert doc in clauses and cid in clauses[doc], f"{term}: unknown clause {ref}"


def test_glossary_terms_appear_in_their_clauses(glossary, clauses):
    """A term is defined from clauses that actually mention it (name or an alias, any language)."""
    for term, entry in glossary.items():
        forms = [entry["name"]["zh"], entry["name"]["en"]]
        for lang in LANGS:
            forms += entry["aliases"][lang]
        forms = [f.lower() for f in forms]
        hits = 0
        for ref in entry["clauses"]:
            doc, _, cid = ref.partition("/")
            texts = " ".join(t["text"] for t in clauses[doc][cid]["text"].values()).lower()
            if any(f in texts for f in forms):
                hits += 1
        assert hits, f"{term}: none of its clauses mentions it"
