"""`LookupFeaturizer`: Rasa's RegexFeaturizer, with its lookup tables matched by a trie.

Rasa turns each lookup table into one expression, ``(entry1|entry2|…)``, and runs it over
every message: Python's `re` tries the thousands of place names one after the other at
each character, which took about a quarter of the Rasa server's CPU under load. The same
matches are found here by walking a trie of the entries, with `re`'s own rules:
- at each position the entry listed first among those that match wins (an alternation
  takes its first branch that matches, not the longest), matches do not overlap, and the
  search goes on after the end of each match, as `re.finditer` does;
- without `case_sensitive`, a character matches the characters `re.IGNORECASE` lets it
  match: those with the same simple lower case, or of the same class of `re`'s own list of
  extra equivalences ("s" and "ſ").
A pattern that is not such a list of literal entries (a regex of the training data, word
boundaries) is matched with `re`, as before. The features and the tokens' `pattern` marks
are those of RegexFeaturizer: tests/nlu/test_nlu_lookup_featurizer.py compares both.
"""

from __future__ import annotations

import _sre
import re
import sre_compile
from functools import lru_cache
from typing import Any

import numpy as np
import scipy.sparse
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.featurizers.sparse_featurizer.regex_featurizer import RegexFeaturizer
from rasa.shared.nlu.constants import ACTION_TEXT, RESPONSE, TEXT
from rasa.shared.nlu.training_data.message import Message

__all__ = ["LookupFeaturizer", "Literals", "literal_entries"]

#: an entry escaped by `re.escape`: escaped characters and any but `\` and `|`
_ESCAPED_ENTRY = re.compile(r"(?:\\.|[^\\|])+", re.DOTALL)
_ESCAPE = re.compile(r"\\(.)", re.DOTALL)


def literal_entries(pattern: str) -> list[str] | None:
    """The entries of a lookup table's expression as Rasa writes it without word boundaries
    (``(`` + ``|``.join of the escaped entries + ``)``), or None for any other expression."""
    if not (pattern.startswith("(") and pattern.endswith(")")):
        return None
    entries = [_ESCAPE.sub(r"\1", part) for part in _ESCAPED_ENTRY.findall(pattern[1:-1])]
    if "(" + "|".join(re.escape(entry) for entry in entries) + ")" != pattern:
        return None
    return entries


@lru_cache(maxsize=8192)
def _folded_char(char: str) -> str:
    """The character standing for all those `re.IGNORECASE` matches ``char`` with."""
    lower = _sre.unicode_tolower(ord(char))
    # re's own table of the characters it also takes as equal ignoring case (no type stub)
    equivalents = sre_compile._ignorecase_fixes.get(lower, ())  # type: ignore[attr-defined]
    return chr(min((lower, *equivalents)))


def _fold(text: str) -> str:
    return "".join(map(_folded_char, text))


class _Node:
    __slots__ = ("children", "entry")

    def __init__(self) -> None:
        self.children: dict[str, _Node] = {}
        self.entry: int | None = None  # the position in the list of the first entry ending here


class Literals:
    """The spans `re.finditer` finds for an alternation of literal ``entries``."""

    def __init__(self, entries: list[str], ignore_case: bool) -> None:
        self.ignore_case = ignore_case
        self.root = _Node()
        for position, entry in enumerate(entries):
            node = self.root
            for char in self._form(entry):
                node = node.children.setdefault(char, _Node())
            if node.entry is None:
                node.entry = position

    def _form(self, text: str) -> str:
        return _fold(text) if self.ignore_case else text

    def spans(self, text: str) -> list[tuple[int, int]]:
        form = self._form(text)
        found: list[tuple[int, int]] = []
        start, length = 0, len(form)
        while start < length:
            node: _Node | None = self.root
            best, best_end = None, start
            end = start
            while end < length and node is not None:
                node = node.children.get(form[end])
                end += 1
                if node is not None and node.entry is not None and (
                        best is None or node.entry < best):
                    best, best_end = node.entry, end
            if best is None:
                start += 1
            else:
                found.append((start, best_end))
                start = best_end
        return found


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=True)
class LookupFeaturizer(RegexFeaturizer):
    """RegexFeaturizer with its lookup tables matched by a trie (see the module docstring)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._matchers: dict[str, Literals | None] = {}

    def _spans(self, pattern: str, text: str) -> list[tuple[int, int]]:
        if pattern not in self._matchers:
            entries = literal_entries(pattern)
            self._matchers[pattern] = (
                None if entries is None else Literals(entries, not self.case_sensitive))
        matcher = self._matchers[pattern]
        if matcher is None:
            flags = 0 if self.case_sensitive else re.IGNORECASE
            return [match.span() for match in re.finditer(pattern, text, flags=flags)]
        return matcher.spans(text)

    def _features_for_patterns(
        self, message: Message, attribute: str
    ) -> tuple[scipy.sparse.coo_matrix | None, scipy.sparse.coo_matrix | None]:
        text = message.get(attribute)
        tokens = message.get(TOKENS_NAMES[attribute], [])
        if not text or not tokens:
            return None, None
        sequence = np.zeros([len(tokens), len(self.known_patterns)])
        sentence = np.zeros([1, len(self.known_patterns)])
        marks: list[dict[str, bool]] = [token.get("pattern", default={}) for token in tokens]
        for index, pattern in enumerate(self.known_patterns):
            spans = self._spans(pattern["pattern"], text)
            for position, token in enumerate(tokens):
                hit = any(token.start < end and token.end > start for start, end in spans)
                marks[position][pattern["name"]] = hit
                if hit:
                    sequence[position][index] = 1.0
                    if attribute in (RESPONSE, TEXT, ACTION_TEXT):
                        sentence[0][index] = 1.0
        for token, patterns in zip(tokens, marks, strict=True):
            token.set("pattern", patterns)
        return scipy.sparse.coo_matrix(sequence), scipy.sparse.coo_matrix(sentence)
