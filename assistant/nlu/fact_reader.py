"""`FactReader`: where the entities of a message become the typed facts of facts.md.

It runs after the entity extractor and the synonym mapper, on the message's words with its
mistyped key words corrected (`spelling`), and writes the message's `facts` (fact -> typed
value), which the actions read:
- each entity's value becomes the typed fact value (`facts.interpret`: true/false, a number
  of years, a canonical value, a place id), a yes/no fact read with a negation before it; an
  entity whose words cannot be read states no fact (never guessed) and stays as extracted;
- every fact the message states in a clause that asks nothing is read, also where the
  extractor left its keyword bare ("我在丹东打工三年了，厂里给上五险" states employment and
  social insurance whatever the intent; "社保要交几年" asks about a topic and states nothing);
  these entities carry this component's name as their extractor;
- of several places named, the one where the person wants to settle is the fact
  (`_one_place`);
- the settlement pathway the message names is added (entity `pathway`), and the kinds of
  question it asks are listed (`question_kinds`: documents, rules, the pathway named,
  another subject).
The extractor's own entities are never removed nor moved, so that its held-out evaluation
stays its own.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import TOKENS_NAMES
from rasa.shared.nlu.constants import (
    ENTITIES,
    ENTITY_ATTRIBUTE_END,
    ENTITY_ATTRIBUTE_START,
    ENTITY_ATTRIBUTE_TYPE,
    EXTRACTOR,
    INTENT,
    INTENT_NAME_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message

from assistant.parse_data import (
    FACTS,
    LANGUAGE,
    ORIGIN_PLACE,
    OTHER_SUBJECT_KIND,
    PATHWAY_KIND,
    QUESTION_KINDS,
    REPLY,
    TERM,
)
from policies import load_rules
from policies.engine import PLACE_FACTS

from .crf import bare_keywords, widened_to_keywords
from .facts import (
    a_lease,
    a_move_named,
    about_someone_else,
    asks,
    asks_of_another_subject,
    city_proper_named,
    clause_around,
    clause_start,
    county_town_named,
    described_after,
    fact_keywords,
    fact_pattern,
    heard_of,
    how_a_thing_works,
    interpret,
    interpret_entities,
    is_chinese,
    is_outside,
    is_question_clause,
    keyword_form,
    labels,
    moved_to,
    moving_there,
    moving_there_later,
    named_pathway,
    names_elsewhere,
    names_other_relative,
    names_right_there,
    negated_after,
    of_a_group,
    of_origin,
    origin_named_before,
    pathway_asked,
    place_role,
    premises_not_home,
    registered_there,
    registration_named,
    relatives_registration,
    said_of_a_relative,
    stated_together,
    stated_value,
    the_employers,
    unsure_of,
    village_of,
    wished_move_to,
)
from .numbers import parse_years
from .spelling import corrected, places_mistyped
from .tokenizer import segmenter

__all__ = ["FactReader", "language_asked", "read_facts", "read_message", "replies",
           "stated_facts", "term_asked"]

#: where the person moves (a village, a town): its words also name where a person comes from
MOVE_TO, RURAL = "move_to", "rural"
#: the person's relative, and whether their family settles with them
RELATION, FAMILY = "relation", "has_family"
ORIGIN_FACTS = frozenset({MOVE_TO})
#: facts often told of a relative ("my wife's hukou is in a village"), then not the person's
RELATIVES_FACTS = frozenset({"hukou_now"})
#: topics of a hukou that stays where it is: the place it is registered in is the place asked
#: about ("my hukou is in my company's collective household in Dongying")
STAYING_TOPICS = frozenset({"collective_household"})
#: the pathway of joining a relative where they are
JOINING = "family_reunion"
#: an entity's flag: read bare only because its clause names a place (fact_values.yml
#: `not_read_bare.read_beside_place`), so of no other place
BESIDE_PLACE = "beside_place"
#: marks an entity whose value is a typed fact value (not the words of an unreadable span)
TYPED = "typed"
#: marks an extracted entity that states none of the person's facts (`read_facts`): it stays
#: in the parse data as the extractor found it, so that the extractor's output (and its
#: held-out evaluation) is its own, and is read into no fact (only typed entities are)
NOT_THE_PERSONS = "not_the_persons"
#: marks an entity whose value the words around it deny ("I don't rent"): the message says
#: the fact is not that value, and so withdraws what an earlier message said of it
WITHDRAWN = "withdrawn"

#: entities that are no facts (the term asked about, the language asked for): they keep
#: the value they have and are not among the message's facts
KEPT_AS_IS = frozenset({"term", "lang"})


#: the words between two entities by which the second shares the first's negation
_SHARING = frozenset({"", "or", "nor"})


class _Statements:
    """Where the statement of a fact begins, for the facts of one message: its clause, or
    the end of the last entity of another fact before it in the clause, so that a negation
    before it counts ("没交过社保", "they don't pay any insurance") and one stating another
    fact does not. An entity right before it (only spaces or "or" between: "no job
    contract", "without a contract or social insurance") or of the same fact ("no office or
    premises") shares its negation."""

    def __init__(self, text: str, entities: list[dict[str, Any]]):
        self.text = text
        ordered = sorted(entities, key=lambda e: e[ENTITY_ATTRIBUTE_END])
        self.ends = [e[ENTITY_ATTRIBUTE_END] for e in ordered]
        self.types = [e[ENTITY_ATTRIBUTE_TYPE] for e in ordered]

    def start(self, start: int, fact: str, share_same: bool = True) -> int:
        """``share_same``: whether an entity of the same fact shares the negation (a yes/no
        fact); for a fact of several values each statement stands alone ("没买房也没租房")."""
        left = clause_start(self.text, start)
        index = bisect_right(self.ends, start) - 1
        while index >= 0 and self.ends[index] >= left:
            end = self.ends[index]
            if (not share_same or self.types[index] != fact) \
                    and self.text[end:start].strip().lower() not in _SHARING:
                return end
            index -= 1
        return left


def _typed(entity: dict[str, Any], text: str, statements: _Statements) -> Any:
    """The typed value of an extracted entity, read with the words before it in its
    statement, where a negation often is ("the boss never enrolled me in social insurance",
    "既没买房也没租房")."""
    name = entity[ENTITY_ATTRIBUTE_TYPE]
    if name in KEPT_AS_IS:
        return entity.get("value")
    if name == "city":
        county = _county_named(text, entity[ENTITY_ATTRIBUTE_START], entity[ENTITY_ATTRIBUTE_END])
        if county is not None:
            return county
    value = interpret_entities([entity], text).get(name)
    definition = load_rules().facts.get(name)
    start, end = entity[ENTITY_ATTRIBUTE_START], entity[ENTITY_ATTRIBUTE_END]
    if value is True and definition is not None and definition.type == "bool":
        wider = interpret(name, text[statements.start(start, name) : end])
        value = value if wider is None else wider
    elif value != "none" and definition is not None and definition.type == "enum":
        # a negation before a value leaves the fact unknown ("没租房": not rented, but which?),
        # and a span too short to read is read with its words before ("no [relatives]")
        value = interpret(name, text[statements.start(start, name, share_same=False) : end])
    return _negated_after(name, value, text, end)


def _denied(entity: dict[str, Any], text: str) -> bool:
    """Whether an entity names a value of a fact of several values that the words around it
    deny ("I don't rent", "既没买房也没租房"): its own words read as a value, but not with
    those around them (`_typed` gave none)."""
    definition = load_rules().facts.get(entity[ENTITY_ATTRIBUTE_TYPE])
    if definition is None or definition.type != "enum":
        return False
    own = interpret_entities([entity], text).get(entity[ENTITY_ATTRIBUTE_TYPE])
    return own is not None and own != "none"


def _county_named(text: str, start: int, end: int) -> str | None:
    """The county a place name is the name of with the 县 that follows it ("辽阳县城": the
    county of Liaoyang, not the city), when the extractor left the 县 out."""
    if not text.startswith("县", end):
        return None
    place = load_rules().places.resolve(text[start : end + 1])
    return place.id if place is not None and place.kind == "county" else None


def _negated_after(name: str, value: Any, text: str, end: int) -> Any:
    """The value read, with a Chinese negation after its words applied ("社保没交": false;
    "没买房" leaves which home unknown, and so does "买房没买成")."""
    definition = load_rules().facts.get(name)
    if definition is None or value in (None, False, "none") or not negated_after(text, end):
        return value
    if definition.type == "enum":
        return "none" if name in fact_keywords().denied_means_none else None
    return False if definition.type == "bool" else value


def _origin_only(entity: dict[str, Any], text: str, places: int,
                 topics: frozenset[str]) -> bool:
    """Whether an entity names where the person comes from: a village so named, or the only
    place named, as where their household registration is now (`registered_there`), unless
    the question is about the registration held there (`STAYING_TOPICS`); or a relative's
    hukou (`RELATIVES_FACTS`)."""
    start = entity[ENTITY_ATTRIBUTE_START]
    if entity[ENTITY_ATTRIBUTE_TYPE] == "city":
        return not topics & STAYING_TOPICS and _registered_only(text, start, places)
    if entity[ENTITY_ATTRIBUTE_TYPE] in RELATIVES_FACTS and said_of_a_relative(text, start):
        return True
    if entity[ENTITY_ATTRIBUTE_TYPE] not in ORIGIN_FACTS:
        return False
    # from the fact's own word on, whatever the span holds before it ("[in my home village]")
    words = fact_pattern(entity[ENTITY_ATTRIBUTE_TYPE])
    found = words.search(keyword_form(text), start, entity[ENTITY_ATTRIBUTE_END]) if words \
        else None
    return of_origin(text, found.start() if found else start) or (
        found is not None and described_after(text, found.end()))


def _registered_only(text: str, start: int, places: int) -> bool:
    """Whether the place named at ``start``, one of ``places`` named, is only where the
    person's hukou is now: the only place, so named (`registered_there`)."""
    return places == 1 and registered_there(text, start)


def read_facts(
    entities: list[dict[str, Any]], text: str, tokens: set[tuple[int, int]],
    topics: frozenset[str] = frozenset(),
) -> list[dict[str, Any]]:
    """The entities of ``text``, each typed (`TYPED`) where its words can be read and left as
    extracted where not, and the facts that the bare keywords of its statement clauses state
    added (except those fact_values.yml `not_read_bare` lists). An entity that is one of its
    `keywords` alone is none of the person's (`NOT_THE_PERSONS`), as is a village named as
    where the person comes from and a fact named in a question about the rules, told as
    hearsay or as not known, the employer's, or a home that is business premises. A message
    about one of `topics` also reads the facts `read_in_topics` names for it."""
    form = keyword_form(text)
    starts = {start for start, _ in tokens}
    ends = {end for _, end in tokens}
    statements = _Statements(text, entities)
    keywords = fact_keywords()
    never_words = keywords.not_read_bare[1]
    never_facts = {fact for fact in keywords.not_read_bare[0]
                   if not topics & keywords.read_in_topics.get(fact, frozenset())}
    read: list[dict[str, Any]] = []
    general = about_someone_else(text)
    group = of_a_group(text)
    places = len({e.get("value") for e in entities if e[ENTITY_ATTRIBUTE_TYPE] == "city"})
    for entity in entities:
        start, end = entity[ENTITY_ATTRIBUTE_START], entity[ENTITY_ATTRIBUTE_END]
        # a word that often names another person ("老板不给交保险") states nothing alone, nor
        # does a village named as where the person comes from ("I'm from a village"), nor a
        # fact in a question about people in general (`about_someone_else`): such an entity
        # stays as extracted, marked, and states no fact
        fact = entity[ENTITY_ATTRIBUTE_TYPE]
        if form[start:end] in never_words or _origin_only(entity, text, places, topics) or (
                fact not in (*PLACE_FACTS, *KEPT_AS_IS)
                and ((general and is_question_clause(text, start, end))
                     or _not_the_persons(fact, text, start, end))):
            read.append({**entity, NOT_THE_PERSONS: True})
            continue
        value = _typed(entity, text, statements)
        if value is None and _denied(entity, text):
            read.append({**entity, WITHDRAWN: True})
            continue
        read.append(entity if value is None else {**entity, "value": value, TYPED: True})
    read += [_read_entity("move_to", *span, "urban") for e in read
             if e[ENTITY_ATTRIBUTE_TYPE] == "city" and e.get(TYPED)
             and (span := county_town_named(text, e[ENTITY_ATTRIBUTE_START],
                                            e[ENTITY_ATTRIBUTE_END])) is not None
             and not origin_named_before(text, e[ENTITY_ATTRIBUTE_START])
             and not registered_there(text, e[ENTITY_ATTRIBUTE_START])]
    # an entity whose words state no fact hides no keyword ("no" tagged as a residence
    # leaves "no relatives" to be read)
    bare = bare_keywords(form, [e for e in read if e.get(TYPED)],
                         lambda spans: [(a, b) for a, b in spans if a in starts and b in ends])
    for start, end, fact in bare:
        # (a move to the countryside the person asks about or wants is theirs: "户口迁到村里
        # 行吗", "想把户口迁到凤城农村爷爷奶奶家，行不", "I'd like to put my hukou back in my
        # family's village")
        moving = fact == MOVE_TO and not general and not group and (
            a_move_named(form[start:end])
            or ((moving_there(form, start) or wished_move_to(form, start)
                 or moving_there_later(form, end))
                and not origin_named_before(form, start)))
        # (so is the relative named in a question about joining one, when no statement
        # named one: "can my daughter be added?", "can I join my parents in Dalian?"; not
        # "我老公在丹东上班，我和孩子能把户口迁过去不", where the child moves with the person)
        joined = fact == RELATION and JOINING in topics and not general and not any(
            e[ENTITY_ATTRIBUTE_TYPE] == RELATION and e.get(TYPED) for e in read)
        if form[start:end] in never_words or (is_question_clause(text, start, end)
                                              and not moving and not joined) \
                or _not_the_persons(fact, text, start, end):
            continue
        # (each statement of a fact of several values stands alone: "I don't own anything
        # there - I rent")
        definition = load_rules().facts.get(fact)
        shared = definition is None or definition.type != "enum"
        value = _negated_after(
            fact, interpret(fact, text[statements.start(start, fact, shared) : end]), text, end)
        read_here = topics & keywords.read_in_topics.get(f"{fact}={value}", frozenset())
        # (a relative named in a clause naming a place is one there: "俺儿在烟台莱山区上班")
        beside = fact in keywords.read_beside_place and bool(_places_in_clause(
            start, [e for e in read if e[ENTITY_ATTRIBUTE_TYPE] == "city" and e.get(TYPED)],
            text))
        if value is not None and (fact not in never_facts or value in ("none", False)
                                  or read_here or beside or (moving and value == RURAL)):
            entity = _read_entity(fact, start, end, value)
            read.append({**entity, BESIDE_PLACE: True} if beside else entity)
    if RELATION not in never_facts:
        read += _relatives_with(read, text)
    return sorted(read, key=lambda entity: entity[ENTITY_ATTRIBUTE_START])


def _relatives_with(read: list[dict[str, Any]], text: str) -> list[dict[str, Any]]:
    """The relative that the words of the person's family name ("settle there together with
    my wife": a spouse), when no relative is read yet: the family's words hide the
    relative's from the bare keywords. (Read here, not by letting `bare_keywords` look into
    other facts' entities: the extractor's keyword completion shares it, and its held-out
    evaluation would change.)"""
    if any(e[ENTITY_ATTRIBUTE_TYPE] == RELATION and e.get(TYPED) for e in read):
        return []
    for entity in read:
        if entity[ENTITY_ATTRIBUTE_TYPE] == FAMILY and entity.get(TYPED) and entity["value"]:
            start, end = entity[ENTITY_ATTRIBUTE_START], entity[ENTITY_ATTRIBUTE_END]
            relative = interpret(RELATION, text[start:end])
            if relative not in (None, "none"):
                return [_read_entity(RELATION, start, end, relative)]
    return []


def _not_the_persons(fact: str, text: str, start: int, end: int) -> bool:
    """Whether ``fact`` named at ``text[start:end]`` is said of no fact of the person's: as
    what they heard or do not know, or as their employer's premises, or a home that is
    premises no one lives in, or as how a thing works."""
    return heard_of(text, start) or unsure_of(text, start, end) \
        or the_employers(fact, text, start, end) or premises_not_home(fact, text, start, end) \
        or how_a_thing_works(fact, text, start, end)


def stated_facts(entities: list[dict[str, Any]], text: str,
                 topics: frozenset[str] = frozenset()) -> dict[str, Any]:
    """The facts the read entities state, one value each: a later statement of a fact
    replaces an earlier one, and of several places the one to settle in (`_one_place`),
    which is `ORIGIN_PLACE` instead of `city` when it is only where someone is. A
    fact whose every statement is denied (`WITHDRAWN`) is None: no longer known. A fact of
    a place (facts.yml `of_place`) stated of another place is none of the place to settle
    in, and may say what holds there (`_not_here`). A message about joining a relative (of
    the family reunion pathway among its ``topics``, or naming it) goes where the relative is."""
    facts: dict[str, Any] = {e[ENTITY_ATTRIBUTE_TYPE]: None for e in entities if e.get(WITHDRAWN)}
    typed = _short_forms_resolved([e for e in entities if e.get(TYPED)], text)
    # where a relative is, is where the person goes to join them ("my parents live in Linyi
    # … im in shanghai. can i put my hukou with them?", "俺闺女在淄博买了房…想去闺女那住")
    # (not a message saying there is no relative to join: "那边没亲戚，老伴孩子都在沈阳")
    joining = any(e[ENTITY_ATTRIBUTE_TYPE] == "pathway" and e["value"] == JOINING
                  for e in entities) or (JOINING in topics and not any(
                      e[ENTITY_ATTRIBUTE_TYPE] == RELATION and e["value"] == "none"
                      for e in typed))
    kept = _one_place(typed, text, joining)
    destination = next((str(e["value"]) for e in kept if e[ENTITY_ATTRIBUTE_TYPE] == "city"),
                       None)
    places = [e for e in typed if e[ENTITY_ATTRIBUTE_TYPE] == "city"]
    statements = _Statements(text, kept)
    elsewhere: set[str] = set()
    for entity in kept:
        if entity[ENTITY_ATTRIBUTE_TYPE] in KEPT_AS_IS:
            continue
        if _relative_elsewhere(entity, places, destination, text) \
                or _relative_at_a_place_besides_none(entity, kept, places, text):
            continue
        if entity["value"] is False and a_lease(entity[ENTITY_ATTRIBUTE_TYPE], text,
                                                 entity[ENTITY_ATTRIBUTE_START],
                                                 entity[ENTITY_ATTRIBUTE_END]):
            continue
        if _of_another_place(entity, places, destination, text, statements):
            if entity["value"] is True:
                elsewhere.add(entity[ENTITY_ATTRIBUTE_TYPE])
            continue
        facts[entity[ENTITY_ATTRIBUTE_TYPE]] = entity["value"]
    # a job at a place of the province is one in the province, which the exception for this
    # year's graduates asks ("今年大学毕业，已经在沈阳上班了，想把户口迁到凤城农村")
    if facts.get("graduate_this_year") and any(
            e[ENTITY_ATTRIBUTE_TYPE] == "employment" and e["value"] is True
           and _in_the_province_of(e, places, destination, text) for e in kept):
        facts.setdefault("employed_in_province", True)
    for fact, value in _not_here(elsewhere).items():
        facts.setdefault(fact, value)
    chosen = next((e for e in kept if e[ENTITY_ATTRIBUTE_TYPE] == "city"), None)
    # (a place left after one said not to be meant is meant: "the company is actually
    # registered in Beizhen, not Jinzhou city")
    if chosen is not None and _where_someone_is(chosen, text, joining,
                                                facts.get(MOVE_TO) == RURAL) \
            and not any(_role(e, text) == "not" for e in places):
        facts[ORIGIN_PLACE] = facts.pop("city")
        # and so is the province it is in ("btw my hometown is Heze in Shandong")
        if facts.get("province") in _ancestors(str(chosen["value"])):
            facts.pop("province")
    return facts


def _where_someone_is(entity: dict[str, Any], text: str, joining: bool = False,
                      rural_move: bool = False) -> bool:
    """Whether a place is named only as where the person comes from ("btw my hometown is
    Heze", "I'm from Jilin", "i moved from Beijing 2 yrs ago"), where someone is in a
    village ("she's in a village in Yinan county now") or where a relative is ("my parents
    live in Dalian city btw"): no place the person wants to settle in. Where a hukou is
    registered is not meant: `_origin_only` has dropped the person's own (but for the
    registration asked about), and a relative's is a place to join, as is where a relative
    is, in a village too, when the person asks to join them (``joining``), and a village the
    person moves to (``rural_move``: "I bought a farmhouse in a village in Yi County and
    want to move my hukou there")."""
    start, end = entity[ENTITY_ATTRIBUTE_START], entity[ENTITY_ATTRIBUTE_END]
    if registered_there(text, start) or relatives_registration(text, start):
        return False
    return _role(entity, text) == "origin" or (not joining and (
        (not rural_move and village_of(text, start, end))
        or _where_a_relative_is(entity, text)))


def _where_a_relative_is(entity: dict[str, Any], text: str) -> bool:
    """Whether a place is named as where a relative is ("my parents live in Dalian city",
    "my folks are back in Linyi")."""
    start = entity[ENTITY_ATTRIBUTE_START]
    return said_of_a_relative(text, start) and of_origin(text, start)


def _not_here(elsewhere: set[str]) -> dict[str, bool]:
    """What the facts stated true of another place say of the place to settle in: whoever
    lives there (or has a home there) does not live here, nor work here if they work there
    too ("I live and work in Beijing, … could I register my hukou in Weihai?"; a job
    elsewhere alone may be a past one, "我原来在苏州打工"); a hukou registered in a collective
    household there is in none here ("户口还在江苏那边的集体户")."""
    said: dict[str, bool] = {}
    if elsewhere & {"lives_there", "residence"}:
        said["lives_there"] = False
        if "employment" in elsewhere:
            said["employment"] = False
    if "collective_household" in elsewhere:
        said["collective_household"] = False
    return said


def _of_another_place(entity: dict[str, Any], places: list[dict[str, Any]],
                      destination: str | None, text: str, statements: _Statements) -> bool:
    """Whether a fact of a place is stated in a clause that names only places other than
    ``destination`` and the places above or below it ("I live and work in Henan, but want
    my hukou in Weihai"), unless the words of its statement speak of the place to settle in
    ("work there"), or in words of its own statement that speak of another place left
    unnamed ("孩子他爸在外地打工", "I work in another city")."""
    definition = load_rules().facts.get(entity[ENTITY_ATTRIBUTE_TYPE])
    if definition is None or not definition.of_place:
        return False
    words = _statement_words(entity, text, statements)
    if names_elsewhere(words):
        return True
    # ("work there 2 yrs hukou in henan": there is the place to settle in)
    return not names_right_there(words) \
        and _clause_of_another_place(entity, places, destination, text)


def _relative_elsewhere(entity: dict[str, Any], places: list[dict[str, Any]],
                        destination: str | None, text: str) -> bool:
    """Whether a relative named (or a fact read beside a place) is away from the place to
    settle in, where no one joins them: a relative at a place left unnamed ("孩子他爸在外地
    打工"), or, read only because a place is named beside it (`BESIDE_PLACE`), at another
    place ("my folks are back in Linyi"); not one only registered there, who may move here
    ("my son's hukou is still in Hebei", "媳妇户口还在外地")."""
    start, end = entity[ENTITY_ATTRIBUTE_START], entity[ENTITY_ATTRIBUTE_END]
    if registration_named(text, start, end):
        return False
    return (entity[ENTITY_ATTRIBUTE_TYPE] == "relation"
            and names_elsewhere(clause_around(text, start, end))) or (
        bool(entity.get(BESIDE_PLACE))
        and _clause_of_another_place(entity, places, destination, text))


def _relative_at_a_place_besides_none(entity: dict[str, Any], kept: list[dict[str, Any]],
                                      places: list[dict[str, Any]], text: str) -> bool:
    """Whether a relative named at a place is none to join, because the message says there
    is none where the person goes ("那边没亲戚，老伴孩子都在沈阳")."""
    return (entity[ENTITY_ATTRIBUTE_TYPE] == RELATION and entity["value"] != "none"
            and any(e[ENTITY_ATTRIBUTE_TYPE] == RELATION and e["value"] == "none"
                    for e in kept)
            and bool(_places_in_clause(entity[ENTITY_ATTRIBUTE_START], places, text)))


def _places_in_clause(start: int, places: list[dict[str, Any]], text: str) -> list[str]:
    """The places of ``places`` named in the clause of ``text[start]``."""
    clause = clause_start(text, start)
    return [str(p["value"]) for p in places
            if clause_start(text, p[ENTITY_ATTRIBUTE_START]) == clause]


def _clause_of_another_place(entity: dict[str, Any], places: list[dict[str, Any]],
                             destination: str | None, text: str) -> bool:
    """Whether the clause of an entity names places, none of them ``destination`` or a
    place above or below it; a place named before the entity as where the person comes
    from, not as where their hukou is, is none where it holds ("I commute in every day from
    Haiyang to work at a food factory", "每天从海阳过来上班")."""
    if destination is None:
        return False
    start = entity[ENTITY_ATTRIBUTE_START]
    named = set(_places_in_clause(start, [
        p for p in places
        if not (p[ENTITY_ATTRIBUTE_END] <= start and _role(p, text) == "origin"
                and not registered_there(text, p[ENTITY_ATTRIBUTE_START]))], text))
    related = {destination, *_ancestors(destination)}
    return bool(named) and not any(
        place in related or destination in _ancestors(place) for place in named)


#: the three words after an English fact's words, where the place it is stated of is named
#: ("work in another city")
_WORDS_AFTER = re.compile(r"^\W*(?:\w+\W+){0,2}\w+")


def _statement_words(entity: dict[str, Any], text: str, statements: _Statements) -> str:
    """The words of the statement of a fact that name where it holds: in Chinese those
    before its words since its statement begins (`_Statements`: "孩子他爸在外地打工"), in
    English the three words after them in its clause ("I work in another city")."""
    start, end = entity[ENTITY_ATTRIBUTE_START], entity[ENTITY_ATTRIBUTE_END]
    if is_chinese(text[start:end]):
        return text[statements.start(start, entity[ENTITY_ATTRIBUTE_TYPE], False) : end]
    after = _WORDS_AFTER.match(clause_around(text, end, end)[end - clause_start(text, end):])
    return text[start:end] + (after.group(0) if after else "")


def _in_the_province_of(entity: dict[str, Any], places: list[dict[str, Any]],
                        destination: str | None, text: str) -> bool:
    """Whether the places named in the clause of an entity lie in the province of
    ``destination``."""
    province = _province_of(destination)
    named = _places_in_clause(entity[ENTITY_ATTRIBUTE_START], places, text)
    return province is not None and bool(named) and all(
        _province_of(place) == province for place in named)


def _province_of(place_id: str | None) -> str | None:
    """The province of a place of the two provinces (the place data's `province`)."""
    place = load_rules().places.get(place_id) if place_id is not None else None
    return place.province if place is not None else None


def _ancestors(place_id: str) -> list[str]:
    places = load_rules().places
    place = places.get(place_id)
    return places.ancestors(place) if place is not None else []


def _role(entity: dict[str, Any], text: str) -> str | None:
    """`place_role` of a place mention; `origin` also when its clause names it as where the
    person's hukou is now ("my hukou is in a village in Yishui county"), but not where a
    relative's is ("我老伴户口在沈阳") nor where the person moves back to."""
    start = entity[ENTITY_ATTRIBUTE_START]
    role = place_role(text, start, entity[ENTITY_ATTRIBUTE_END])
    if role == "origin" and relatives_registration(text, start):
        return None  # where a relative is registered, whom the person may join
    if role == "origin" and moved_to(text, start) and not origin_named_before(text, start):
        return None  # a move back to where the person comes from ("迁回铁岭县老家村里")
    return role or ("origin" if registered_there(text, start) else None)


def _one_place(entities: list[dict[str, Any]], text: str,
               joining: bool = False) -> list[dict[str, Any]]:
    """The entities with one city: where the person wants to settle (places named again
    by a short form already resolved: `_short_forms_resolved`).

    With several places named, a place said not to be meant ("不是鞍山") or to be where the
    person comes from ("庄河是我老家", "from Hebei") or where a relative is ("my folks are
    back in Linyi") gives way to the others (but when the person asks to join a relative,
    ``joining``, where a relative is wins over other places of the two provinces), and so
    does a place above another one named (a county-level city named with its prefecture:
    the county-level city decides; but when a move to the prefecture's own urban districts
    is named, "想落大连市里", they do), and unless
    the person moves to a village, a place named as where someone is in a village
    (`village_of`); of those left, the last named.
    """
    cities = [e for e in entities if e[ENTITY_ATTRIBUTE_TYPE] == "city"]
    if len(cities) < 2:
        return entities
    rural_move = any(e[ENTITY_ATTRIBUTE_TYPE] == "move_to" and e["value"] == "rural"
                     for e in entities)
    left = [e for e in cities if _role(e, text) != "not"] or cities
    left = [e for e in left if _role(e, text) != "origin"] or left
    # a place in the two provinces over one outside them ("我是河南人，在阜新工作"), unless
    # the other is said not to be meant ("I rent in Xuzhou in Jiangsu, not Tengzhou") or to
    # be where the person comes from ("老家铁岭的，现在在长春上班"); and so over where the
    # person is now the place of the relatives they would join ("my parents live in Linyi
    # city, im in shanghai. can i put my hukou with them?")
    left = [e for e in left if not is_outside(str(e["value"]))] or left
    left = [e for e in left if joining or not _where_a_relative_is(e, text)] or left
    if joining:
        # the place of the relative joined, when one is named as theirs
        left = [e for e in left if said_of_a_relative(text, e[ENTITY_ATTRIBUTE_START])] or left
    # a village where someone is, unless the move is to a village ("I live in a village in
    # Feicheng. Can I move my hukou to hers in Tai'an?")
    if not rural_move:
        left = [e for e in left if not village_of(text, e[ENTITY_ATTRIBUTE_START],
                                                  e[ENTITY_ATTRIBUTE_END])] or left
    proper = {str(e["value"]) for e in left if city_proper_named(text, e[ENTITY_ATTRIBUTE_END])
              and wished_move_to(text, e[ENTITY_ATTRIBUTE_START])}
    if proper:
        left = [e for e in left if not proper & set(_ancestors(str(e["value"])))] or left
    above = set().union(*(_ancestors(str(e["value"])) for e in left))
    left = [e for e in left if str(e["value"]) not in above] or left
    chosen = left[-1]
    return [e for e in entities if e[ENTITY_ATTRIBUTE_TYPE] != "city" or e is chosen]


def _short_forms_resolved(entities: list[dict[str, Any]], text: str) -> list[dict[str, Any]]:
    """The entities with a place named again by words of an earlier mention of another
    place read as that place ("我在北京朝阳区上班，能把户口落到朝阳吗": Beijing's Chaoyang
    district, not Liaoning's Chaoyang)."""
    resolved: list[dict[str, Any]] = []
    earlier: list[dict[str, Any]] = []
    for entity in entities:
        if entity[ENTITY_ATTRIBUTE_TYPE] == "city":
            words = text[entity[ENTITY_ATTRIBUTE_START] : entity[ENTITY_ATTRIBUTE_END]].lower()
            named = next((e for e in reversed(earlier) if e["value"] != entity["value"] and words
                          in text[e[ENTITY_ATTRIBUTE_START] : e[ENTITY_ATTRIBUTE_END]].lower()),
                         None)
            entity = entity if named is None else {**entity, "value": named["value"]}
            earlier.append(entity)
        resolved.append(entity)
    return resolved


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False
)
class FactReader(GraphComponent):
    """Reads the typed facts of a message (see the module docstring)."""

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> FactReader:
        return cls()

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            tokens = message.get(TOKENS_NAMES[TEXT]) or []
            entities, facts, kinds = read_message(
                text, message.get(ENTITIES) or [], {(t.start, t.end) for t in tokens},
                (message.get(INTENT) or {}).get(INTENT_NAME_KEY),
            )
            message.set(ENTITIES, entities, add_to_output=True)
            message.set(FACTS, facts, add_to_output=True)
            message.set(QUESTION_KINDS, kinds, add_to_output=True)
            message.set(REPLY, replies(text), add_to_output=True)
            message.set(TERM, term_asked(text, entities), add_to_output=True)
            message.set(LANGUAGE, language_asked(entities), add_to_output=True)
        return messages


def term_asked(text: str, entities: list[dict[str, Any]]) -> str | None:
    """The glossary id of the term a message asks about, read from the words typed: the
    `term` entity's span (never its value), else the whole message."""
    for entity in entities:
        if entity[ENTITY_ATTRIBUTE_TYPE] == "term":
            term = interpret("term", text[entity[ENTITY_ATTRIBUTE_START]
                                          : entity[ENTITY_ATTRIBUTE_END]])
            if term is not None:
                return str(term)
    term = interpret("term", text)
    return term if isinstance(term, str) else None


def language_asked(entities: list[dict[str, Any]]) -> str | None:
    """The reply language a message asks for (its `lang` entity read), or None."""
    asked = interpret_entities([e for e in entities if e[ENTITY_ATTRIBUTE_TYPE] == "lang"])
    language = asked.get("lang")
    return language if isinstance(language, str) else None


def replies(text: str) -> dict[str, Any]:
    """What a message would answer to a question about each fact, for the actions, which know
    the question they asked last: a bare duration in years (`years`: "两年", "2"), and the value
    that the words of each yes/no or several-valued fact state in it (`values`: "社保交了" →
    social_insurance true). There the fact's words state it about the person answering, which
    the same words inside a question need not do: so these are not `facts`."""
    values = {name: value for name, fact in load_rules().facts.items()
              if fact.type in ("bool", "enum") and (value := stated_value(name, text)) is not None}
    years = parse_years(text)
    return {"values": values, **({"years": years} if years is not None else {})}


def read_message(
    text: str, entities: list[dict[str, Any]], tokens: set[tuple[int, int]],
    intent: str | None = None,
) -> tuple[list[dict[str, Any]], dict[str, Any], list[str]]:
    """The entities of a message (typed where readable, with the facts its bare keywords
    state and the pathway it names), the facts they state, and the kinds of question it
    asks; read from its words with mistyped key words corrected (`spelling`); offsets stay
    those of ``text``. `intent`: the message's intent, when classified (with the pathway
    named, the topics the message is about)."""
    fixed, origin = corrected(text)
    if fixed != text:
        tokens = {(t.start, t.end) for t in segmenter().split(fixed)}
        entities = _reworded(entities, text, fixed, origin, tokens)
    pathway = named_pathway(fixed)
    topics = frozenset(t for t in (pathway, intent) if t is not None)
    entities = sorted(entities + _places_missed(fixed, entities),
                      key=lambda e: e[ENTITY_ATTRIBUTE_START])
    read = read_facts(entities, fixed, tokens, topics)
    read = sorted(read + _mistyped_places(fixed, read), key=lambda e: e[ENTITY_ATTRIBUTE_START])
    read = _ambiguous_resolved(read, fixed)
    read = sorted(read + _together(fixed, read), key=lambda e: e[ENTITY_ATTRIBUTE_START])
    if pathway is not None:
        read.append(_read_entity("pathway", 0, len(fixed), pathway))
    facts = stated_facts(read, fixed, topics)
    # a move to the countryside to another relative or a friend joins none of the three
    # refuges of Liaoning (11) ("想把户口迁到凤城农村爷爷奶奶家", "wanna move my hukou to my
    # girlfriend's family village")
    if RELATION not in facts and names_other_relative(fixed) and (
            facts.get(MOVE_TO) == RURAL or topics & fact_keywords().rural_move_topics):
        facts[RELATION] = "other"
    if pathway in STAYING_TOPICS and facts.get(pathway) is False:
        # the collective household named is another place's ("户口还在江苏那边的集体户")
        facts.pop("pathway", None)
    if fixed != text:
        read = [_moved(e, lambda i: origin[i]) for e in read]
    kinds = [kind for kind in fact_keywords().question_kinds if asks(kind, fixed)]
    if "pathway" in facts and pathway_asked(fixed, str(facts["pathway"])):
        kinds.append(PATHWAY_KIND)
    if asks_of_another_subject(fixed):
        kinds.append(OTHER_SUBJECT_KIND)
    kinds += labels(fixed)
    return read, facts, kinds


def _together(text: str, read: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The facts stated by words apart in a clause (`stated_together`) that no entity read
    states, as read entities."""
    stated = {e[ENTITY_ATTRIBUTE_TYPE] for e in read if e.get(TYPED)}
    return [_read_entity(fact, start, end, value)
            for start, end, fact, value in stated_together(text) if fact not in stated]


def _places_missed(text: str, entities: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The places named in so many words that the extractor did not see ("退伍军人回山东老家
    农村创业"), as extracted entities: a place's name is a fact of the place data, not a guess."""
    seen = [e for e in entities if e[ENTITY_ATTRIBUTE_TYPE] in PLACE_FACTS]
    return [{ENTITY_ATTRIBUTE_TYPE: "city", ENTITY_ATTRIBUTE_START: m.start,
             ENTITY_ATTRIBUTE_END: m.end, "value": m.text, EXTRACTOR: FactReader.__name__}
            for m in load_rules().places.mentions(text)
            if m.place is not None and not _overlaps(m.start, m.end, seen)]


def _mistyped_places(text: str, read: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The places named with a letter dropped or added ("shenyng"), which the extractor did
    not see, as read entities, beside the places it saw ("renting in Haichen (Anshan)"); none
    named only as where the hukou is now. (An extracted place whose words name no place,
    "qindao city" read as "city", is none: only a typed place covers the words.)"""
    seen = [e for e in read if e[ENTITY_ATTRIBUTE_TYPE] == "city" and e.get(TYPED)]
    found = [(start, end, place) for start, end, place in places_mistyped(text)
             if not _overlaps(start, end, seen)]
    places = len(found) + len(seen)
    return [_read_entity("city", start, end, place)
            for start, end, place in found if not _registered_only(text, start, places)]


def _ambiguous_resolved(read: list[dict[str, Any]], text: str) -> list[dict[str, Any]]:
    """The entities with an ambiguous place name (places/*.yml `ambiguous`: "Donggang" is
    东港市 of Dandong or 东港区 of Rizhao) read as the one of its places that lies in another
    place the message names ("i rent in Donggang (the one in Dandong)"); a name no other place
    settles stays unread, and the assistant asks which place is meant."""
    named = {str(e["value"]) for e in read if e[ENTITY_ATTRIBUTE_TYPE] == "city" and e.get(TYPED)}
    places = load_rules().places
    resolved = []
    for entity in read:
        if entity[ENTITY_ATTRIBUTE_TYPE] == "city" and named and not entity.get(TYPED) \
                and not entity.get(NOT_THE_PERSONS):
            words = text[entity[ENTITY_ATTRIBUTE_START] : entity[ENTITY_ATTRIBUTE_END]]
            candidates = {c.id for m in places.mentions(words) for c in m.candidates}
            inside = [c for c in sorted(candidates) if named & set(_ancestors(c))]
            if len(inside) == 1:
                entity = {**entity, "value": inside[0], TYPED: True}
        resolved.append(entity)
    return resolved


def _overlaps(start: int, end: int, entities: list[dict[str, Any]]) -> bool:
    """Whether ``text[start:end]`` shares a character with the words of one of ``entities``."""
    return any(start < e[ENTITY_ATTRIBUTE_END] and e[ENTITY_ATTRIBUTE_START] < end
               for e in entities)


def _read_entity(fact: str, start: int, end: int, value: Any) -> dict[str, Any]:
    """An entity this reader adds: a typed fact of ``text[start:end]``."""
    return {ENTITY_ATTRIBUTE_TYPE: fact, ENTITY_ATTRIBUTE_START: start,
            ENTITY_ATTRIBUTE_END: end, "value": value, TYPED: True,
            EXTRACTOR: FactReader.__name__}


def _reworded(entities: list[dict[str, Any]], text: str, fixed: str, origin: list[int],
              tokens: set[tuple[int, int]]) -> list[dict[str, Any]]:
    """The extracted entities moved to the corrected text (``fixed``, whose character i
    stands for ``text[origin[i]]``, with ``tokens``); one valued with its words is valued
    with the corrected words, widened to the keywords of its fact they cover part of as the
    extractor widens the words it reads ("vocationl high school", tagged "high school", is
    read as "vocational high school"); its span stays the extractor's. A place keeps its
    value: a place's name is no mistyped key word."""
    moved = [_moved(e, lambda i: bisect_left(origin, i)) for e in entities]
    wide = widened_to_keywords(moved, fixed, tokens)
    return [m if e[ENTITY_ATTRIBUTE_TYPE] in PLACE_FACTS
            or e.get("value") != text[e[ENTITY_ATTRIBUTE_START] : e[ENTITY_ATTRIBUTE_END]]
            else {**m, "value": fixed[w[ENTITY_ATTRIBUTE_START] : w[ENTITY_ATTRIBUTE_END]]}
            for e, m, w in zip(entities, moved, wide, strict=True)]


def _moved(entity: dict[str, Any], where: Callable[[int], int]) -> dict[str, Any]:
    return {**entity, ENTITY_ATTRIBUTE_START: where(entity[ENTITY_ATTRIBUTE_START]),
            ENTITY_ATTRIBUTE_END: where(entity[ENTITY_ATTRIBUTE_END])}
