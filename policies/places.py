"""Places of Liaoning and Shandong (and the outside places people confuse with them).

`load_places(data_dir)` reads ``places/liaoning.yml``, ``places/shandong.yml`` and
``places/outside.yml``, validates them and returns a `PlaceIndex` that resolves a mention
("大連市", "Dalian City", "北京朝阳区", "辽宁朝阳") to a `Place`.

Matching works on normalised text: full-width to half-width (NFKC), traditional to simplified
(OpenCC ``t2s``), lower case, without spaces, apostrophes and hyphens. At each position the
longest known name wins, so 北京朝阳区 is Beijing's district and never Liaoning's 朝阳.
A Latin name only matches whole words. Single-character names (辽, 鲁, 京 …) only match when
they are the whole message.

Every name of a place is either explicit (``zh``, ``en``, ``aliases``) or derived (the name
without 市/县/区, the id, "<en> City"/"<en> Shi", "<en> Province"); ``bare: false`` switches
off the short name and the id. A name that maps to two places is an error, as is a name
listed under ``ambiguous`` (several places, the assistant asks) that is also a place's name.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from opencc import OpenCC
from pydantic import BaseModel, ValidationError

from .datafile import Problem, RulesError, read_yaml

Kind = Literal[
    "province",
    "prefecture_city",
    "county_level_city",
    "county",
    "district",
    "outside_province",
    "outside_city",
    "outside_district",
]

#: file name -> the province its places belong to (None: outside the two provinces)
PLACE_FILES: dict[str, str | None] = {
    "liaoning.yml": "liaoning",
    "shandong.yml": "shandong",
    "outside.yml": None,
}
TIERS: dict[str, tuple[str, ...]] = {
    "liaoning": ("megacity", "big_city", "medium_city", "small_city_town"),
    "shandong": ("urban", "qingdao_central"),
}
INSIDE_KINDS = ("province", "prefecture_city", "county_level_city", "county", "district")
OUTSIDE_KINDS = ("outside_province", "outside_city", "outside_district")
PROVINCE_KINDS = ("province", "outside_province")
CITY_KINDS = ("prefecture_city", "county_level_city", "outside_city")
#: kinds whose parent is the prefecture city of the same province
CHILD_KINDS = ("county_level_city", "county", "district")

ID_RE = re.compile(r"^[a-z]+$")
#: suffixes stripped to derive the short name; names of autonomous areas and SARs give none
_NO_SHORT = ("自治县", "自治区", "自治州", "特别行政区")
#: the words a Chinese place name ends with, which its short name leaves out
SUFFIXES = ("新区", "省", "市", "县", "区")
#: English words that may follow a Latin name and belong to the mention ("Kangping Xian")
_SUFFIX_WORDS: dict[str, tuple[str, ...]] = {
    "province": ("province", "sheng"),
    "outside_province": ("province", "sheng"),
    "prefecture_city": ("city", "shi"),
    "county_level_city": ("city", "shi"),
    "outside_city": ("city", "shi"),
    "county": ("county", "xian"),
    "district": ("district", "qu"),
    "outside_district": ("district", "qu"),
}
_DROPPED = frozenset("'’‘`-‐–·・_")

_t2s = OpenCC("t2s")


class Place(BaseModel):
    """One place. Immutable; `id` is the key it has in its YAML file."""

    id: str
    zh: str
    en: str
    kind: Kind
    province: Literal["liaoning", "shandong"] | None
    #: for an outside place: the outside province it lies in (for wording)
    in_province: str | None = None
    parent: str | None
    tier: str | None
    #: False: the name without 市/县/区 and the id are not names of this place
    bare: bool = True
    aliases: list[str] = []

    class Config:
        extra = "forbid"
        allow_mutation = False

    @property
    def outside(self) -> bool:
        return self.kind in OUTSIDE_KINDS


class _Ambiguous(BaseModel):
    names: list[str]
    candidates: list[str]
    note: str

    class Config:
        extra = "forbid"


class _PlacesFile(BaseModel):
    places: dict[str, dict[str, Any]]
    ambiguous: list[_Ambiguous] = []
    not_places: list[str] = []

    class Config:
        extra = "forbid"


@dataclass(frozen=True)
class Mention:
    """A place name found in a text. `place` is None for an ambiguous name (`candidates`
    then lists what it may mean) and for a word that only looks like a place."""

    start: int
    end: int
    text: str
    place: Place | None
    candidates: tuple[Place, ...] = ()

    @property
    def ambiguous(self) -> bool:
        return bool(self.candidates)


@dataclass(frozen=True)
class _Target:
    place: str | None
    candidates: tuple[str, ...] = ()


def normalise(text: str) -> str:
    """NFKC (full-width to half-width), traditional to simplified, lower case."""
    return str(_t2s.convert(unicodedata.normalize("NFKC", text))).lower()


def _dropped(ch: str) -> bool:
    return ch.isspace() or ch in _DROPPED


def name_key(name: str) -> str:
    """The key a name is matched by: normalised, without spaces, apostrophes, hyphens."""
    return "".join(ch for ch in normalise(name) if not _dropped(ch))


def _latin(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def short_name(zh: str) -> str | None:
    """大连市 -> 大连, 沈北新区 -> 沈北; None for autonomous areas and one-character results."""
    if zh.endswith(_NO_SHORT):
        return None
    for suffix in SUFFIXES:
        if zh.endswith(suffix) and len(zh) - len(suffix) >= 2:
            return zh[: -len(suffix)]
    return None


def place_names(place: Place) -> Iterator[tuple[str, bool]]:
    """Every name of `place` as written, with True for an explicit one (zh, en, aliases)."""
    yield place.zh, True
    yield place.en, True
    for alias in place.aliases:
        yield alias, True
    if place.bare:
        short = short_name(place.zh)
        if short:
            yield short, False
        yield place.id, False
        if place.kind in CITY_KINDS and not place.en.lower().endswith(" city"):
            yield f"{place.en} City", False
            yield f"{place.en} Shi", False
    if place.kind in PROVINCE_KINDS and place.zh.endswith("省"):
        yield f"{place.en} Province", False


class _Text:
    """A text prepared for matching: normalised characters without spaces, each with the
    offset of the original character it comes from."""

    def __init__(self, text: str):
        pieces = [unicodedata.normalize("NFKC", ch) for ch in text]
        joined = "".join(pieces)
        converted = str(_t2s.convert(joined))
        if len(converted) != len(joined):  # a phrase conversion changed the length
            # (character by character, keeping one that converts to other than one character:
            # OpenCC drops a NUL)
            converted = "".join(c if len(c := str(_t2s.convert(ch))) == 1 else ch
                                for ch in joined)
        origin = [i for i, piece in enumerate(pieces) for _ in piece]
        chars: list[str] = []
        self.origin: list[int] = []
        #: sep[i]: a space (or apostrophe, hyphen) came before chars[i]; sep[len] is True
        self.sep: list[bool] = []
        gap = True
        for ch, at in zip(converted, origin, strict=True):
            for low in ch.lower():
                if _dropped(low):
                    gap = True
                    continue
                chars.append(low)
                self.origin.append(at)
                self.sep.append(gap)
                gap = False
        self.sep.append(True)
        self.chars = "".join(chars)
        self.text = text

    def boundary(self, i: int) -> bool:
        """No Latin word continues across position i."""
        if self.sep[i]:
            return True
        return not (_latin(self.chars[i - 1]) and _latin(self.chars[i]))

    def span(self, start: int, end: int) -> tuple[int, int]:
        return self.origin[start], self.origin[end - 1] + 1


class PlaceIndex:
    """All places, and resolution of place names in free text."""

    def __init__(
        self,
        places: list[Place],
        forms: dict[str, _Target],
        single: dict[str, str],
        ambiguous: list[str],
    ):
        self._places = {p.id: p for p in places}
        self._forms = forms
        self._single = single
        self._ambiguous = ambiguous
        self._max_len = max((len(k) for k in forms), default=0)

    def get(self, place_id: str) -> Place | None:
        return self._places.get(place_id)

    def all(self) -> list[Place]:
        return list(self._places.values())

    def in_province(self, province: str) -> list[Place]:
        """Places of `province` (its own entry included); for an outside province, the
        outside places that lie in it."""
        return [p for p in self._places.values() if province in (p.province, p.in_province)]

    def ambiguous_names(self) -> list[str]:
        """Names that may mean several places (朝阳区, 铁西区 …), as written."""
        return list(self._ambiguous)

    def names(self, place: Place) -> list[str]:
        """The names `place` is known by, as written (zh, English, aliases, derived short
        names and ids), without those overridden by `not_places`."""
        found = []
        for name, _ in place_names(place):
            key = name_key(name)
            target = self._forms.get(key)
            if (target is not None and target.place == place.id) or self._single.get(key) == (
                place.id
            ):
                found.append(name)
        return found

    def city_of(self, place: Place) -> Place | None:
        """The prefecture-level city a place belongs to (itself for a city); None for a
        province. An outside district gives its city or municipality."""
        if place.kind in ("prefecture_city", "outside_city"):
            return place
        if place.kind in CHILD_KINDS or place.kind == "outside_district":
            return self._places[place.parent] if place.parent else None
        return None

    def settlement_place(self, place: Place) -> Place | None:
        """The entry whose tier decides the rule: the city for an urban district, the place
        itself for a city, county-level city or county; None for a province or an outside
        place."""
        if place.outside or place.kind == "province":
            return None
        if place.kind == "district":
            return self.city_of(place)
        return place

    def ancestors(self, place: Place) -> list[str]:
        """Ids of the places `place` lies in (parent chain and province), nearest first."""
        found: list[str] = []
        current: Place | None = place
        while current is not None and current.parent:
            found.append(current.parent)
            current = self._places.get(current.parent)
        for province in (place.province, place.in_province):
            if province and province != place.id and province not in found:
                found.append(province)
        return found

    def mentions(self, text: str) -> list[Mention]:
        """Every non-overlapping place name in `text`, in order, longest match first."""
        prepared = _Text(text)
        chars = prepared.chars
        letters = "".join(ch for ch in chars if not unicodedata.category(ch).startswith("P"))
        if len(letters) == 1 and letters in self._single:
            place = self._places[self._single[letters]]
            return [Mention(0, len(text), text, place)]
        found: list[Mention] = []
        i = 0
        while i < len(chars):
            match = self._match_at(prepared, i)
            if match is None:
                i += 1
                continue
            end, target = match
            start_at, end_at = prepared.span(i, end)
            named = self._places[target.place] if target.place else None
            candidates = tuple(self._places[c] for c in target.candidates)
            found.append(Mention(start_at, end_at, text[start_at:end_at], named, candidates))
            i = end
        return found

    def _match_at(self, prepared: _Text, i: int) -> tuple[int, _Target] | None:
        chars = prepared.chars
        if _latin(chars[i]) and not prepared.boundary(i):
            return None
        for length in range(min(self._max_len, len(chars) - i), 1, -1):
            end = i + length
            target = self._forms.get(chars[i:end])
            if target is None or (_latin(chars[end - 1]) and not prepared.boundary(end)):
                continue
            if target.place and _latin(chars[end - 1]):
                end = self._absorb_suffix(prepared, end, self._places[target.place].kind)
            return end, target
        return None

    @staticmethod
    def _absorb_suffix(prepared: _Text, end: int, kind: str) -> int:
        """Extend a Latin match over a following "City"/"Xian"/… written as its own word."""
        if not prepared.sep[end]:
            return end
        for word in _SUFFIX_WORDS[kind]:
            stop = end + len(word)
            if (
                prepared.chars.startswith(word, end)
                and not any(prepared.sep[end + 1 : stop])
                and prepared.boundary(stop)
            ):
                return stop
        return end

    def resolve_all(self, text: str) -> list[Place]:
        """The places named in `text`, in order (ambiguous names left out)."""
        return [m.place for m in self.mentions(text) if m.place is not None]

    def resolve(self, text: str) -> Place | None:
        """The place `text` names. Later mentions that lie inside the first one refine it
        ("辽宁朝阳" -> chaoyang, "辽宁省大连市瓦房店市" -> wafangdian); an unrelated later
        mention does not replace it. None when nothing (or only an ambiguous name) is found.
        A place id on its own ("donggang", "chaoyangxian") is that place."""
        exact = self._places.get(text.strip())
        if exact is not None:
            return exact
        places = self.resolve_all(text)
        if not places:
            return None
        best = places[0]
        for place in places[1:]:
            if best.id in self.ancestors(place):
                best = place
        return best


def load_places(data_dir: Path) -> PlaceIndex:
    """Read and validate ``<data_dir>/places/*.yml``; raise `RulesError` naming file and key."""
    return _Builder(data_dir / "places").build()


class _Builder:
    def __init__(self, places_dir: Path):
        self.dir = places_dir
        self.problems: list[Problem] = []
        self.places: list[Place] = []
        self.file_of: dict[str, str] = {}
        self.by_id: dict[str, Place] = {}
        self.ambiguous: list[tuple[str, _Ambiguous]] = []
        self.not_places: list[tuple[str, str]] = []

    def add(self, rel: str, key: str, message: str) -> None:
        self.problems.append(Problem(rel, key, message))

    def build(self) -> PlaceIndex:
        for name, province in PLACE_FILES.items():
            self.read(name, province)
        if self.dir.is_dir():
            for path in sorted(self.dir.glob("*.y*ml")):
                if path.name not in PLACE_FILES:
                    self.add(f"places/{path.name}", "", "unknown places file")
        self.by_id = {p.id: p for p in self.places}
        if not self.problems:
            for place in self.places:
                self.check_links(place)
        forms: dict[str, _Target] = {}
        single: dict[str, str] = {}
        if not self.problems:
            forms, single = self.index_names()
        if self.problems:
            raise RulesError(self.problems)
        names = [name for _, entry in self.ambiguous for name in entry.names]
        return PlaceIndex(self.places, forms, single, names)

    def read(self, name: str, province: str | None) -> None:
        rel = f"places/{name}"
        path = self.dir / name
        if not path.is_file():
            self.add(rel, "", "missing file")
            return
        raw = read_yaml(path, rel)
        try:
            data = _PlacesFile.parse_obj(raw)
        except ValidationError as exc:
            self._report(rel, "", exc)
            return
        for key, fields in data.places.items():
            self.read_place(rel, province, str(key), fields)
        self.ambiguous += [(rel, a) for a in data.ambiguous]
        self.not_places += [(rel, n) for n in data.not_places]

    def read_place(self, rel: str, province: str | None, key: str, fields: Any) -> None:
        where = f"places.{key}"
        if not ID_RE.match(key):
            self.add(rel, where, "bad id: lowercase letters a-z only (pinyin, no spaces)")
            return
        if not isinstance(fields, dict) or "id" in fields:
            self.add(rel, where, "must be a mapping of fields without `id` (the key is the id)")
            return
        try:
            place = Place.parse_obj({**fields, "id": key})
        except ValidationError as exc:
            self._report(rel, where, exc)
            return
        if key in self.file_of:
            self.add(rel, where, f"duplicate id (also in {self.file_of[key]})")
            return
        self.file_of[key] = rel
        self.places.append(place)
        self.check_own(rel, where, province, place)

    def _report(self, rel: str, prefix: str, exc: ValidationError) -> None:
        for err in exc.errors():
            loc = ".".join(str(part) for part in err["loc"] if part != "__root__")
            key = ".".join(part for part in (prefix, loc) if part)
            msg = {"value_error.extra": "unknown key", "value_error.missing": "missing (required)"}
            self.add(rel, key, msg.get(err["type"], err["msg"]))

    def check_own(self, rel: str, where: str, province: str | None, place: Place) -> None:
        """Checks that need only the place and its file."""
        if normalise(place.zh) != place.zh:
            self.add(rel, f"{where}.zh", f"not simplified Chinese ({normalise(place.zh)!r})")
        if province is not None:
            self.check_inside(rel, where, province, place)
        else:
            if place.kind not in OUTSIDE_KINDS:
                self.add(rel, f"{where}.kind", f"must be one of {', '.join(OUTSIDE_KINDS)}")
            if place.province is not None:
                self.add(rel, f"{where}.province", "must be null for an outside place")
            if place.tier is not None:
                self.add(rel, f"{where}.tier", "must be null for an outside place")

    def check_inside(self, rel: str, where: str, province: str, place: Place) -> None:
        if place.kind not in INSIDE_KINDS:
            self.add(rel, f"{where}.kind", f"must be one of {', '.join(INSIDE_KINDS)}")
        if place.province != province:
            self.add(rel, f"{where}.province", f"must be {province!r} in this file")
        if place.in_province is not None:
            self.add(rel, f"{where}.in_province", "only outside places have in_province")
        if place.kind == "province":
            if place.id != province:
                self.add(rel, where, f"the province entry must have the id {province!r}")
            if place.tier is not None:
                self.add(rel, f"{where}.tier", "must be null for the province")
        elif place.tier is None:
            self.add(rel, f"{where}.tier", "place has no tier")
        elif place.tier not in TIERS[province]:
            self.add(
                rel,
                f"{where}.tier",
                f"unknown tier {place.tier!r} (one of {', '.join(TIERS[province])})",
            )

    def check_links(self, place: Place) -> None:
        """Checks of parent and in_province, once every place is known."""
        rel = self.file_of[place.id]
        where = f"places.{place.id}"
        by_id = self.by_id
        parent = by_id.get(place.parent) if place.parent else None
        if place.parent and parent is None:
            self.add(rel, f"{where}.parent", f"unknown parent {place.parent!r}")
            return
        if place.kind in CHILD_KINDS:
            if (
                parent is None
                or parent.kind != "prefecture_city"
                or (parent.province != place.province)
            ):
                self.add(rel, f"{where}.parent", "must be a prefecture city of the province")
            elif place.kind == "district" and place.tier != parent.tier:
                self.add(rel, f"{where}.tier", f"a district has its city's tier ({parent.tier!r})")
        elif place.kind == "outside_district":
            if parent is None or not parent.outside:
                self.add(rel, f"{where}.parent", "must be an outside city or province")
        elif parent is not None:
            self.add(rel, f"{where}.parent", f"must be null for a {place.kind}")
        if place.kind in ("outside_city", "outside_district"):
            home = by_id.get(place.in_province) if place.in_province else None
            if home is None or home.kind != "outside_province":
                self.add(rel, f"{where}.in_province", "must name an outside province")
        elif place.in_province is not None:
            self.add(rel, f"{where}.in_province", f"must be null for a {place.kind}")

    def index_names(self) -> tuple[dict[str, _Target], dict[str, str]]:
        """Map every name key to its place; report names claimed twice."""
        forms: dict[str, _Target] = {}
        single: dict[str, str] = {}
        owner: dict[str, tuple[str, bool]] = {}  # key -> (place id, explicit)
        blocked = {name_key(name): rel for rel, name in self.not_places}
        for place in self.places:
            rel = self.file_of[place.id]
            for name, explicit in place_names(place):
                key = name_key(name)
                if not key:
                    self.add(rel, f"places.{place.id}", f"empty name {name!r}")
                    continue
                if key in blocked:
                    if explicit:
                        self.add(
                            rel,
                            f"places.{place.id}",
                            f"name {name!r} is listed under not_places ({blocked[key]})",
                        )
                    continue
                seen = owner.get(key)
                if seen is not None and seen[0] != place.id:
                    self.add(
                        rel,
                        f"places.{place.id}",
                        f"name {name!r} also names {seen[0]!r} ({self.file_of[seen[0]]}); "
                        "set `bare: false` or list it under `ambiguous`",
                    )
                    continue
                owner[key] = (place.id, explicit)
                if len(key) == 1:
                    single[key] = place.id
                else:
                    forms[key] = _Target(place.id)
        for rel, entry in self.ambiguous:
            self.add_ambiguous(rel, entry, owner, forms)
        for rel, name in self.not_places:
            key = name_key(name)
            if len(key) < 2:
                self.add(rel, "not_places", f"{name!r} is too short")
            forms[key] = _Target(None)
        return forms, single

    def add_ambiguous(
        self,
        rel: str,
        entry: _Ambiguous,
        owner: dict[str, tuple[str, bool]],
        forms: dict[str, _Target],
    ) -> None:
        for cand in entry.candidates:
            if cand not in self.by_id:
                self.add(
                    rel,
                    f"ambiguous.{entry.names[0] if entry.names else '?'}",
                    f"unknown candidate {cand!r}",
                )
        if len(entry.candidates) < 2:
            self.add(
                rel,
                f"ambiguous.{entry.names[0] if entry.names else '?'}",
                "needs at least two candidates",
            )
        for name in entry.names:
            key = name_key(name)
            if key in owner:
                self.add(rel, f"ambiguous.{name}", f"also a name of {owner[key][0]!r}")
            elif len(key) < 2 or (key in forms and forms[key].candidates):
                self.add(rel, f"ambiguous.{name}", "too short or listed twice")
            else:
                forms[key] = _Target(None, tuple(entry.candidates))
