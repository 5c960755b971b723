"""Pydantic (v1) models of the policy data files.

Every model forbids unknown keys, so a misspelt key in a YAML file is an error that names
the file and the key instead of being silently ignored.
"""

from __future__ import annotations

import math
from datetime import date
from typing import Any, Literal, Protocol

from pydantic import BaseModel, root_validator, validator

Lang = Literal["zh", "en"]
LANGS: tuple[Lang, ...] = ("zh", "en")

TOPICS: tuple[str, ...] = (
    "settlement_eligibility",
    "required_documents",
    "hukou_type",
    "talent_settlement",
    "investment_settlement",
    "family_reunion",
    "points_settlement",
    "urban_to_rural",
    "return_hometown",
    "collective_household",
    "residence_permit",
    "public_services",
    "rural_rights",
    "online_services",
    "responsible_office",
    "policy_overview",
)

DOC_TYPE_IDS: tuple[str, ...] = (
    "id_card",
    "hukou_booklet",
    "photo",
    "property_certificate",
    "lease_contract",
    "labor_contract",
    "social_insurance_record",
    "business_license",
    "tax_certificate",
    "diploma",
    "qualification_certificate",
    "marriage_certificate",
    "birth_certificate",
    "kinship_proof",
    "residence_permit",
    "discharge_certificate",
    "homestead_certificate",
    "transfer_permit",
    "migration_certificate",
)

Verdict = Literal[
    "eligible", "not_eligible", "conditional", "need_more_info", "info", "not_covered"
]


class Strict(BaseModel):
    class Config:
        extra = "forbid"
        allow_mutation = False


class Localized(Strict):
    zh: str
    en: str

    @validator("zh", "en")
    def _not_blank(cls, v: str) -> str:
        if not v.strip():
            raise ValueError("must not be empty")
        return v

    def get(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


class LocalizedList(Strict):
    zh: list[str] = []
    en: list[str] = []


# --- documents.yml -------------------------------------------------------------------


class SourceFile(Strict):
    file: str
    lang: Lang
    kind: Literal["translation", "official", "press_report", "notes"]


class Document(Strict):
    title: Localized
    #: where the document applies: a province of routes/, or `national` (checked on load)
    jurisdiction: str
    number: str | None = None
    issuer: Localized
    issued_on: date | None = None
    published_before: date | None = None
    effective_from: date | None = None
    effective_to: date | None = None
    authentic_lang: Lang
    sources: list[SourceFile]
    last_verified_on: date
    notes: Localized | None = None

    @root_validator(skip_on_failure=True)
    def _dates(cls, values: dict[str, Any]) -> dict[str, Any]:
        start, end = values.get("effective_from"), values.get("effective_to")
        if start and end and end < start:
            raise ValueError(f"effective_to {end} is before effective_from {start}")
        return values

    def in_force(self, on: date) -> bool:
        """Unknown dates (null) do not take a document out of force."""
        if self.effective_from and on < self.effective_from:
            return False
        return not (self.effective_to and on > self.effective_to)


class DocumentsFile(Strict):
    documents: dict[str, Document]


# --- clauses/<doc>.yml ---------------------------------------------------------------


class ClauseText(Strict):
    text: str
    official: bool
    source: str | None = None
    translation_of: Lang | None = None

    @root_validator(skip_on_failure=True)
    def _translation_not_official(cls, values: dict[str, Any]) -> dict[str, Any]:
        if values.get("translation_of") and values.get("official"):
            raise ValueError("a translation (translation_of) cannot be official")
        if not values["text"].strip():
            raise ValueError("text must not be empty")
        return values


class Clause(Strict):
    title: Localized
    #: words of what the clause is about, for finding it by a question; never quoted
    subjects: Localized | None = None
    text: dict[Lang, ClauseText]
    topics: list[str] = []
    responsible: list[str] = []
    notes: Localized | None = None

    @validator("text")
    def _some_text(cls, v: dict[str, ClauseText]) -> dict[str, ClauseText]:
        if not v:
            raise ValueError("a clause needs its text in at least one language")
        return v


class ClausesFile(Strict):
    doc: str
    clauses: dict[str, Clause]

    @validator("clauses")
    def _numeric_ids(cls, v: dict[str, Clause]) -> dict[str, Clause]:
        for key in v:
            if not str(key).isdigit():
                raise ValueError(f"clause id {key!r} must be a number")
        return v


# --- glossary.yml --------------------------------------------------------------------


class Term(Strict):
    name: Localized
    aliases: LocalizedList = LocalizedList()
    topic: str
    definition: Localized
    clauses: list[str]


class GlossaryFile(Strict):
    terms: dict[str, Term]


# --- facts.yml -----------------------------------------------------------------------


TRUE_WORDS = frozenset({"true", "yes", "y", "1", "是", "有"})
FALSE_WORDS = frozenset({"false", "no", "n", "0", "否", "没有", "无"})


def coerce_fact(definition: FactDef, value: Any) -> Any:
    """`value` typed as facts.yml says, or None when it is not a valid value (then the fact
    counts as absent and is asked again, never guessed)."""
    if definition.type == "bool":
        if isinstance(value, bool):
            return value
        word = str(value).strip().lower()
        return True if word in TRUE_WORDS else False if word in FALSE_WORDS else None
    if definition.type == "number":
        if isinstance(value, bool):
            return None
        try:
            number = float(value)
        except (TypeError, ValueError):
            return None
        # (a number of years: never negative nor endless)
        if not math.isfinite(number) or number < 0:
            return None
        return int(number) if number.is_integer() else number
    if definition.type == "enum":
        return str(value) if str(value) in definition.values else None
    return str(value)


class FactImplication(Strict):
    value: Any
    when: Condition


class FactDef(Strict):
    type: Literal["bool", "number", "enum", "place"]
    values: list[str] = []
    label: Localized
    unit: Localized | None = None
    #: False for facts that only refine a checklist and are never asked for.
    ask: bool = True
    #: True for a fact of a place ("I live and work in Henan"): stated of another place than
    #: the one to settle in, it is none of that place's.
    of_place: bool = False
    #: Values this fact takes when it is not stated but follows from other facts: each entry
    #: is ``{value: V, when: CONDITION}`` (a condition as in routes). Only for implications that
    #: are true by logic ("has no job" -> "not employed in the province"), never by policy.
    implied_by: list[FactImplication] = []

    @root_validator(skip_on_failure=True)
    def _values_for_enum(cls, values: dict[str, Any]) -> dict[str, Any]:
        if values["type"] == "enum" and not values["values"]:
            raise ValueError("an enum fact needs `values`")
        if values["type"] != "enum" and values["values"]:
            raise ValueError("only enum facts have `values`")
        return values


class FactsFile(Strict):
    facts: dict[str, FactDef]


# --- offices.yml ---------------------------------------------------------------------


class Office(Strict):
    #: may contain `{city}`, filled with the place name of the answer
    name: Localized
    contact: Localized | None = None


class OfficesFile(Strict):
    offices: dict[str, Office]


# --- doc_types.yml -------------------------------------------------------------------


class Evidence(Strict):
    """A clause (`clause: juzhuzheng-2015/9`) or a graded section of a source file."""

    clause: str | None = None
    source: str | None = None
    section: str | None = None
    grade: Literal["A", "B", "C"] | None = None

    @root_validator(skip_on_failure=True)
    def _one_kind(cls, values: dict[str, Any]) -> dict[str, Any]:
        if bool(values.get("clause")) == bool(values.get("source")):
            raise ValueError("evidence is either a `clause` or a `source` (with section, grade)")
        if values.get("source") and not (values.get("section") and values.get("grade")):
            raise ValueError("a source evidence needs `section` and `grade`")
        return values

    @property
    def ref(self) -> str:
        """How a basis names this evidence: the clause, or `source §section (grade)`."""
        return self.clause or f"{self.source} §{self.section} ({self.grade})"


class Condition(Strict):
    """A test over facts. Leaves test one fact; `all`/`any`/`not` combine tests."""

    fact: str | None = None
    eq: bool | str | float | None = None
    in_: list[str] | None = None
    gte: float | None = None
    all: list[Condition] | None = None
    any: list[Condition] | None = None
    not_: Condition | None = None
    #: the clause this test comes from (required on leaves of routes)
    clause: str | None = None

    class Config:
        fields = {"in_": "in", "not_": "not"}
        smart_union = True  # keep `eq: urban` a string and `eq: true` a bool

    @root_validator(skip_on_failure=True)
    def _shape(cls, values: dict[str, Any]) -> dict[str, Any]:
        combos = [k for k in ("all", "any", "not_") if values.get(k) is not None]
        tests = [k for k in ("eq", "in_", "gte") if values.get(k) is not None]
        if values.get("fact"):
            if combos or len(tests) != 1:
                raise ValueError("a fact test needs exactly one of eq, in, gte")
        elif len(combos) != 1 or tests:
            raise ValueError("a condition is a fact test or exactly one of all, any, not")
        return values

    def leaves(self) -> list[Condition]:
        if self.fact:
            return [self]
        children = self.all or self.any or ([self.not_] if self.not_ else [])
        return [leaf for child in children for leaf in child.leaves()]


Condition.update_forward_refs()


class DocType(Strict):
    name: Localized
    proves: Literal[
        "identity",
        "residence",
        "employment",
        "insurance",
        "kinship",
        "business",
        "education",
        "qualification",
        "transfer",
        "veteran",
        "homestead",
    ]
    evidence: list[Evidence]
    #: the person's facts that make this document part of a checklist
    shows: Condition | None = None
    #: where the requirement comes from when no clause condition does (transfer papers)
    basis: str | None = None
    #: the basis in a province whose own sources name the document (overrides `basis` there)
    basis_in: dict[str, str] = {}

    @validator("evidence")
    def _not_grade_c_alone(cls, v: list[Evidence]) -> list[Evidence]:
        if not v:
            raise ValueError("a document type needs at least one evidence")
        if all(e.grade == "C" for e in v):
            raise ValueError("grade C evidence alone is not enough")
        return v


class DocTypesFile(Strict):
    doc_types: dict[str, DocType]


# --- routes/<province>.yml -----------------------------------------------------------


class Where(Strict):
    """The places a route applies to, by the tier of places/<province>.yml."""

    tier: list[str]

    def matches(self, place: PlaceLike) -> bool:
        return place.tier in self.tier


class Outcome(Strict):
    when: Condition | None = None
    verdict: Verdict
    #: office id of whoever decides a conditional outcome
    decided_by: str | None = None
    #: wording key under `notes`
    note: str | None = None


class Route(Strict):
    id: str
    #: places the route applies to; absent = the whole province
    where: Where | None = None
    clause: str | None = None
    also_cite: LocalizedList = LocalizedList()
    #: every requirement must hold; one that fails gives `otherwise`
    requires: list[Condition] = []
    #: after the requirements hold, the first outcome whose `when` holds decides
    outcomes: list[Outcome] = []
    otherwise: Outcome = Outcome(verdict="not_eligible")
    #: answer with another topic's evaluation (its verdict unless `verdict` is set)
    delegate: str | None = None
    #: delegate to the pathway the person is on (fact `pathway`, a topic of the province)
    #: instead: a documents question keeps the pathway it names
    follow_pathway: bool = False
    verdict: Verdict | None = None
    #: facts shown in the trace as indicators, never asked for
    indicators: list[str] = []
    #: relatives who may settle together with the person (values of fact `relation`; a
    #: relation given by the person is traced against them and may add kinship papers)
    family: list[str] = []
    #: wording key under `family_lines`: the sentence naming who may apply with the person
    family_line: str | None = None
    #: how the answer text quotes the cited clauses: `full` text, `titles` only, or titles
    #: with the clause's responsible units (`units`); the citations always hold full texts
    quote: Literal["full", "titles", "units"] = "full"
    documents: list[str] = []
    checklist_basis: str | None = None
    offices: list[str] = []
    #: also list the offices responsible for the cited clauses
    responsible_offices: bool = False
    notes: list[str] = []

    @root_validator(skip_on_failure=True)
    def _shape(cls, values: dict[str, Any]) -> dict[str, Any]:
        if values.get("delegate"):
            if values.get("requires") or values.get("outcomes"):
                raise ValueError("a delegating route has no requires/outcomes")
        elif not values.get("outcomes"):
            raise ValueError("a route needs `outcomes` (or `delegate`)")
        elif values["outcomes"][-1].when is not None:
            raise ValueError("the last outcome must have no `when` (the default)")
        return values

    def conditions(self) -> list[Condition]:
        """Every condition in evaluation order (requirements, then outcomes)."""
        conds = list(self.requires)
        conds += [o.when for o in self.outcomes if o.when is not None]
        return conds


class Redirect(Strict):
    """Facts that put a question under another topic's clause ("投靠我丈夫" with a move from
    an urban hukou to a village is governed by the clause on urban-to-rural moves)."""

    when: Condition
    topic: str


class Topic(Strict):
    #: checked in order before the routes; the first whose condition holds answers instead
    redirect: list[Redirect] = []
    routes: list[Route]


class ProvinceRoutes(Strict):
    province: str
    #: the topics whose routes admit a person to settle: a question about one of them is
    #: weighed against all of them (engine `_weigh`), first listed first when equal
    pathways: list[str] = []
    topics: dict[str, Topic]


class PlaceLike(Protocol):
    id: str
    zh: str
    en: str
    kind: str
    province: str | None
    parent: str | None
    tier: str | None


FactImplication.update_forward_refs()
