"""Length-preserving text normalisation applied to every message before tokenisation.

Entity annotations and predictions are character offsets, so the normalised text must have
exactly the length of the original: offsets computed on one are valid on the other. Two things
are folded:

- traditional Chinese characters to simplified ones (OpenCC ``t2s``); the phrase-level
  conversion is used when it keeps the length, otherwise each character is converted alone;
- compatibility forms (full-width ASCII letters, digits and punctuation, the ideographic
  space, CJK compatibility ideographs, ...) to their NFKC form, when that form is a single
  character.

Everything else (emoji, HTML, line breaks, letter case) is kept as it is.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import opencc

__all__ = ["CJK_CHARS", "normalise"]

# Han ideographs (basic, extension A, compatibility, supplementary planes) and 〇 (used as a
# digit in dates); shared by the tokenizer and the language detector.
CJK_CHARS = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_CJK_RUN = re.compile(f"[{CJK_CHARS}]+")
_ASCII = re.compile(r"[\x00-\x7f]*")


@lru_cache(maxsize=1)
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


@lru_cache(maxsize=8192)
def _compat_char(char: str) -> str:
    folded = unicodedata.normalize("NFKC", char)
    return folded if len(folded) == 1 else char


@lru_cache(maxsize=8192)
def _simplified_char(char: str) -> str:
    converted: str = _converter().convert(char)
    return converted if len(converted) == 1 else char


def _to_simplified(run: str) -> str:
    converted: str = _converter().convert(run)
    if len(converted) == len(run):
        return converted
    return "".join(_simplified_char(char) for char in run)


def _fold_compat(text: str) -> str:
    if _ASCII.fullmatch(text):
        return text
    return "".join(char if char < "\x80" else _compat_char(char) for char in text)


def normalise(text: str) -> str:
    """Return ``text`` in simplified characters with compatibility forms folded.

    ``len(normalise(text)) == len(text)`` always holds.
    """
    if not text:
        return text
    folded = _fold_compat(text)
    return _CJK_RUN.sub(lambda match: _to_simplified(match.group()), folded)
