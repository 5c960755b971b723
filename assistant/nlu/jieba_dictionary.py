"""jieba's dictionary, read once per process for the tokenizer and the homophone reader.

Reading jieba's own dictionary (its cache of about 500,000 words and prefixes) takes about
half a second; the homophone reader uses it as it is, the tokenizer with the project's
words added, so the tokenizer gets a copy instead of reading it again.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from functools import cache

import jieba

__all__ = ["plain", "with_words"]


@cache
def plain() -> jieba.Tokenizer:
    """jieba's dictionary as it is (never add words to it: it is shared)."""
    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    return tokenizer


def with_words(words: Iterable[str]) -> jieba.Tokenizer:
    """A tokenizer of its own: jieba's dictionary and `words`, as `initialize` then
    `add_word` for each word would make it (what `initialize` sets: the frequencies, their
    total, and the flag)."""
    base = plain()
    tokenizer = jieba.Tokenizer()
    tokenizer.FREQ, tokenizer.total = dict(base.FREQ), base.total
    tokenizer.initialized = True
    for word in words:
        tokenizer.add_word(word)
    return tokenizer
