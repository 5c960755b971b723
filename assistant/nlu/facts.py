"""From extracted entities to typed facts (docs/contract/facts.md).

An entity value is either canonical already (a synonym matched, or a button payload such as
``/inform{"residence":"rented"}``) or the span the user typed ("租的房子", "没交社保", "五年").
`interpret` turns both into the typed value the policies engine takes, or None when the span
says nothing certain: unknown facts are left out, never guessed.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, NamedTuple

import yaml

from assistant.parse_data import (
    ASIDE_KIND,
    ASKS_KIND,
    DOCUMENTS_KIND,
    HUKOU_KIND,
    OTHER_SERVICE_KIND,
    RULES_KIND,
    UNSURE_KIND,
)
from policies import load_rules, vocabulary

from .normalise import CJK_CHARS, normalise
from .numbers import parse_years

__all__ = [
    "FACT_VALUES_FILE",
    "a_lease",
    "asks",
    "asks_anything",
    "clause_around",
    "city_proper_named",
    "clause_start",
    "duration_fact",
    "fact_keywords",
    "fact_pattern",
    "FactKeywords",
    "find_keyword",
    "interpret",
    "interpret_entities",
    "is_outside",
    "is_question_clause",
    "keyword_form",
    "keyword_pattern",
    "labels",
    "keywords_pattern",
    "named_pathway",
    "names_right_there",
    "names_other_relative",
    "negated_after",
    "about_someone_else",
    "negation_pattern",
    "place_role",
    "says_unsure",
    "split_at_clause_breaks",
    "stated_together",
    "stated_value",
    "term_pattern",
    "turns_aside",
    "wished_move_to",
]

FACT_VALUES_FILE = Path(__file__).resolve().parent / "fact_values.yml"
YEAR_FACTS = ("social_insurance_years", "residence_years", "tax_years")
_TRUE = {"true", "yes", "y", "1", "是", "对", "有"}
_FALSE = {"false", "no", "n", "0", "否", "不", "没有", "无"}
_HAS_CJK = re.compile(f"[{CJK_CHARS}]")


class Together(NamedTuple):
    """A fact stated by a word of each list (fact_values.yml `together`)."""

    lists: tuple[tuple[str, ...], ...]
    unless: tuple[str, ...]
    sentence: bool  # the words may stand in different clauses of one sentence


@dataclass(frozen=True)
class FactKeywords:
    """The content of fact_values.yml."""

    values: dict[str, dict[str, list[str]]]  # fact -> canonical value -> keywords (zh + en)
    negation: tuple[str, ...]
    not_negation: tuple[str, ...]
    denied_means_none: frozenset[str]  # facts of which any value denied is `none`
    durations: dict[str, tuple[str, ...]]  # years fact -> words of what it is the years of
    pathways: dict[str, tuple[str, ...]]  # pathway topic -> words that name it
    question_kinds: dict[str, tuple[str, ...]]  # kind of question -> words that ask it
    question_words: dict[str, tuple[str, ...]]  # lang -> words that make a clause a question
    not_asking: tuple[str, ...]  # words holding a question word that ask nothing (zh)
    no_subject: tuple[str, ...]  # words that name no subject of a question (zh + en)
    rules_apart: re.Pattern[str]  # a Chinese rules question written apart
    shorthand: dict[str, str]  # English word typed short -> the word it stands for
    elsewhere: tuple[str, ...]  # words of a place other than the one to settle in (zh + en)
    right_there: tuple[str, ...]  # words of the place to settle in, unnamed (zh + en)
    place_roles: dict[str, dict[str, tuple[str, ...]]]  # role -> before/after -> words
    first_person: tuple[str, ...]  # words that speak of the person asking (zh + en)
    motion: tuple[str, ...]  # words of moving somewhere (zh + en)
    described: tuple[str, ...]  # words after a place that describe it ("老家是…") (zh + en)
    whereabouts: tuple[str, ...]  # words of where someone is now, `living` too (zh + en)
    living: tuple[str, ...]  # words of where the person lives (zh + en)
    hearsay: tuple[str, ...]  # words of what the person heard (zh + en)
    unsure: tuple[str, ...]  # words of what the person does not know (zh + en)
    other_relatives: tuple[str, ...]  # relatives of none of the three refuges (zh + en)
    rural_move_topics: frozenset[str]  # the topics of a move to the countryside
    aside: tuple[str, ...]  # words that turn to another subject (zh + en)
    span_forms: dict[str, dict[str, str]]  # fact -> whole extracted span -> its value
    other_services: tuple[str, ...]  # other public services (zh + en)
    hukou_booklet: tuple[str, ...]  # the hukou booklet (zh + en)
    hukou_unmoved: tuple[str, ...]  # household registration said to stay (zh + en)
    sound_alike: tuple[str, ...]  # words begun by a one-character key word (zh)
    work_contract: tuple[str, ...]  # words of a contract of employment (zh + en)
    workings: tuple[str, ...]  # words asking how a thing works (en)
    registered: tuple[str, ...]  # words of where the person's hukou is now (zh + en)
    third_person: tuple[str, ...]  # he, she, they (zh + en)
    with_self: tuple[str, ...]  # the person named with a relative (zh + en)
    someone_else: tuple[str, ...]  # words of someone in general (zh + en)
    groups: tuple[str, ...]  # words of a group of people (zh + en)
    not_read_bare: tuple[frozenset[str], frozenset[str]]  # facts, keywords
    read_in_topics: dict[str, frozenset[str]]  # fact (or fact=value) -> topics it is read in
    read_beside_place: frozenset[str]  # facts read in a clause naming a place
    employers: frozenset[str]  # facts that a clause about working states of the employer
    county_town: tuple[str, ...]  # words of a county's seat, said after its name (zh + en)
    city_proper: tuple[str, ...]  # words of a city's own urban districts (zh + en)
    wish: tuple[str, ...]  # words of what the person wants (zh + en)
    not_homes: tuple[str, ...]  # words of premises no one lives in (zh + en)
    dwelling: tuple[str, ...]  # words of a place to live (zh + en)
    # (fact, value) -> the word lists, the words that keep a clause silent, and whether the
    # words may stand in different clauses of one sentence
    together: dict[tuple[str, str], Together]

    def vocabulary(self) -> list[str]:
        """The key words of every list (fact values, durations, pathways, kinds of question,
        place roles): what a typing error is corrected towards. Question words are left
        out: particles such as 能不 sound like too many other words."""
        words = [keyword for _, _, keyword in self.all_keywords()]
        for group in (self.durations, self.pathways, self.question_kinds):
            words += [word for group_words in group.values() for word in group_words]
        words += [word for sides in self.place_roles.values() for side in sides.values()
                  for word in side]
        return words

    def all_keywords(self) -> Iterable[tuple[str, str, str]]:
        """(fact, value, keyword) for every keyword."""
        for fact, by_value in self.values.items():
            for value, keywords in by_value.items():
                for keyword in keywords:
                    yield fact, value, keyword


@lru_cache(maxsize=1)
def fact_keywords() -> FactKeywords:
    """Load fact_values.yml (cached)."""
    raw = yaml.safe_load(FACT_VALUES_FILE.read_text(encoding="utf-8"))
    values = {
        fact: {
            str(value): [_key(k) for k in by_lang.get("zh", []) + by_lang.get("en", [])]
            for value, by_lang in by_value.items()
        }
        for fact, by_value in raw["facts"].items()
    }
    negation = raw["negation"]["zh"] + raw["negation"]["en"]
    return FactKeywords(
        values=values,
        negation=tuple(_key(word) for word in negation),
        not_negation=tuple(_key(word) for word in raw["not_negation"]["zh"]),
        denied_means_none=frozenset(raw["denied_means_none"]),
        durations=_both_languages(raw["durations"]),
        pathways=_both_languages(raw["pathways"]),
        question_kinds=_both_languages(raw["question_kinds"]),
        question_words={
            lang: tuple(_key(word) for word in words)
            for lang, words in raw["question_words"].items()
        },
        not_asking=tuple(_key(word) for word in raw["not_asking"]["zh"]),
        no_subject=_words(raw["no_subject"]),
        rules_apart=_apart(raw["rules_apart"]),
        shorthand={str(short): str(word) for short, word in raw["shorthand"].items()},
        elsewhere=_words(raw["elsewhere"]),
        right_there=_words(raw["right_there"]),
        place_roles={
            role: {side: tuple(_key(word) for word in words) for side, words in sides.items()}
            for role, sides in raw["place_roles"].items()
        },
        first_person=_words(raw["first_person"]),
        motion=_words(raw["motion"]),
        described=_words(raw["described"]),
        whereabouts=_words(raw["whereabouts"]) + _words(raw["living"]),
        living=_words(raw["living"]),
        hearsay=_words(raw["hearsay"]),
        unsure=_words(raw["unsure"]),
        other_relatives=_words(raw["other_relatives"]),
        rural_move_topics=frozenset(raw["other_relatives"]["topics"]),
        aside=_words(raw["aside"]),
        span_forms={fact: {_key(form): str(value) for value, forms in by_value.items()
                           for form in forms}
                    for fact, by_value in raw["span_forms"].items()},
        other_services=_words(raw["other_services"]),
        hukou_booklet=_words(raw["hukou_booklet"]),
        hukou_unmoved=_words(raw["hukou_unmoved"]),
        sound_alike=tuple(raw["sound_alike"]["zh"]),
        work_contract=_words(raw["work_contract"]),
        workings=_words(raw["workings"]),
        registered=_words(raw["registered"]),
        third_person=_words(raw["third_person"]),
        with_self=_words(raw["with_self"]),
        someone_else=_words(raw["someone_else"]),
        groups=_words(raw["groups"]),
        not_read_bare=(
            frozenset(raw["not_read_bare"]["facts"]),
            frozenset(_key(word) for word in raw["not_read_bare"]["keywords"]),
        ),
        read_in_topics={fact: frozenset(topics) for fact, topics
                        in raw["not_read_bare"]["read_in_topics"].items()},
        read_beside_place=frozenset(raw["not_read_bare"]["read_beside_place"]),
        employers=frozenset(raw["employers"]),
        county_town=_words(raw["county_town"]),
        city_proper=_words(raw["city_proper"]),
        wish=_words(raw["wish"]),
        not_homes=_words(raw["premises_not_home"]["premises"]),
        dwelling=_words(raw["premises_not_home"]["dwelling"]),
        together={(fact, str(value)): Together(
                      tuple(tuple(_key(word) for word in words) for words in rule["words"]),
                      tuple(_key(word) for word in rule["unless"]),
                      rule.get("within", "clause") == "sentence")
                  for fact, by_value in raw["together"].items()
                  for value, rule in by_value.items()},
    )


def _apart(rule: dict[str, Any]) -> re.Pattern[str]:
    """A question word and a word of rules within a few characters of one clause, in either
    order ("有什么放宽的政策", "基本原则都有哪些")."""
    asking = "|".join(re.escape(_key(word)) for word in rule["asking"])
    rules = "|".join(re.escape(_key(word)) for word in rule["rules"])
    between = rf"[^，。？！；,.?!;\s]{{0,{int(rule['within'])}}}?"
    return re.compile(rf"(?:{asking}){between}(?:{rules})|(?:{rules}){between}(?:{asking})")


def _words(by_lang: dict[str, list[str]]) -> tuple[str, ...]:
    """A list's Chinese and English words, in the form keywords are compared in."""
    return tuple(_key(word) for word in by_lang.get("zh", []) + by_lang.get("en", []))


def _both_languages(section: dict[str, dict[str, list[str]]]) -> dict[str, tuple[str, ...]]:
    """name -> its Chinese and English words (`_words`)."""
    return {name: _words(by_lang) for name, by_lang in section.items()}


def _key(text: str) -> str:
    """The form keywords and spans are compared in."""
    return normalise(str(text)).lower().replace("’", "'").strip()


def keyword_pattern(keyword: str) -> str:
    """The regular expression of a keyword: Chinese ones anywhere, others as whole words
    (a Chinese character next to one ends it: "shebao也交了")."""
    if _HAS_CJK.search(keyword) or keyword.startswith("'") or keyword == "n't":
        return re.escape(keyword)
    return rf"(?<![A-Za-z0-9_']){re.escape(keyword)}(?![A-Za-z0-9_])"


@lru_cache(maxsize=4096)
def _keyword_expression(keyword: str) -> re.Pattern[str]:
    # compiled once here: through `re`'s own cache of 512 expressions, the vocabulary's
    # thousand-odd keywords pushed each other out (and Rasa's lookup tables with them), and
    # were compiled again at every message
    return re.compile(keyword_pattern(keyword))


def find_keyword(keyword: str, text: str) -> list[tuple[int, int]]:
    """Occurrences of a keyword in ``text`` (see `keyword_pattern`)."""
    return [match.span() for match in _keyword_expression(keyword).finditer(text)]


def keywords_pattern(words: Iterable[str]) -> re.Pattern[str]:
    """Several keywords in one expression, longest first (see `keyword_pattern`)."""
    ordered = sorted(set(words), key=lambda word: (-len(word), word))  # longest first
    return re.compile("|".join(keyword_pattern(word) for word in ordered))


@cache
def fact_pattern(fact: str) -> re.Pattern[str] | None:
    """All keywords of a fact in one expression (None for a fact without keywords)."""
    by_value = fact_keywords().values.get(fact)
    if not by_value:
        return None
    return keywords_pattern(word for words in by_value.values() for word in words)


@lru_cache(maxsize=1)
def negation_pattern() -> re.Pattern[str]:
    """All negation words in one expression (`not_negation` exceptions not applied)."""
    return keywords_pattern(fact_keywords().negation)


def keyword_form(text: str) -> str:
    """``text`` as keywords are written (normalised, lower case, straight apostrophe), with
    exactly its length, so that offsets found in it are offsets in ``text``."""
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in normalise(text)).replace(
        "\u2019", "'"
    )


def _negated(text: str, keywords: FactKeywords) -> bool:
    for exception in keywords.not_negation:
        text = text.replace(exception, " ")
    return any(find_keyword(word, text) for word in keywords.negation)


def _longest_named(
    by_value: dict[str, tuple[str, ...]] | dict[str, list[str]], text: str
) -> tuple[str | None, list[tuple[int, int]]]:
    """The value whose longest keyword occurs in ``text``, and where that keyword occurs.

    Two values tied on the longest keyword give None: the text is ambiguous.
    """
    best: tuple[int, str | None, list[tuple[int, int]]] = (0, None, [])
    tie = False
    for candidate, words in by_value.items():
        for word in words:
            spans = find_keyword(word, text)
            if not spans:
                continue
            if len(word) > best[0]:
                best, tie = (len(word), candidate, spans), False
            elif len(word) == best[0] and candidate != best[1]:
                tie = True
    _, value, spans = best
    return (None, []) if tie else (value, spans)


def _best_value(fact: str, text: str, keywords: FactKeywords) -> tuple[str | None, str]:
    """The value of ``fact`` whose longest keyword occurs in ``text`` (`_longest_named`), and
    the text without that keyword."""
    value, spans = _longest_named(keywords.values.get(fact, {}), text)
    if value is None:
        return None, text
    rest = text
    for start, end in reversed(spans):
        rest = rest[:start] + " " + rest[end:]
    return value, rest


@cache
def _chinese_negation() -> re.Pattern[str]:
    return keywords_pattern(w for w in fact_keywords().negation if _HAS_CJK.search(w))


def _denies(fact: str, rest: str, keywords: FactKeywords) -> bool:
    """Whether the words of a statement of ``fact`` without its keyword (``rest``) deny it: a
    Chinese negation right before another fact's word denies that one ("没有自己房子住的宿舍"
    denies a home of one's own, not living in the dormitory), but not when that word stands
    right before the blank left of the fact's own word, which it negates too ("没开店做买卖"
    denies both)."""
    own = fact_pattern(fact)

    def of_another_fact(negation: re.Match[str]) -> str:
        word = _fact_words().match(rest, negation.end())
        if word is None or rest[word.end() : word.end() + 1].isspace() \
                or (own is not None and own.match(rest, negation.end())):
            return negation.group()
        return " " * len(negation.group())

    return _negated(_chinese_negation().sub(of_another_fact, rest), keywords)


def _interpret_bool(fact: str, text: str, keywords: FactKeywords) -> bool | None:
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    value, rest = _best_value(fact, text, keywords)
    if value is None:
        # No word of this fact in the span: the extractor guessed ("probably" tagged as
        # employment); the fact stays unknown and is asked, never assumed.
        return None
    if value == "false":
        return False
    return not _denies(fact, rest, keywords)


def _interpret_enum(fact: str, text: str, allowed: list[str], keywords: FactKeywords) -> str | None:
    if text in allowed:
        return text
    value, rest = _best_value(fact, text, keywords)
    if value is None or value not in allowed:
        return None
    if value != "none" and _denies(fact, rest, keywords):
        return "none" if fact in keywords.denied_means_none else None
    return value


def _interpret_place(entity: str, text: str) -> str | None:
    place = vocabulary.resolve_place(text)
    if place is None:
        return None
    if entity == "province" and not place.outside and place.province is not None:
        return str(place.province)
    return str(place.id)


@lru_cache(maxsize=1)
def _glossary_names() -> dict[str, str]:
    names: dict[str, str] = {}
    for term_id, term in load_rules().glossary.items():
        forms = [term_id, term.name.zh, term.name.en, *term.aliases.zh, *term.aliases.en]
        for form in forms:
            names.setdefault(_key(form), term_id)
            # "合法稳定住所(含租赁)" is also asked about without its parenthesis
            names.setdefault(_key(re.sub(r"\(.*?\)", "", _key(form))), term_id)
    names.pop("", None)
    return names


@lru_cache(maxsize=1)
def term_pattern() -> re.Pattern[str]:
    """Every name and alias of the glossary's terms in one expression, longest first."""
    return keywords_pattern(_glossary_names())


def _interpret_term(text: str) -> str | None:
    names = _glossary_names()
    if text in names:
        return names[text]
    found = sorted(
        ((len(name), term_id) for name, term_id in names.items() if find_keyword(name, text)),
        reverse=True,
    )
    return found[0][1] if found else None


def _interpret_years(text: str) -> int | float | None:
    years = parse_years(text)
    if years is None:
        return None
    return int(years) if years.is_integer() else years


def interpret(entity: str, value: Any) -> Any:
    """The typed fact value an entity stands for, or None when it is not certain.

    ``value`` is a canonical value or the words of the entity's span; a span that is one of
    the fact's `span_forms` as a whole reads as its value.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        text = "true" if value else "false"
    else:
        text = _key(str(value))
    if not text:
        return None
    keywords = fact_keywords()
    form = keywords.span_forms.get(entity, {}).get(text)
    if form is not None:
        text = form
    if entity in ("city", "province"):
        return _interpret_place(entity, str(value))
    if entity == "term":
        return _interpret_term(text)
    if entity in YEAR_FACTS:
        return _interpret_years(text)
    if entity == "lang":
        return _interpret_enum(entity, text, ["zh", "en"], keywords)
    definition = load_rules().facts.get(entity)
    if definition is None:
        return None
    if definition.type == "bool":
        return _interpret_bool(entity, text, keywords)
    if definition.type == "enum":
        return _interpret_enum(entity, text, list(definition.values), keywords)
    if definition.type == "number":
        return _interpret_years(text)
    return None


def interpret_entities(
    entities: Iterable[dict[str, Any]], text: str | None = None
) -> dict[str, Any]:
    """Facts stated by the entities of one message, typed as facts.md says.

    A later mention of a fact overrides an earlier one, except that a city outside the two
    provinces never overrides one inside ("我是河南人，在阜新工作" is about Fuxin); an outside
    city alone is kept, so that the answer can say the place is not covered.

    With the message ``text``, a fact span that names no word of its fact ("has" of "it has
    fixed business premises") is read in its clause instead: the extractor found that the
    clause states the fact, the clause's words say which value.
    """
    facts: dict[str, Any] = {}
    for entity in entities:
        name = entity.get("entity")
        if not isinstance(name, str):
            continue
        value = interpret(name, entity.get("value"))
        if value is None and text and _reads_in_clause(name):
            start, end = entity.get("start"), entity.get("end")
            if isinstance(start, int) and isinstance(end, int):
                value = interpret(name, clause_around(text, start, end))
        if value is None:
            continue
        if (
            name == "city"
            and "city" in facts
            and is_outside(value)
            and not is_outside(facts["city"])
        ):
            continue
        facts[name] = value
    return facts


# Punctuation ends a clause (a full stop only outside a number: 1.5), and so does a space
# between Chinese words, which many people type instead of a comma ("有工作 在厂里"), and a
# dash (a long one, or hyphens between spaces: "I don't own anything there - I rent").
_CLAUSE_BREAK = re.compile(
    rf"[,，。!?！？;；:：、\n—–]|\.(?!\d)|(?<=[{CJK_CHARS}])\s+(?=[{CJK_CHARS}])|\s-+\s"
)
#: the ends of a sentence
_SENTENCE_BREAK = re.compile(r"[。!?！？;；\n]|\.(?!\d)")


@lru_cache(maxsize=8)
def _breaks(text: str) -> tuple[tuple[int, ...], tuple[int, ...], str]:
    """The clause breaks of ``text`` (found once per message, so that a message of thousands
    of clauses is read in about linear time): their starts, their ends, and the character
    each begins with."""
    found = list(_CLAUSE_BREAK.finditer(text))
    return (tuple(m.start() for m in found), tuple(m.end() for m in found),
            "".join(m.group(0)[0] for m in found))


def clause_start(text: str, start: int) -> int:
    """Where the clause holding ``text[start]`` begins."""
    _, ends, _ = _breaks(text)
    index = bisect_right(ends, start) - 1
    return ends[index] if index >= 0 else 0


def _following_break(text: str, end: int) -> tuple[int, str]:
    """Where the first clause break at or after ``end`` starts (the text's end when none),
    and its first character ("" when none)."""
    starts, _, chars = _breaks(text)
    index = bisect_left(starts, end)
    return (starts[index], chars[index]) if index < len(starts) else (len(text), "")


@cache
def _negated_after() -> re.Pattern[str]:
    """A Chinese negation (fact_values.yml `negation`) after a fact's word: a few characters
    on ("社保单位还没给交"), then the clause ends soon ("社保没交", "合同也没签")."""
    words = sorted((w for w in fact_keywords().negation if is_chinese(w)), key=len, reverse=True)
    return re.compile(rf"^[^\d]{{0,4}}?(?:{'|'.join(map(re.escape, words))})([^\d]{{0,3}})$")


@cache
def _particles() -> frozenset[str]:
    """The one-character question words that end a clause (`zh_end`: 不, 没, 否), which alone
    after a fact's word ask ("能落户不"); "社保没有" says there is none."""
    return frozenset(w for w in fact_keywords().question_words["zh_end"] if len(w) == 1)


#: what follows a negation that speaks of an amount, not of the fact ("上班不到一年")
_AMOUNT = re.compile(r"[\d一二三四五六七八九十两半几年月天]|^[到满够足]")


def negated_after(text: str, end: int) -> bool:
    """Whether a Chinese negation after the word ending at ``text[end]`` negates it, as
    Chinese says it ("社保没交", "合同也没签", "社保单位还没给交", "社保去年就断了"): it comes
    within four characters of the word and the clause ends within three characters after it.
    Words that only contain a negation (`not_negation`: "不错", "没断"), amounts ("上班不到一年")
    and questions ("社保没交吗"; a particle alone that ends the clause: "户口能迁回村里不") do
    not count."""
    right, mark = _following_break(text, end)
    tail = keyword_form(text[end:right])
    match = _negated_after().match(tail)
    if match is None or mark in ("?", "？") or not _HAS_CJK.search(tail) \
            or tail.strip() in _particles():
        return False
    keywords = fact_keywords()
    return not (_AMOUNT.search(match.group(1))
                or any(word in tail for word in keywords.not_negation)
                or any(word in unasked(tail) for word in keywords.question_words["zh"])
                # the negation is of the next fact ("有工作没社保")
                or _fact_words().search(match.group(1)))


@cache
def _fact_words() -> re.Pattern[str]:
    """The Chinese key words of every fact value."""
    words = {keyword for _, _, keyword in fact_keywords().all_keywords()
             if _HAS_CJK.search(keyword)}
    return re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))


def clause_around(text: str, start: int, end: int) -> str:
    """The part of ``text`` between the punctuation marks around ``text[start:end]``."""
    return text[clause_start(text, start) : _following_break(text, end)[0]]


def duration_fact(text: str, start: int, end: int) -> str | None:
    """The years fact the span ``text[start:end]`` is the duration of, by the words of its
    clause (fact_values.yml `durations`), or where they name none, of the clause before it
    in its sentence ("I've lived here since last spring, so over a year now", "在沈阳租房住，
    已经三年了"): None when the words are of no years fact or of several."""
    found = _durations_named(clause_around(text, start, end))
    left = clause_start(text, start)
    if not found and left > 0 and text[left - 1] in ",，":
        found = _durations_named(clause_around(text, left - 1, left - 1))
    return found.pop() if len(found) == 1 else None


def _durations_named(clause: str) -> set[str]:
    # (with the words typed short read as the words: "been ther 7 monts")
    shorthand = fact_keywords().shorthand
    form = _LATIN_WORD.sub(lambda word: shorthand.get(word.group(0), word.group(0)),
                             keyword_form(clause))
    return {fact for fact, words in fact_keywords().durations.items()
            if any(find_keyword(word, form) for word in words)}


def split_at_clause_breaks(entity: str, text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The parts of the span ``text[start:end]`` that state ``entity``, when it crosses a
    clause break.

    A statement of a fact lies within one clause (the annotation guideline), but a tagger can
    run a span on into the next clause ("没交社保 单位没给交"). The span is cut at the
    breaks; the parts that contain a keyword of the fact are kept, or the first part when none
    does (and the span as it is for entities without keywords, such as places).
    """
    pattern = fact_pattern(entity)
    if pattern is None:
        return [(start, end)]
    parts = _clauses(text, start, end)
    if len(parts) <= 1:
        return parts or [(start, end)]
    form = keyword_form(text)
    stating = [(a, b) for a, b in parts if pattern.search(form[a:b])]
    return stating or parts[:1]


def named_pathway(text: str) -> str | None:
    """The settlement pathway a message names (fact_values.yml `pathways`), or None: the
    longest keyword wins ("投资落户" over "落户" words of another pathway), a tie names none."""
    form = keyword_form(text)
    keywords = fact_keywords()
    value, spans = _longest_named(keywords.pathways, form)
    if all(_negated(_words_before(form, start), keywords) for start, _ in spans):
        return None  # "不办居住证，直接落户行不行", "without a residence permit"
    return value


def pathway_asked(text: str, pathway: str) -> bool:
    """Whether a word naming ``pathway`` stands in a question ("can I at least get a
    residence permit?") and no word of household registration does ("I know Dalian hukou is
    hard"; not "能在烟台落户吗？是不是还得先办居住证"): the pathway is what the message asks
    about."""
    keywords = fact_keywords()
    return _asked(text, keywords.pathways.get(pathway, ())) and not _asked(
        text, keywords.question_kinds[HUKOU_KIND])


def _asked(text: str, words: Iterable[str]) -> bool:
    """Whether one of ``words`` stands in a question clause of ``text``."""
    form = keyword_form(text)
    return any(is_question_clause(form, start, end)
               for word in words for start, end in find_keyword(word, form))


def _words_before(text: str, start: int) -> str:
    """The two characters (Chinese) or two words (English) right before ``text[start]`` in
    its clause: where a negation of the words at ``start`` stands."""
    before = text[clause_start(text, start) : start]
    if _HAS_CJK.search(before[-1:] or " ") or not before.strip():
        return before[-2:]
    return " ".join(before.split()[-2:])


def is_question_clause(text: str, start: int, end: int) -> bool:
    """Whether the clause of ``text`` around ``text[start:end]`` asks something: it ends with
    a question mark, has a Chinese question word outside those words, or starts with an
    English one."""
    left = _statement_start(text, clause_start(text, start), start)
    right, mark = _following_break(text, end)
    if mark and mark in "?？":
        return True
    # the words themselves ask nothing ("啥证书也没有" says there is none), and a clause that
    # ends with them ends with no question particle ("单位不给交保险": 不 negates them)
    clause = unasked(keyword_form(f"{text[left:start]} {text[end:right]}").strip())
    tail = unasked(keyword_form(text[end:right])).strip()
    words = fact_keywords().question_words
    if any(word in clause for word in words["zh"]) or (tail and tail.endswith(words["zh_end"])):
        return True
    return _english_question_start().match(clause) is not None and not _relative_clause(
        text, left, clause)


def _relative_clause(text: str, left: int, clause: str) -> bool:
    """Whether an English clause of ``text`` starting at ``left`` after a comma, its words
    ``clause``, is a relative clause ("…, which I lease together with the shop": a relative
    word and its subject, fact_values.yml `question_words` `en_relative`, and `en_subject`,
    `first_person` or `third_person`)."""
    if not text[:left].rstrip().endswith((",", "，")):
        return False
    keywords = fact_keywords()
    first = clause.split()[:2]
    return len(first) == 2 and first[0] in keywords.question_words["en_relative"] and (
        first[1] in keywords.question_words["en_subject"]
        or first[1] in keywords.first_person or first[1] in keywords.third_person)


#: statements built on a question word: "啥/什么 … 都/也 没/不", none at all ("啥技能证书都没
#: 考过", "啥证也没有"), and "还没 … 呢", not yet ("合同还没签呢")
_STATEMENTS = re.compile(
    r"(?:啥|什么)[^，。,.!?！？；;]{0,8}?[都也][没不]|还没[^，。,.!?！？；;]{0,6}呢")


def unasked(form: str) -> str:
    """``form`` (keyword form) with the words that hold a question word but ask nothing
    (fact_values.yml `not_asking`: "好几年", "这几年"; "啥 … 都没", "还没 … 呢") blanked out,
    so that a statement of them is no question."""
    form = _STATEMENTS.sub(lambda m: " " * len(m.group(0)), form)
    return _not_asking().sub(lambda m: " " * len(m.group(0)), form)


@cache
def _not_asking() -> re.Pattern[str]:
    return keywords_pattern(fact_keywords().not_asking)


def asks_anything(text: str) -> bool:
    """Whether any clause of ``text`` asks something (`is_question_clause`): a message that
    does not only tells ("I'll move in with him next month")."""
    return any(is_question_clause(text, start, start) for start, _ in _clauses(text, 0, len(text)))


#: how much of a question clause, its question words and words naming no subject left out
#: (`no_subject`), names a subject of its own: Chinese characters, English words
OWN_SUBJECT = {"zh": 4, "en": 3}


def asks_of_another_subject(text: str) -> bool:
    """Whether a message asks only of something none of our words name: it names no
    household registration, pathway, documents or glossary term, and each of its questions
    names no fact, while one names a subject of its own (`OWN_SUBJECT`). "I rent in Xigang
    District in Dalian. Where can I get my cat vaccinated?" tells of the person, but asks of
    a cat; "我在丹东上班，交社保，租房，能过去吗" asks of what it told."""
    form = keyword_form(text)
    if _ours().search(form) or term_pattern().search(form):
        return False
    questions = [form[a:b] for a, b in _clauses(form, 0, len(form))
                 if is_question_clause(form, a, a)]
    if not questions or any(_facts_named().search(q) for q in questions):
        return False
    for question in questions:
        rest = _no_subject().sub(" ", unasked(question))
        if len(_HAS_CJK.findall(rest)) >= OWN_SUBJECT["zh"] or \
                len(_LATIN_WORD.findall(rest)) >= OWN_SUBJECT["en"]:
            return True
    return False


_LATIN_WORD = re.compile(r"[a-z]{2,}")


@cache
def _facts_named() -> re.Pattern[str]:
    """The key words of every fact value and of moving somewhere (zh + en)."""
    keywords = fact_keywords()
    return keywords_pattern([*(word for _, _, word in keywords.all_keywords()),
                             *keywords.motion])


@cache
def _no_subject() -> re.Pattern[str]:
    """Question words, the person's words and words naming no subject (`no_subject`)."""
    keywords = fact_keywords()
    return keywords_pattern([*keywords.question_words["zh"], *keywords.question_words["en"],
                             *keywords.first_person, *keywords.no_subject])


@cache
def _ours() -> re.Pattern[str]:
    """Words of our topics: household registration, the pathways, documents."""
    keywords = fact_keywords()
    return keywords_pattern([*(word for words in keywords.pathways.values() for word in words),
                             *keywords.question_kinds[HUKOU_KIND],
                             *keywords.question_kinds[DOCUMENTS_KIND]])


_SUBJECT = re.compile(r"\b(i|we)\b(?!')", re.IGNORECASE)


def _statement_start(text: str, left: int, start: int) -> int:
    """Where the statement around ``text[start]`` starts in an English clause written
    without punctuation: at the last "I" or "we" before it that no question word puts into
    a question ("how to settle in jinzhou i rent and have a job": "i rent …" states; "do i
    need a contract" asks)."""
    for match in reversed(list(_SUBJECT.finditer(text, left, start))):
        words = keyword_form(text[left : match.start()]).split()
        if words and not _english_question_start().fullmatch(words[-1]):
            return match.start()
    return left


@lru_cache(maxsize=1)
def _english_question_start() -> re.Pattern[str]:
    """The English question words (fact_values.yml `question_words`), as whole words."""
    return keywords_pattern(fact_keywords().question_words["en"])


def place_role(text: str, start: int, end: int) -> str | None:
    """`not` or `origin` when the words around the place mention ``text[start:end]`` say it
    is not, or is where the person comes from (fact_values.yml `place_roles`), else None."""
    right, _ = _following_break(text, end)
    after = keyword_form(text[end:right]).lstrip()
    for role, sides in fact_keywords().place_roles.items():
        if _named_right_before(text, start, sides["before"]):
            return role
        if any(after.startswith(word) for word in sides["after"]):
            return role
    return None


def origin_named_before(text: str, start: int) -> bool:
    """Whether the words right before the place named at ``text[start]`` say it is where
    the person comes from (`place_roles` origin `before`: "from Linyi", "户口在河南", "from my
    village")."""
    left = clause_start(text, start)
    determiners = _DETERMINERS.search(text, left, start)
    if determiners is not None:
        start = determiners.start()
    return _named_right_before(text, start, fact_keywords().place_roles["origin"]["before"])


#: English words that stand between a word of origin and the place it names ("from my village")
_DETERMINERS = re.compile(r"(?:\b(?:my|our|the|a|an|his|her|their|family's|parents')\s+)+$",
                          re.IGNORECASE)


def _named_right_before(text: str, start: int, words: tuple[str, ...]) -> bool:
    """Whether the words of its clause right before ``text[start]`` end with one of
    ``words``."""
    before = keyword_form(text[clause_start(text, start) : start]).rstrip()
    return any(before.endswith(word) for word in words)


@cache
def _origin_words() -> re.Pattern[str]:
    return keywords_pattern(fact_keywords().place_roles["origin"]["before"])


@cache
def _list_pattern(name: str) -> re.Pattern[str]:
    """The words of one of fact_values.yml's word lists (`FactKeywords` field ``name``), in
    one expression."""
    words: tuple[str, ...] = getattr(fact_keywords(), name)
    return keywords_pattern(words)


def _still_before(text: str, start: int) -> str | None:
    """The words before ``text[start]`` in its clause, when they speak of no move
    (`motion`: "迁回老家农村", "going back to my home village"), else None."""
    before = keyword_form(text[clause_start(text, start) : start])
    return None if _list_pattern("motion").search(before) else before


def _mentions(name: str, words: str) -> bool:
    """Whether ``words`` hold a word of fact_values.yml's list ``name``."""
    return bool(_list_pattern(name).search(keyword_form(words)))


def of_a_group(text: str) -> bool:
    """Whether a message speaks of a group of people (`groups`: "城里人", "farmers")."""
    return _mentions("groups", text)


def a_move_named(words: str) -> bool:
    """Whether ``words`` speak of a move (`motion`: "迁到村里", "back to the village"), not
    of where someone is ("农村老家")."""
    return bool(_list_pattern("motion").search(keyword_form(words)))


def moving_there(text: str, start: int) -> bool:
    """Whether the last word of a move before ``text[start]`` in its clause (`motion`) moves
    to what ``text[start]`` names, not to a place its own words name: "想把户口迁到凤城农村",
    "Can I move my hukou back to my parents' village", not "进城落户后老家的地" (进城落户 is a
    move to town, and the village is where the land is)."""
    left = clause_start(text, start)
    form = keyword_form(text)
    motions = list(_list_pattern("motion").finditer(form, left, start))
    if not motions:
        return False
    last = motions[-1].start()
    pattern = fact_pattern("move_to")
    # (a place of a move named between that word and ``text[start]``, or holding it, is
    # where that move goes: "落户城里以后农村的耕地"; and where someone is, named in
    # between, is no destination: "can i settle in weifang if i work there but live in the
    # countryside")
    if _list_pattern("living").search(form, motions[-1].end(), start):
        return False
    return pattern is None or not any(b > last for _, b in (
        m.span() for m in pattern.finditer(form, left, start)))


def moved_to(text: str, start: int) -> bool:
    """Whether the words before ``text[start]`` in its clause speak of a move (`motion`):
    what follows is where the person moves ("想把户口先迁回铁岭县老家村里")."""
    return _still_before(text, start) is None


def of_origin(text: str, start: int) -> bool:
    """Whether the words before ``text[start]`` in its clause say where the person comes
    from or where someone is now ("I'm from a village", "老家是朝阳农村的", "my family is
    back in my home village") and speak of no move (`_still_before`)."""
    before = _still_before(text, start)
    return before is not None and bool(
        _origin_words().search(before) or _list_pattern("whereabouts").search(before))


def described_after(text: str, end: int) -> bool:
    """Whether the words right after ``text[:end]`` describe what it names ("老家是铁岭西丰的",
    "my home village is just outside it"): a place someone comes from, no destination."""
    after = keyword_form(text[end : end + 6]).lstrip()
    return any(after.startswith(word) and (is_chinese(word) or not after[len(word):][:1].isalpha())
               for word in fact_keywords().described)


def village_of(text: str, start: int, end: int) -> bool:
    """Whether the clause of the place named at ``text[start:end]`` says someone is in a
    village there and speaks of no move before it ("I live in a village in Feicheng", "my
    wife and son are still in the village in Feicheng", "我家在曹县农村")."""
    return _still_before(text, start) is not None and \
        interpret("move_to", keyword_form(clause_around(text, start, end))) == "rural"


def _said_of_the_place(name: str, text: str, start: int, end: int) -> tuple[int, int] | None:
    """The span of a word of the list ``name`` that stands from ``text[start]`` on, inside
    the words of a place named up to ``text[end]`` or right after them, or None."""
    longest = max(map(len, getattr(fact_keywords(), name)))
    found = _list_pattern(name).search(keyword_form(text), start, end + 1 + longest)
    if found is None or text[end : found.start()].strip():
        return None
    return found.span()


def county_town_named(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The span of the words saying that the place named at ``text[start:end]`` is its
    county's seat ("宁阳县城", "Wulian county town"), inside the place's words or right after
    them, or None."""
    return _said_of_the_place("county_town", text, start, end)


def city_proper_named(text: str, end: int) -> bool:
    """Whether the words right after a place named up to ``text[end]`` say its own urban
    districts are meant ("大连市里", "Dalian city proper")."""
    # (from the place's last character when it is the 市 of "市里": "大连市" + "里"; not
    # earlier, as district names hold such words: 顺城区)
    start = end - 1 if text[end - 1 : end] == "市" else end
    return _said_of_the_place("city_proper", text, start, end) is not None


def moving_there_later(text: str, end: int) -> bool:
    """Whether the rest of the sentence after ``text[:end]`` moves the person there: a word
    of a move (`motion`) and then, in its clause, the place unnamed (`right_there`): "I
    bought a farmhouse in a village in Yi County and want to move my hukou there"."""
    form = keyword_form(text)
    stop = _SENTENCE_BREAK.search(form, end)
    rest = form[end : stop.start() if stop else len(form)]
    there = _list_pattern("right_there")
    for motion in _list_pattern("motion").finditer(rest):
        clause_end = _CLAUSE_BREAK.search(rest, motion.end())
        if there.search(rest, motion.end(), clause_end.start() if clause_end else len(rest)):
            return True
    return False


def wished_move_to(text: str, start: int) -> bool:
    """Whether the words before ``text[start]`` in its clause say the person wants to move
    to what it names (`wish` and `moving_there`: "我是想落大连市里")."""
    before = keyword_form(text[clause_start(text, start) : start])
    return bool(_list_pattern("wish").search(before)) and moving_there(text, start)


def the_employers(fact: str, text: str, start: int, end: int) -> bool:
    """Whether ``fact``, named at ``text[start:end]``, is the employer's (fact_values.yml
    `employers`): its clause says the person works, not that they own or run a business."""
    if fact not in fact_keywords().employers:
        return False
    clause = keyword_form(clause_around(text, start, end))
    working, owning = fact_pattern("employment"), fact_pattern("legal_representative")
    # (words that often name another person, "the boss never enrolled me", own nothing)
    others = fact_keywords().not_read_bare[1]
    owned = owning is not None and any(m.group(0) not in others for m in owning.finditer(clause))
    return bool(working and working.search(clause)) and not owned


def premises_not_home(fact: str, text: str, start: int, end: int) -> bool:
    """Whether a home named at ``text[start:end]`` is premises no one lives in that its
    clause names, with no dwelling (fact_values.yml `premises_not_home`): "we rent an office
    there" rents no home."""
    if fact != "residence":
        return False
    clause = keyword_form(clause_around(text, start, end))
    return bool(_list_pattern("not_homes").search(clause)) and not _list_pattern(
        "dwelling").search(clause)


def a_lease(fact: str, text: str, start: int, end: int) -> bool:
    """Whether a contract named at ``text[start:end]`` with no word of work in it
    (fact_values.yml `work_contract`) is the lease of a home rented in its clause or the one
    before ("房子跟朋友合租的，也没签合同")."""
    if fact != "labor_contract" or _list_pattern("work_contract").search(
            keyword_form(text[start:end])):
        return False
    left = clause_start(text, start)
    around = keyword_form(text[clause_start(text, left - 1) if left > 0 else 0 : end])
    return any(find_keyword(word, around)
               for word in fact_keywords().values["residence"]["rented"])


def is_chinese(words: str) -> bool:
    """Whether ``words`` hold a Chinese character."""
    return bool(_HAS_CJK.search(words))


def registration_named(text: str, start: int, end: int) -> bool:
    """Whether the clause around ``text[start:end]`` speaks of where someone's household
    registration is (fact_values.yml `registered`: "my son's hukou is still with his
    grandparents in Hebei")."""
    return bool(_list_pattern("registered").search(keyword_form(clause_around(text, start,
                                                                              end))))


def names_right_there(words: str) -> bool:
    """Whether ``words`` speak of the place to settle in without naming it (fact_values.yml
    `right_there`: "work there", "在那边上班")."""
    return _mentions("right_there", words)


def names_elsewhere(words: str) -> bool:
    """Whether ``words`` speak of a place other than the one to settle in without naming it
    (fact_values.yml `elsewhere`: "在外地打工", "work in another city")."""
    return _mentions("elsewhere", words)


def how_a_thing_works(fact: str, text: str, start: int, end: int) -> bool:
    """Whether the work named at ``text[start:end]`` is how a thing works (fact_values.yml
    `workings`: "How does points-based settlement work in Dalian?"), no job: a question of
    how something works, the person not named before the verb."""
    if fact != "employment" or keyword_form(text[start:end]).strip() not in ("work", "works"):
        return False
    before = keyword_form(text[clause_start(text, start) : start])
    return bool(_list_pattern("workings").search(before)) \
        and not _list_pattern("first_person").search(before)


def heard_of(text: str, start: int) -> bool:
    """Whether the words before ``text[start]`` in its clause say the person heard what
    follows (fact_values.yml `hearsay`): then it is no fact about them."""
    before = keyword_form(text[clause_start(text, start) : start])
    return bool(_list_pattern("hearsay").search(before))


def unsure_of(text: str, start: int, end: int) -> bool:
    """Whether the clause around ``text[start:end]`` says the person does not know
    (fact_values.yml `unsure`): what it names stays unknown."""
    return _mentions("unsure", clause_around(text, start, end))


def names_other_relative(text: str) -> bool:
    """Whether a message names a relative who is neither spouse, parent nor child, or a
    friend (fact_values.yml `other_relatives`)."""
    return _mentions("other_relatives", text)


def turns_aside(text: str) -> bool:
    """Whether a message says it turns to another subject (fact_values.yml `aside`: "顺便
    问下", "by the way")."""
    return _mentions("aside", text)


def says_unsure(text: str) -> bool:
    """Whether a message says the person does not know something (fact_values.yml
    `unsure`: "not sure tbh about social insurance, gotta check with HR")."""
    return _mentions("unsure", text)


def registered_there(text: str, start: int) -> bool:
    """Whether the words before ``text[start]`` in its clause name the place as where the
    person's own household registration is now ("my hukou is in Jiangsu", "户口在河南") and
    speak of no move."""
    return _registered_words_before(text, start) and not said_of_a_relative(text, start)


def relatives_registration(text: str, start: int) -> bool:
    """Whether the words before ``text[start]`` in its clause name the place as where a
    relative's household registration is ("我老伴户口在沈阳皇姑区"): a place the person may
    well move to, to join them."""
    return _registered_words_before(text, start) and said_of_a_relative(text, start)


def _registered_words_before(text: str, start: int) -> bool:
    before = _still_before(text, start)
    return before is not None and bool(_list_pattern("registered").search(before))


def said_of_a_relative(text: str, start: int) -> bool:
    """Whether the words before ``text[start]`` in its clause speak of a relative or a third
    person ("my wife's hukou is in a village", "她是农村户口"), and not of the person with
    them (`with_self`: "俺和他爹户口还在费县农村"): what follows is theirs."""
    before = keyword_form(text[clause_start(text, start) : start])
    return bool(_relative_words().search(before)) and not _list_pattern("with_self").search(
        before)


@cache
def _relative_words() -> re.Pattern[str]:
    """Words of a relative of the person's ("my wife's hukou is in a village in Heishan" is
    where she is registered, which may be where the person moves), and third persons."""
    relatives = fact_keywords().values["relation"]
    return keywords_pattern([*(word for value, words in relatives.items() if value != "none"
                               for word in words), *fact_keywords().third_person])


def labels(text: str) -> list[str]:
    """`ASKS_KIND`, `UNSURE_KIND`, `ASIDE_KIND` and `OTHER_SERVICE_KIND`, those that hold of
    a message."""
    return [kind for kind, said in ((ASKS_KIND, asks_anything), (UNSURE_KIND, says_unsure),
                                    (ASIDE_KIND, turns_aside),
                                    (OTHER_SERVICE_KIND, asks_of_another_service))
            if said(text)]


def asks_of_another_service(text: str) -> bool:
    """Whether a question of the message names another public service (fact_values.yml
    `other_services`: a passport, a visa, a driving licence, a job interview) and the
    message speaks of no household registration moved or settled and names no pathway; the
    hukou booklet it may name is a paper that service asks for ("我户口在青岛，办护照要不要带
    户口本？")."""
    form = keyword_form(text)
    services = _list_pattern("other_services")
    if not services.search(form) or named_pathway(text) is not None:
        return False
    if asks(HUKOU_KIND, text):
        return False
    # (the service named in a sentence that asks something: "How do I replace a lost driving
    # licence in Jinzhou, and what does it cost?")
    return any(services.search(form[a:b]) and any(is_question_clause(form, c, d)
                                                   for c, d in _clauses(form, a, b))
               for a, b in _clauses(form, 0, len(form), _SENTENCE_BREAK))


def asks(kind: str, text: str) -> bool:
    """Whether a message asks a question of this kind (fact_values.yml `question_kinds`:
    `documents`, `rules`); a question that never speaks of the person asking
    (`about_no_one`) asks what the rules are."""
    form = unasked(keyword_form(text))
    if kind == HUKOU_KIND:
        # where the person's household registration is now speaks of no move of it
        # ("户口在河北，在滨州租房一年了，能办吗", "my hukou is in Cangzhou"), nor does the
        # hukou booklet, a paper ("我的户口本放在抽屉里了"), nor a hukou said to stay
        form = _origin_words().sub(lambda m: " " * len(m.group(0)), form)
        for words in ("hukou_booklet", "hukou_unmoved"):
            form = _list_pattern(words).sub(lambda m: " " * len(m.group(0)), form)
    if any(find_keyword(word, form) for word in fact_keywords().question_kinds[kind]):
        return True
    if kind == RULES_KIND and fact_keywords().rules_apart.search(form):
        return True
    return (
        kind == RULES_KIND
        and about_no_one(form)
        and any(is_question_clause(form, a, a) for a, _ in _clauses(form, 0, len(form)))
    )


def about_no_one(text: str) -> bool:
    """Whether a message never speaks of the person asking (`first_person`); a Chinese
    one, which drops the pronoun, must speak of someone in general (`someone_else`) or of
    a group of people (`groups`: "城里人能去农村落户吗")."""
    form = keyword_form(text)
    if _list_pattern("first_person").search(form):
        return False
    return not _HAS_CJK.search(form) or bool(_list_pattern("someone_else").search(form)) \
        or of_a_group(form)


def about_someone_else(text: str) -> bool:
    """Whether a message never speaks of the person asking but of someone in general
    (`someone_else`): the facts named in its questions are not the person's ("Can a city
    require you to own a flat of a certain size?" says nothing of the person's home)."""
    return about_no_one(text) and bool(_list_pattern("someone_else").search(keyword_form(text)))


def stated_value(fact: str, text: str) -> Any:
    """The value of ``fact`` stated by the first clause of ``text`` that names one of its
    keywords ("社保交了" → social_insurance true), or None.

    For reading the answer to a question about ``fact``: there the fact's words state it about
    the person answering, which the same words inside a question need not do.
    """
    pattern = fact_pattern(fact)
    if pattern is None:
        return None
    form = keyword_form(text)
    for start, end in _clauses(text, 0, len(text)):
        if pattern.search(form[start:end]):
            value = interpret(fact, text[start:end])
            if value is not None:
                return value
    return None


_A_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")


def stated_together(text: str) -> list[tuple[int, int, str, Any]]:
    """(start, end, fact, value) of each fact that words of every list of fact_values.yml
    `together` state in one clause (or, for a rule `within: sentence`, one sentence), however
    far apart ("I graduated from a university in Shenyang this summer"); a clause that asks
    something, holds a negation, names a year or words of another reading (`unless`) states
    none (in a sentence: a clause holding one of the words)."""
    form = keyword_form(text)
    keywords = fact_keywords()
    found: list[tuple[int, int, str, Any]] = []
    for (fact, value), rule in keywords.together.items():
        breaks = _SENTENCE_BREAK if rule.sentence else _CLAUSE_BREAK
        for start, end in _clauses(form, 0, len(form), breaks):
            spans = [[span for word in words for span in find_keyword(word, form[start:end])]
                     for words in rule.lists]
            if not all(spans):
                continue
            first = min(a for group in spans for a, _ in group)
            last = max(b for group in spans for _, b in group)
            # (where the words stand: a clause, or in a sentence the clause of each list's
            # first word, and the part of it up to that word)
            words = [(start + group[0][0], start + group[0][1]) for group in spans]
            clauses = ([(clause_start(form, a), _following_break(form, b)[0]) for a, b in words]
                       if rule.sentence else [(start, end)])
            upto = ([(clause_start(form, a), b) for a, b in words]
                    if rule.sentence else [(start, start + last)])
            # a negation counts up to the words ("I haven't graduated this year"), not after
            # them ("I graduated three years ago and still have no job")
            if any(is_question_clause(form, a, b) for a, b in clauses) \
                    or any(_negated(form[a:b], keywords) for a, b in upto) \
                    or any(_A_YEAR.search(form[a:b]) for a, b in clauses) \
                    or any(find_keyword(word, form[a:b]) for word in rule.unless
                           for a, b in clauses):
                continue
            found.append((start + first, start + last, fact, interpret(fact, value)))
    return found


def _clauses(text: str, start: int, end: int,
             breaks: re.Pattern[str] | None = None) -> list[tuple[int, int]]:
    """The non-empty clauses (or parts cut by other ``breaks``) of ``text[start:end]``,
    stripped of white space."""
    parts: list[tuple[int, int]] = []
    position = start
    for match in (breaks or _CLAUSE_BREAK).finditer(text, start, end):
        parts.append((position, match.start()))
        position = match.end()
    parts.append((position, end))
    parts = [_strip(text, a, b) for a, b in parts]
    return [(a, b) for a, b in parts if a < b]


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _reads_in_clause(entity: str) -> bool:
    definition = load_rules().facts.get(entity)
    return definition is not None and definition.type in ("bool", "enum")


def is_outside(place_id: str) -> bool:
    """Whether a place id names no place of Liaoning or Shandong."""
    place = vocabulary.resolve_place(place_id)
    return place is None or bool(place.outside)
