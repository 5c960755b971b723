"""English key words typed one letter wrong, read as the key word ("socail insurance",
"colege", "residnce permit"), and words typed short as the word (fact_values.yml
`shorthand`: "wrk", "ss"), and the pinyin names of places of the two provinces typed with
two letters swapped or one wrong ("Dailan", "Shenayng", "qingdoa": `place_names_corrected`),
or with one dropped or added ("shenyng": `places_mistyped`); the names of places outside
them too ("Harbinn"), which are then not covered.

A word is corrected only when it is no English word (its frequency in spaCy's English lexeme
table is under `KNOWN_LOG_PROB`, so "least" never becomes "lease") nor a word of a place's
name ("Jining" is no "joining"), has at least `MIN_LENGTH` letters (or one fewer, when a
letter was dropped: "renw"), and exactly one word of the English keywords of fact_values.yml
is one edit away (a letter added, dropped, changed, or two neighbours swapped); or, whatever the
word, when exactly one key word one edit away makes a keyword's two words with the word
before or after it ("socal security", where "socal" is in the lexicon).
"""

from __future__ import annotations

import gzip
import json
import re
from functools import cache, lru_cache
from pathlib import Path

import spacy_lookups_data

from policies import load_rules, vocabulary

from .derived_cache import cached_words
from .facts import fact_keywords

KNOWN_LOG_PROB = -16.0
#: how many words typed by users the corrections remember (bounded: a server sees any words)
WORDS_REMEMBERED = 4096
MIN_LENGTH = 5
_WORD = re.compile(r"[A-Za-z]+")
_LEXEME_PROB = Path(spacy_lookups_data.__file__).parent / "data" / "en_lexeme_prob.json.gz"


@cache
def known_words() -> frozenset[str]:
    """English words frequent enough never to be taken for a typing error (read from
    var/cache/ after the first start: parsing spaCy's table of a million words takes about
    a second)."""
    return cached_words("en_known_words", _LEXEME_PROB.read_bytes(), str(KNOWN_LOG_PROB),
                        _frequent_words)


def _frequent_words(lexeme_prob: bytes) -> list[str]:
    probs: dict[str, float] = json.loads(gzip.decompress(lexeme_prob))
    return [w for w, p in probs.items() if p > KNOWN_LOG_PROB and w.isalpha()]


@cache
def keyword_words() -> frozenset[str]:
    """The English words of every keyword list in fact_values.yml."""
    keywords = fact_keywords()
    phrases = [*keywords.vocabulary(), *keywords.question_words["en"]]
    return frozenset(w for phrase in phrases for w in _WORD.findall(phrase.lower())
                     if len(w) >= MIN_LENGTH - 1)


def _one_edit(a: str, b: str) -> bool:
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        return len(diff) == 1 or (
            len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]]
            and a[diff[1]] == b[diff[0]]
        )
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1:] == short for i in range(len(long)))


@cache
def keyword_pairs() -> frozenset[tuple[str, str]]:
    """Each two neighbouring words of the English keywords ("social security")."""
    keywords = fact_keywords()
    pairs: set[tuple[str, str]] = set()
    for phrase in keywords.vocabulary():
        words = _WORD.findall(phrase.lower())
        pairs.update(zip(words, words[1:], strict=False))
    return frozenset(pairs)


@lru_cache(maxsize=WORDS_REMEMBERED)
def _keywords_one_edit(word: str) -> frozenset[str]:
    """The key words one edit from ``word`` (lower case): the scan of every key word, done
    once per word whatever its neighbours."""
    return frozenset(w for w in keyword_words() if _one_edit(word, w))


def correction(word: str, before: str = "", after: str = "") -> str | None:
    """The key word a mistyped word stands for, or None: the one key word one edit away, or
    of several, the one that makes a keyword's two words with a neighbour (``before``,
    ``after``, lower case), which also corrects an English word ("socal security": social
    security)."""
    lower = word.lower()
    # (a place's name is no mistyped key word: "Jining" is not "joining")
    if len(lower) < MIN_LENGTH - 1 or lower in keyword_words() or lower in _place_words():
        return None
    found = set(_keywords_one_edit(lower))
    if len(lower) < MIN_LENGTH:
        # a word one letter short of a key word ("renw": renew), no other edit of so short
        # a word
        found = {w for w in found if len(w) == len(lower) + 1}
    paired = {w for w in found if {(before, w), (w, after)} & keyword_pairs()}
    if len(paired) == 1:
        return paired.pop()
    # the English lexicon is loaded only when a word is one edit from a key word
    if not found or lower in known_words():
        return None
    if len(found) == 1:
        return found.pop()
    # several key words that all say one thing ("rentd": rent, rents, rented) say it
    meanings = [_meanings().get(w, frozenset()) for w in found]
    if all(meanings) and frozenset.intersection(*meanings):
        return max(sorted(found), key=len)
    return None


@cache
def _meanings() -> dict[str, frozenset[tuple[str, str]]]:
    """The (fact, value) pairs each English key word of one word says alone."""
    meanings: dict[str, set[tuple[str, str]]] = {}
    for fact, value, keyword in fact_keywords().all_keywords():
        if _WORD.fullmatch(keyword):
            meanings.setdefault(keyword.lower(), set()).add((fact, value))
    return {word: frozenset(pairs) for word, pairs in meanings.items()}


#: one-letter words a run-on word may begin with ("aflat", "imarried")
_ONE_LETTER = frozenset({"a", "i"})


@lru_cache(maxsize=WORDS_REMEMBERED)
def split_run_on(word: str) -> str | None:
    """Two words typed without the space between them, when one is a key word or both
    make a keyword's two words ("socialinsurance", "workthere", "myhukou"): the two words,
    else None. A word that is (or inflects) an English word, a key word, a negation or the
    name of a place is never split; of several ways to split, the one making a keyword's
    two words, else the longer key word, wins."""
    lower = word.lower()
    if len(lower) < MIN_LENGTH + 1 or _a_word(lower) or lower in fact_keywords().negation \
            or lower in _place_words():
        return None
    keys, known, pairs = keyword_words(), known_words(), keyword_pairs()
    best: tuple[int, str] | None = None
    for i in range(1, len(lower) - 2):
        a, b = lower[:i], lower[i:]
        if not (a in keys or (a in known and len(a) > 1) or a in _ONE_LETTER) \
                or not (b in keys or b in known):
            continue
        rank = 100 if (a, b) in pairs else max((len(w) for w in (a, b) if w in keys), default=0)
        if rank and (best is None or rank > best[0]):
            best = (rank, f"{a} {b}")
    return best[1] if best else None


def _a_word(lower: str) -> bool:
    """Whether ``lower`` is a key word, an English word, or one inflected ("payslips")."""
    stems = [lower, lower[:-1], lower[:-2], lower[:-3]]
    return lower in keyword_words() or any(
        stem in known_words() for stem, ending in zip(stems, ("", "s", "es", "ing"), strict=True)
        if lower.endswith(ending) and len(stem) >= MIN_LENGTH - 1)


def corrected(text: str) -> tuple[str, list[int]]:
    """``text`` with its mistyped key words corrected, and for each character of the result
    the offset in ``text`` it stands for (plus one entry for the end)."""
    out: list[str] = []
    origin: list[int] = []
    position = 0
    words = list(_WORD.finditer(text))
    for i, match in enumerate(words):
        if text[match.end() : match.end() + 1] in ("'", "’") and \
                _WORD.match(text, match.end() + 1):
            continue  # a contraction ("haven't") is no mistyped word
        before = words[i - 1].group(0).lower() if i else ""
        after = words[i + 1].group(0).lower() if i + 1 < len(words) else ""
        fix = fact_keywords().shorthand.get(match.group(0).lower()) \
            or correction(match.group(0), before, after) or split_run_on(match.group(0))
        if fix is None:
            continue
        out.append(text[position : match.start()])
        origin += range(position, match.start())
        out.append(fix)
        origin += [min(match.start() + i, match.end() - 1) for i in range(len(fix))]
        position = match.end()
    out.append(text[position:])
    origin += range(position, len(text))
    origin.append(len(text))
    return "".join(out), origin


#: how strongly a kind of place is meant when a mistyped word is one edit from two names: a
#: city or a province before a county, a county before a district ("Fushn" is Fushun, not
#: Yantai's Fushan district), a place of the two provinces before one outside them ("Yanti"
#: is Yantai, not Jilin's Yanji)
_RANK = {"province": 4, "prefecture_city": 4, "county_level_city": 3, "outside_province": 2,
         "outside_city": 2, "county": 1}
#: names this much shorter than MIN_LENGTH are still read as a place, when one letter is
#: dropped from a city or province ("Fuxn": Fuxin)
_SHORT_CITY = 1


@cache
def _place_names() -> dict[int, dict[str, int]]:
    """The one-word English names of places, those outside the two provinces too (a
    mistyped "Harbinn" is not covered, not unknown), by length, with their `_RANK`."""
    places = load_rules().places
    by_length: dict[int, dict[str, int]] = {}
    for name, place_id in vocabulary.place_surface_forms().items():
        place = places.get(place_id)
        if place is not None and name.isalpha() and name.isascii() and len(name) >= MIN_LENGTH:
            by_length.setdefault(len(name), {})[name] = _RANK.get(place.kind, 0)
    return by_length


@cache
def _place_words() -> frozenset[str]:
    """Every word of every English name or id of a place, ambiguous names included
    ("Shizhong District", which names no single place)."""
    names = [*vocabulary.place_mention_names(), *vocabulary.place_surface_forms().values()]
    return frozenset(word for name in names for word in _WORD.findall(name.lower()))


@lru_cache(maxsize=WORDS_REMEMBERED)
def _place_one_edit(word: str) -> str | None:
    """The place name ``word`` is one edit from (a letter wrong, two swapped, one dropped or
    added); of several, the one of the highest `_RANK` if no other shares it; None for the
    name of any place, an English word, a key word, or a word as near two names of the same
    rank."""
    # a place's own name, outside the two provinces too ("Chengdu" is not Chengwu mistyped),
    # or a word of one ("Lianshan" is Huludao's district, not Anshan's Qianshan)
    if word in _place_words() or word in keyword_words():
        return None
    found = {name: rank for length in (len(word) - 1, len(word), len(word) + 1)
             for name, rank in _place_names().get(length, {}).items() if _one_edit(word, name)}
    if len(word) < MIN_LENGTH:
        found = {name: rank for name, rank in found.items() if rank == max(_RANK.values())}
    best = max(found.values(), default=None)
    top = [name for name, rank in found.items() if rank == best]
    if len(top) != 1 or word in known_words():
        return None
    return top[0]


def places_mistyped(text: str) -> list[tuple[int, int, str]]:
    """(start, end, place id) of the English names of places of the two provinces typed
    with a letter dropped or added ("shenyng", "dallian"), which `place_names_corrected`,
    keeping the length, leaves."""
    found = []
    for match in _WORD.finditer(text):
        word = match.group(0).lower()
        if len(word) < MIN_LENGTH - _SHORT_CITY:
            continue
        name = _place_one_edit(word)
        if name is not None and len(name) != len(word):
            found.append((match.start(), match.end(), vocabulary.place_surface_forms()[name]))
    return found


def load() -> None:
    """Build the index of place names (and of their words) and load the English lexicon
    now, not on the first message."""
    _place_names()
    _place_words()
    known_words()


def place_names_corrected(text: str) -> str:
    """``text`` with the English names of places typed with one letter wrong or two
    swapped corrected, in lower case; the length never changes, so that it can run before
    the tokenizer (as the Chinese homophones do). A word that is an English word or a key
    word, or one edit from two names, stays."""
    def fix(match: re.Match[str]) -> str:
        word = match.group(0)
        if len(word) < MIN_LENGTH:
            return word
        name = _place_one_edit(word.lower())
        return name if name is not None and len(name) == len(word) else word

    return _WORD.sub(fix, text)
