"""Vocabulary for the NLU, generated from the policy data (never retyped).

- `place_surface_forms()`: every way a place is written -> place id;
- `place_mention_names()`: those forms and the ambiguous names (a place is named, but which
  one the assistant has to ask);
- `resolve_place(text)`: the place a mention names (see `PlaceIndex.resolve`);
- `jieba_terms()`: words for the jieba user dictionary (place names, glossary terms,
  document names).

Results are cached per data directory. Glossary and document files that do not exist (yet)
are skipped here; `policies.loader` is what reports missing or invalid files.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from opencc import OpenCC

from .places import Place, PlaceIndex, load_places, name_key, normalise

DATA_DIR = Path(__file__).parent / "data"

_CJK = re.compile(r"[\u3400-\u9fff]")
#: separators inside a document name ("不动产权证书/房屋所有权证", "纳税证明或减免税证明" stays)
_SEPARATORS = re.compile(r"[/／、,，;；]")
_BRACKETED = re.compile(r"[（(][^）)]*[）)]")
_QUOTES = re.compile(r"[“”‘’\"'「」《》]")
_s2t = OpenCC("s2t")


@cache
def place_index(data_dir: Path = DATA_DIR) -> PlaceIndex:
    """The validated place index of `data_dir` (cached)."""
    return load_places(data_dir)


@cache
def _surface_forms(data_dir: Path, include_single_char: bool) -> dict[str, str]:
    index = place_index(data_dir)
    forms: dict[str, str] = {}
    for place in index.all():
        for name in index.names(place):
            if len(name_key(name)) < 2 and not include_single_char:
                continue
            for variant in _written_forms(name):
                forms.setdefault(variant, place.id)
    return forms


def _written_forms(name: str) -> list[str]:
    """An English name in lower case; a Chinese one as written and in traditional script."""
    return [name.lower()] if name.isascii() else [name, str(_s2t.convert(name))]


def place_surface_forms(
    data_dir: Path = DATA_DIR, include_single_char: bool = False
) -> dict[str, str]:
    """Every name of every place (simplified and traditional Chinese, English in lower case,
    with and without 市/县/区/City, ids) -> place id. Outside places are included with their
    own ids. Names listed as ambiguous in outside.yml are not (they name no single place).
    Single-character names (辽, 鲁, 京 …) only with `include_single_char`."""
    return dict(_surface_forms(data_dir, include_single_char))


@cache
def _mention_names(data_dir: Path) -> frozenset[str]:
    names = set(_surface_forms(data_dir, False))
    for name in place_index(data_dir).ambiguous_names():
        names.update(_written_forms(name))
    return frozenset(names)


def place_mention_names(data_dir: Path = DATA_DIR) -> frozenset[str]:
    """Every name that mentions a place, written as in `place_surface_forms` (English in
    lower case): the forms of `place_surface_forms` and the ambiguous names (东港, 铁西,
    Donggang), which name a place although not a single one."""
    return _mention_names(data_dir)


def resolve_place(text: str, data_dir: Path = DATA_DIR) -> Place | None:
    """The place `text` mentions: 北京朝阳区 -> beijingchaoyang, 朝阳 -> chaoyang,
    大連市 -> dalian; None if none (or only an ambiguous name such as 朝阳区)."""
    return place_index(data_dir).resolve(text)


def _read(path: Path) -> Any:
    if not path.is_file():
        return None
    with path.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def _entries(data: Any, key: str) -> list[dict[str, Any]]:
    section = data.get(key) if isinstance(data, dict) else None
    if not isinstance(section, dict):
        return []
    return [entry for entry in section.values() if isinstance(entry, dict)]


def _zh_names(entry: dict[str, Any]) -> list[str]:
    """The Chinese name and Chinese aliases of a glossary term or document type."""
    names: list[str] = []
    for field in ("name", "aliases"):
        value = entry.get(field)
        if isinstance(value, dict):
            zh = value.get("zh")
            names += [zh] if isinstance(zh, str) else [v for v in zh or [] if isinstance(v, str)]
    return names


def _term_words(name: str) -> list[str]:
    """劳动（聘用）合同 -> 劳动合同; 不动产权证书/房屋所有权证 -> both parts."""
    words = []
    for part in _SEPARATORS.split(_QUOTES.sub("", _BRACKETED.sub("", name))):
        word = normalise(part).strip()
        if _CJK.search(word) and not re.search(r"\s", word):
            words.append(word)
    return words


@cache
def _jieba_terms(data_dir: Path) -> tuple[str, ...]:
    terms: set[str] = set()
    index = place_index(data_dir)
    for place in index.all():
        for name in index.names(place):
            if _CJK.search(name) and len(name) >= 2:
                terms.add(normalise(name))
    terms.update(normalise(name) for name in index.ambiguous_names() if _CJK.search(name))
    for file, key in (("glossary.yml", "terms"), ("doc_types.yml", "doc_types")):
        for entry in _entries(_read(data_dir / file), key):
            for name in _zh_names(entry):
                terms.update(_term_words(name))
    return tuple(sorted(terms))


def jieba_terms(data_dir: Path = DATA_DIR) -> list[str]:
    """Chinese words for the jieba user dictionary: place names and aliases (simplified),
    ambiguous place names, glossary term names and aliases, document type names."""
    return list(_jieba_terms(data_dir))
