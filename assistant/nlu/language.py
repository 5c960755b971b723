"""Which language to answer in: `detect_lang(text) -> "zh" | "en"`.

A message is Chinese when its Han characters outnumber its Latin words, names excepted:
place names and policy terms ("Dandong", "大连", "合法稳定住所") are quoted in either language
and say nothing about the language of the sentence around them. So "我在Dandong工作" is
Chinese, "Can I settle in 大连?" and "What is 合法稳定住所?" are English. Only when the message
is nothing but names are the names counted. Empty or emoji-only messages are Chinese.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Literal

from policies import vocabulary

from .normalise import CJK_CHARS, normalise

__all__ = ["Lang", "detect_lang"]

Lang = Literal["zh", "en"]

_CJK_RUN = re.compile(f"[{CJK_CHARS}]+")
_LATIN_WORD = re.compile(r"[A-Za-z\u00c0-\u024f]+(?:['’-][A-Za-z\u00c0-\u024f]+)*")


@lru_cache(maxsize=1)
def _names() -> tuple[frozenset[str], frozenset[str], int]:
    """Han names (longest first matching needs the maximum length) and Latin names."""
    han = {name for name in vocabulary.jieba_terms() if _CJK_RUN.fullmatch(name)}
    han.update(
        name for name in vocabulary.place_surface_forms() if _CJK_RUN.fullmatch(normalise(name))
    )
    latin = {name for name in vocabulary.place_surface_forms() if _LATIN_WORD.fullmatch(name)}
    latin.add("hukou")
    return frozenset(han), frozenset(latin), max(map(len, han), default=0)


def _han_outside_names(run: str, names: frozenset[str], longest: int) -> int:
    """Characters of a Han run not covered by a name (greedy longest match)."""
    count = 0
    i = 0
    while i < len(run):
        for length in range(min(longest, len(run) - i), 1, -1):
            if run[i : i + length] in names:
                i += length
                break
        else:
            count += 1
            i += 1
    return count


def detect_lang(text: str) -> Lang:
    """``"zh"`` or ``"en"``, the language the message is written in."""
    text = normalise(text)
    han_names, latin_names, longest = _names()
    runs = _CJK_RUN.findall(text)
    words = [word.lower() for word in _LATIN_WORD.findall(text)]
    han = sum(_han_outside_names(run, han_names, longest) for run in runs)
    latin = sum(1 for word in words if word not in latin_names)
    if han == 0 and latin == 0:
        han, latin = sum(map(len, runs)), len(words)
    return "en" if latin > han else "zh"
