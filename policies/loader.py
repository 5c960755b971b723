"""Loading and validating the policy data under ``policies/data``.

`load_rules()` reads every YAML file, rejects duplicate and unknown keys, checks that all
references resolve, and returns a cached, immutable `Rules`. Every problem is reported
with the file and the key it concerns (`RulesError`).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from .datafile import Problem, RulesError, read_yaml
from .model import (
    DOC_TYPE_IDS,
    LANGS,
    TOPICS,
    Clause,
    ClausesFile,
    Condition,
    DocType,
    DocTypesFile,
    Document,
    DocumentsFile,
    FactDef,
    FactsFile,
    GlossaryFile,
    Office,
    OfficesFile,
    PlaceLike,
    ProvinceRoutes,
    Route,
    Term,
    coerce_fact,
)
from .places import load_places

DATA_DIR = Path(__file__).resolve().parent / "data"
SOURCES_DIR = Path(__file__).resolve().parent / "sources"
PROVINCES = ("liaoning", "shandong")
#: routes/national.yml: the topics answered by national rules when no province is known
NATIONAL = "national"
CLAUSE_REF = re.compile(r"^([a-z0-9-]+)/([0-9]+)$")


@dataclass(frozen=True)
class Rules:
    """All policy data, validated. Treat as read-only."""

    version: str
    data_dir: Path
    documents: dict[str, Document]
    clauses: dict[str, Clause]  # "doc/number" -> clause
    glossary: dict[str, Term]
    facts: dict[str, FactDef]
    offices: dict[str, Office]
    doc_types: dict[str, DocType]
    routes: dict[str, ProvinceRoutes]
    wording: dict[str, dict[str, Any]]
    places: Any  # PlaceIndex of policies.places

    def accepts(self, fact: str, value: Any) -> bool:
        """Whether ``value`` is already a value of ``fact`` as docs/contract/facts.md types it
        (`coerce_fact` keeps it as it is: no "yes" for true, no "5" for 5) and, for a place,
        a place id."""
        definition = self.facts.get(fact)
        if definition is None or value is None \
                or isinstance(value, bool) != (definition.type == "bool") \
                or coerce_fact(definition, value) != value:
            return False
        return definition.type != "place" or self.places.get(value) is not None

    def places_of(self, province: str) -> list[PlaceLike]:
        """Places of a province that carry a tier (everything but the province itself)."""
        return [
            p for p in self.places.all() if p.province == province and p.kind != "province"
        ]


def data_version(data_dir: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(data_dir.rglob("*")):
        if path.is_file() and path.suffix in (".yml", ".yaml"):
            digest.update(path.relative_to(data_dir).as_posix().encode())
            digest.update(b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _loc(loc: tuple[Any, ...]) -> str:
    return ".".join(str(part) for part in loc if part != "__root__")


def _parse(model: type[BaseModel], raw: Any, rel: str, problems: list[Problem]) -> Any:
    if raw is None:
        problems.append(Problem(rel, "", "file is empty"))
        return None
    try:
        return model.parse_obj(raw)
    except ValidationError as exc:
        for err in exc.errors():
            msg = err["msg"]
            if err["type"] == "value_error.extra":
                msg = "unknown key"
            elif err["type"] == "value_error.missing":
                msg = "missing (required)"
            problems.append(Problem(rel, _loc(err["loc"]), msg))
        return None


def _load_places(data_dir: Path, problems: list[Problem]) -> Any:
    try:
        return load_places(data_dir)
    except RulesError as exc:
        problems.extend(exc.problems)
    except Exception as exc:  # noqa: BLE001 - the places module reports its own errors
        problems.append(Problem("places/", "", str(exc)))
    return None


def load_rules_from(data_dir: Path, today: date | None = None) -> Rules:
    """Load and validate the data in `data_dir` (no cache); raise `RulesError`."""
    problems: list[Problem] = []
    today = today or date.today()

    def read(rel: str) -> Any:
        path = data_dir / rel
        if not path.exists():
            problems.append(Problem(rel, "", "file not found"))
            return None
        try:
            return read_yaml(path, rel)
        except RulesError as exc:
            problems.extend(exc.problems)
            return None

    docs_file: DocumentsFile | None = _parse(
        DocumentsFile, read("documents.yml"), "documents.yml", problems
    )
    documents = docs_file.documents if docs_file else {}

    clauses: dict[str, Clause] = {}
    clause_files: dict[str, str] = {}
    for path in sorted((data_dir / "clauses").glob("*.yml")):
        rel = f"clauses/{path.name}"
        parsed: ClausesFile | None = _parse(ClausesFile, read(rel), rel, problems)
        if parsed is None:
            continue
        if parsed.doc != path.stem:
            problems.append(Problem(rel, "doc", f"{parsed.doc!r} does not match the file name"))
        if documents and parsed.doc not in documents:
            problems.append(Problem(rel, "doc", f"unknown document {parsed.doc!r}"))
        for num, clause in parsed.clauses.items():
            clauses[f"{parsed.doc}/{num}"] = clause
            clause_files[f"{parsed.doc}/{num}"] = rel

    glossary_file: GlossaryFile | None = _parse(
        GlossaryFile, read("glossary.yml"), "glossary.yml", problems
    )
    facts_file: FactsFile | None = _parse(FactsFile, read("facts.yml"), "facts.yml", problems)
    offices_file: OfficesFile | None = _parse(
        OfficesFile, read("offices.yml"), "offices.yml", problems
    )
    doc_types_file: DocTypesFile | None = _parse(
        DocTypesFile, read("doc_types.yml"), "doc_types.yml", problems
    )
    routes: dict[str, ProvinceRoutes] = {}
    for province in (*PROVINCES, NATIONAL):
        rel = f"routes/{province}.yml"
        parsed_routes: ProvinceRoutes | None = _parse(ProvinceRoutes, read(rel), rel, problems)
        if parsed_routes:
            routes[province] = parsed_routes
    wording: dict[str, dict[str, Any]] = {}
    for lang in LANGS:
        rel = f"wording/{lang}.yml"
        raw = read(rel)
        if raw is not None and not isinstance(raw, dict):
            problems.append(Problem(rel, "", "must be a mapping"))
        elif raw is not None:
            wording[lang] = raw
    places = _load_places(data_dir, problems)

    facts = facts_file.facts if facts_file else {}
    offices = offices_file.offices if offices_file else {}
    doc_types = doc_types_file.doc_types if doc_types_file else {}
    glossary = glossary_file.terms if glossary_file else {}

    checker = _Checker(problems, clauses, documents, facts, offices, doc_types, wording)
    checker.check_documents(today)
    checker.check_clauses(clause_files)
    checker.check_glossary(glossary)
    checker.check_doc_types()
    checker.check_implications()
    checker.check_wording_parity()
    checker.check_doc_short()
    for province, province_routes in routes.items():
        checker.check_routes(province, province_routes, places)
    if places is not None:
        checker.check_places(places)

    if problems:
        raise RulesError(problems)
    return Rules(
        version=data_version(data_dir),
        data_dir=data_dir,
        documents=documents,
        clauses=clauses,
        glossary=glossary,
        facts=facts,
        offices=offices,
        doc_types=doc_types,
        routes=routes,
        wording=wording,
        places=places,
    )


@lru_cache(maxsize=4)
def _cached(data_dir: str) -> Rules:
    return load_rules_from(Path(data_dir))


def load_rules(data_dir: Path | str | None = None) -> Rules:
    """The validated rules (cached per data directory)."""
    return _cached(str(Path(data_dir) if data_dir else DATA_DIR))


def _redirect_reach(data: ProvinceRoutes, topic: str,
                    held: frozenset[tuple[str, Any]] = frozenset(),
                    path: frozenset[str] = frozenset()) -> set[str]:
    """The topics a question about `topic` can be redirected to, itself included, by
    redirects whose conditions can hold together: one that needs a fact to equal a value
    other than a redirect before it needed ("move_to: rural" after "move_to: urban") is
    never taken after it."""
    reached = {topic}
    for redirect in data.topics[topic].redirect if topic in data.topics else []:
        needs = _equalities(redirect.when)
        if any(fact == other and value != value_held
               for fact, value in needs for other, value_held in held):
            continue
        if redirect.topic in path | reached:
            reached.add(redirect.topic)
            continue
        reached |= _redirect_reach(data, redirect.topic, held | needs, path | {topic})
    return reached


def _equalities(condition: Condition) -> frozenset[tuple[str, Any]]:
    """The (fact, value) pairs a condition needs: a fact test `eq`, or all of those of an
    `all`."""
    if condition.fact and condition.eq is not None:
        return frozenset({(condition.fact, condition.eq)})
    if condition.all:
        return frozenset().union(*(_equalities(c) for c in condition.all))
    return frozenset()


def _walk_keys(node: Any, prefix: str = "") -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            path = f"{prefix}.{key}" if prefix else str(key)
            yield path
            yield from _walk_keys(value, path)


@dataclass
class _Checker:
    """Cross-file checks: references resolve, dates are possible, languages are complete."""

    problems: list[Problem]
    clauses: dict[str, Clause]
    documents: dict[str, Document]
    facts: dict[str, FactDef]
    offices: dict[str, Office]
    doc_types: dict[str, DocType]
    wording: dict[str, dict[str, Any]]

    def add(self, file: str, key: str, message: str) -> None:
        self.problems.append(Problem(file, key, message))

    def check_clause_ref(self, ref: str | None, file: str, key: str) -> None:
        if ref is None:
            return
        if not CLAUSE_REF.match(ref):
            self.add(file, key, f"{ref!r} is not a clause reference like liaoning-2015/5")
        elif ref not in self.clauses:
            self.add(file, key, f"unknown clause {ref!r}")

    def check_office_ref(self, ref: str, file: str, key: str) -> None:
        if ref not in self.offices:
            self.add(file, key, f"unknown office {ref!r}")

    def check_documents(self, today: date) -> None:
        for doc_id, doc in self.documents.items():
            key = f"documents.{doc_id}"
            if doc.last_verified_on > today:
                self.add("documents.yml", f"{key}.last_verified_on",
                         f"{doc.last_verified_on} is in the future")
            for name in ("issued_on", "published_before", "effective_from"):
                value = getattr(doc, name)
                if value and value > today and name != "effective_from":
                    self.add("documents.yml", f"{key}.{name}", f"{value} is in the future")
            for i, src in enumerate(doc.sources):
                if not (SOURCES_DIR / src.file).exists():
                    self.add("documents.yml", f"{key}.sources.{i}.file",
                             f"no source file {src.file!r} in policies/sources")
            if doc.jurisdiction not in (*PROVINCES, NATIONAL):
                self.add("documents.yml", f"{key}.jurisdiction",
                         f"{doc.jurisdiction!r} is neither a province "
                         f"({', '.join(PROVINCES)}) nor {NATIONAL!r}")

    def check_clauses(self, clause_files: dict[str, str]) -> None:
        for ref, clause in self.clauses.items():
            file, num = clause_files[ref], ref.split("/")[1]
            for office in clause.responsible:
                self.check_office_ref(office, file, f"clauses.{num}.responsible")
            for topic in clause.topics:
                if topic not in TOPICS:
                    self.add(file, f"clauses.{num}.topics", f"unknown topic {topic!r}")
            for lang, text in clause.text.items():
                if text.source and not (SOURCES_DIR / text.source).exists():
                    self.add(file, f"clauses.{num}.text.{lang}.source",
                             f"no source file {text.source!r}")
                if text.translation_of and text.translation_of not in clause.text:
                    self.add(file, f"clauses.{num}.text.{lang}.translation_of",
                             f"no {text.translation_of} text to translate from")

    def check_glossary(self, terms: dict[str, Term]) -> None:
        for term_id, term in terms.items():
            if term.topic not in TOPICS:
                self.add("glossary.yml", f"terms.{term_id}.topic", f"unknown topic {term.topic!r}")
            for ref in term.clauses:
                self.check_clause_ref(ref, "glossary.yml", f"terms.{term_id}.clauses")

    def check_condition(self, cond: Condition | None, file: str, key: str,
                        asked: bool = True) -> None:
        """`asked`: the condition decides a route, so its facts must be askable."""
        if cond is None:
            return
        for leaf in cond.leaves():
            assert leaf.fact is not None
            fact = self.facts.get(leaf.fact)
            if fact is None:
                self.add(file, key, f"unknown fact {leaf.fact!r}")
                continue
            if asked and not fact.ask:
                self.add(file, key, f"fact {leaf.fact!r} is never asked (ask: false)")
            wanted = leaf.in_ or ([leaf.eq] if isinstance(leaf.eq, str) else [])
            for value in wanted:
                if fact.type == "enum" and value not in fact.values:
                    self.add(file, key, f"{value!r} is not a value of fact {leaf.fact!r}")
            if leaf.gte is not None and fact.type != "number":
                self.add(file, key, f"`gte` on non-number fact {leaf.fact!r}")
            if isinstance(leaf.eq, bool) and fact.type != "bool":
                self.add(file, key, f"boolean test on non-bool fact {leaf.fact!r}")
            self.check_clause_ref(leaf.clause, file, key)

    def check_implications(self) -> None:
        """An implied value must be valid for its fact and name facts that exist."""
        for name, fact in self.facts.items():
            for i, implication in enumerate(fact.implied_by):
                key = f"facts.{name}.implied_by.{i}"
                if coerce_fact(fact, implication.value) is None:
                    self.add("facts.yml", key, f"{implication.value!r} is not a value of {name!r}")
                self.check_condition(implication.when, "facts.yml", f"{key}.when", asked=False)

    def check_doc_types(self) -> None:
        file = "doc_types.yml"
        for missing in sorted(set(DOC_TYPE_IDS) - set(self.doc_types)):
            self.add(file, f"doc_types.{missing}", "missing (contract vocabulary)")
        for extra in sorted(set(self.doc_types) - set(DOC_TYPE_IDS)):
            self.add(file, f"doc_types.{extra}", "not in the contract's document vocabulary")
        for doc_id, doc_type in self.doc_types.items():
            for i, ev in enumerate(doc_type.evidence):
                key = f"doc_types.{doc_id}.evidence.{i}"
                self.check_clause_ref(ev.clause, file, key)
                if ev.source and not (SOURCES_DIR / ev.source).exists():
                    self.add(file, key, f"no source file {ev.source!r}")
            self.check_condition(doc_type.shows, file, f"doc_types.{doc_id}.shows",
                                 asked=False)
            bases = [("basis", doc_type.basis)] if doc_type.basis else []
            bases += [(f"basis_in.{p}", ref) for p, ref in doc_type.basis_in.items()]
            for province in set(doc_type.basis_in) - set(PROVINCES):
                self.add(file, f"doc_types.{doc_id}.basis_in.{province}",
                         f"unknown province (one of {', '.join(PROVINCES)})")
            named = {ev.ref for ev in doc_type.evidence}
            for name, ref in bases:
                key = f"doc_types.{doc_id}.{name}"
                if ref not in named:
                    self.add(file, key, f"{ref!r} is none of the document's evidence")
                if CLAUSE_REF.match(ref):
                    self.check_clause_ref(ref, file, key)
                else:
                    self.check_wording_key(("basis_labels", ref), file, key)

    def check_wording_parity(self) -> None:
        if len(self.wording) != len(LANGS):
            return
        keys: dict[str, set[str]] = {lang: set(_walk_keys(self.wording[lang])) for lang in LANGS}
        for lang in LANGS:
            other = "en" if lang == "zh" else "zh"
            for key in sorted(keys[other] - keys[lang]):
                self.add(f"wording/{lang}.yml", key, f"missing (present in {other}.yml)")

    def check_doc_short(self) -> None:
        for lang, data in self.wording.items():
            for doc_id in self.documents:
                if doc_id not in (data.get("doc_short") or {}):
                    self.add(f"wording/{lang}.yml", f"doc_short.{doc_id}",
                             "missing (every document needs a short name)")

    def check_wording_key(self, path: tuple[str, ...], file: str, key: str) -> None:
        for lang, data in self.wording.items():
            node: Any = data
            for part in path:
                if not isinstance(node, dict) or part not in node:
                    self.add(file, key, f"no wording {'.'.join(path)!r} in wording/{lang}.yml")
                    break
                node = node[part]

    def check_route(self, route: Route, topics: set[str], file: str, key: str) -> None:
        self.check_clause_ref(route.clause, file, f"{key}.clause")
        for lang in LANGS:
            for ref in getattr(route.also_cite, lang):
                self.check_clause_ref(ref, file, f"{key}.also_cite.{lang}")
        for i, cond in enumerate(route.requires):
            self.check_condition(cond, file, f"{key}.requires.{i}")
        for i, outcome in enumerate([*route.outcomes, route.otherwise]):
            okey = f"{key}.outcomes.{i}" if i < len(route.outcomes) else f"{key}.otherwise"
            self.check_condition(outcome.when, file, f"{okey}.when")
            if outcome.decided_by:
                self.check_office_ref(outcome.decided_by, file, f"{okey}.decided_by")
            if outcome.note:
                self.check_wording_key(("notes", outcome.note), file, f"{okey}.note")
        for fact in route.indicators:
            if fact not in self.facts:
                self.add(file, f"{key}.indicators", f"unknown fact {fact!r}")
        relation = self.facts.get("relation")
        for rel in route.family:
            if relation is None or rel not in relation.values:
                self.add(file, f"{key}.family", f"{rel!r} is not a value of fact 'relation'")
        for doc in route.documents:
            if doc not in self.doc_types:
                self.add(file, f"{key}.documents", f"unknown document type {doc!r}")
        self.check_clause_ref(route.checklist_basis, file, f"{key}.checklist_basis")
        for office in route.offices:
            self.check_office_ref(office, file, f"{key}.offices")
        for note in route.notes:
            self.check_wording_key(("notes", note), file, f"{key}.notes")
        if route.family_line:
            self.check_wording_key(("family_lines", route.family_line), file,
                                   f"{key}.family_line")
        if route.delegate and route.delegate not in topics:
            self.add(file, f"{key}.delegate", f"topic {route.delegate!r} has no routes here")

    def check_routes(self, province: str, data: ProvinceRoutes, places: Any) -> None:
        file = f"routes/{province}.yml"
        if data.province != province:
            self.add(file, "province", f"{data.province!r} does not match the file name")
        for topic in TOPICS if province != NATIONAL else ():
            if topic not in data.topics:
                self.add(file, f"topics.{topic}", "missing (every topic needs a route)")
        for i, pathway in enumerate(data.pathways):
            if pathway not in data.topics:
                self.add(file, f"pathways.{i}", f"topic {pathway!r} has no routes here")
        for topic, spec in data.topics.items():
            if topic not in TOPICS:
                self.add(file, f"topics.{topic}", "unknown topic")
                continue
            for i, redirect in enumerate(spec.redirect):
                key = f"topics.{topic}.redirect.{i}"
                self.check_condition(redirect.when, file, f"{key}.when", asked=False)
                if redirect.topic not in data.topics or topic in _redirect_reach(
                        data, redirect.topic, _equalities(redirect.when)):
                    self.add(file, f"{key}.topic", f"{redirect.topic!r} is not a topic to "
                             "redirect to (unknown, or redirecting back to this one)")
            ids = [r.id for r in spec.routes]
            for dup in sorted({i for i in ids if ids.count(i) > 1}):
                self.add(file, f"topics.{topic}.routes", f"route id {dup!r} used twice")
            for route in spec.routes:
                self.check_route(route, set(data.topics), file, f"topics.{topic}.routes.{route.id}")
            if province == NATIONAL and (len(spec.routes) != 1 or spec.routes[0].where):
                self.add(file, f"topics.{topic}.routes",
                         "a national topic has one route, for every place (no `where`)")
            elif places is not None:
                self.check_coverage(province, topic, spec.routes, places, file)
        self.check_headlines(province, data, file)

    def check_headlines(self, province: str, data: ProvinceRoutes, file: str) -> None:
        """`headlines.<province>.<route>.<verdict>` name a route of the province and a
        verdict sentence it can need (`not_eligible_plain`: a failure naming no condition)."""
        keys = {"eligible", "not_eligible", "not_eligible_plain", "conditional",
                "need_more_info", "info"}
        route_ids = {r.id for spec in data.topics.values() for r in spec.routes}
        for lang, words in self.wording.items():
            own = (words.get("headlines") or {}).get(province) or {}
            wfile = f"wording/{lang}.yml"
            for route_id, sentences in own.items():
                key = f"headlines.{province}.{route_id}"
                if route_id not in route_ids:
                    self.add(wfile, key, f"no route {route_id!r} in {file}")
                for verdict in sentences or {}:
                    if verdict not in keys:
                        self.add(wfile, f"{key}.{verdict}", "not a verdict sentence")

    def check_coverage(self, province: str, topic: str, routes: list[Route], places: Any,
                 file: str) -> None:
        """Every place of the province gets exactly one route of the topic."""
        for place in places.all():
            if place.province != province or place.kind == "province":
                continue
            hits = [r.id for r in routes if r.where is None or r.where.matches(place)]
            if len(hits) != 1:
                self.add(file, f"topics.{topic}",
                         f"place {place.id!r} (tier {place.tier}) matches {len(hits)} routes "
                         f"{hits}; exactly one expected")

    def check_places(self, places: Any) -> None:
        for place in places.all():
            if place.province in PROVINCES and place.kind != "province" and not place.tier:
                self.add(f"places/{place.province}.yml", place.id, "place has no tier")
