"""The clauses closest to a question, by their words (BM25 over clause titles and texts).

An information question ("居住证丢了怎么补办", "is there a minimum investment amount?") is
answered from the clause that speaks of it. Each language has its own index: Chinese texts are
cut by jieba (with the policy vocabulary as its dictionary), English texts into lower-case
words without their common endings. A clause's title counts twice, as a heading says most
about what the clause is for; an article whose title only numbers it is found by the words
of what it is about (`subjects`).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

import jieba
from opencc import OpenCC
from rank_bm25 import BM25Okapi

from .loader import Rules
from .vocabulary import jieba_terms, place_surface_forms

_HAN = re.compile(r"[\u3400-\u9fff]+")
_WORD = re.compile(r"[a-z0-9]+")
#: words that say nothing about which clause is meant
_STOP = {
    "zh": set("的 了 吗 呢 吧 啊 是 我 你 在 有 和 与 及 或 要 能 会 可以 什么 怎么 "
              "怎么样 如何 哪些 哪 这 那 就 都 也 还 请问 一下 一个 个 把 被 对 为 "
              "等 以 其 之 中 上 下 人 人员".split()),
    "en": set("a an the of to in on for and or is are be been was were do does did i my me we our "
              "you your it its can could would should will what which who whom how when where why "
              "there their them they this that these those with from by at as if any have has had "
              "not no get got about into than then so".split()),
}
_t2s = OpenCC("t2s")


def _stem(word: str) -> str:
    for ending in ("ing", "ed", "es", "s"):
        if len(word) > len(ending) + 3 and word.endswith(ending):
            return word[: -len(ending)]
    return word


@cache
def _segmenter() -> jieba.Tokenizer:
    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    for term in jieba_terms():
        tokenizer.add_word(term)
    return tokenizer


def tokens(text: str, lang: str) -> list[str]:
    """The words of `text` that the index compares, in `lang`'s way of cutting."""
    if lang == "zh":
        words = [w for run in _HAN.findall(_t2s.convert(text))
                 for w in _segmenter().lcut_for_search(run)]
    else:
        words = [_stem(w) for w in _WORD.findall(text.lower())]
    return [w for w in words if w not in _STOP[lang]]


@cache
def _place_words() -> frozenset[str]:
    return frozenset(name.lower() for name in place_surface_forms())


def query_tokens(question: str, lang: str) -> list[str]:
    """The words of a question that say what it is about: place names say where, not what
    (and would tie "沈阳今天天气怎么样" to the clause that names Shenyang)."""
    places = _place_words()
    return [w for w in tokens(question, lang) if w not in places]


@dataclass(frozen=True)
class _Index:
    refs: tuple[str, ...]
    bm25: BM25Okapi


_INDEXES: dict[tuple[str, str], _Index] = {}


def _index(rules: Rules, lang: str) -> _Index:
    key = (rules.version, lang)
    if key not in _INDEXES:
        refs, corpus = [], []
        for ref, clause in rules.clauses.items():
            text = clause.text.get(lang)  # type: ignore[call-overload]
            if text is None:
                continue
            title = clause.title.get(lang)
            subjects = clause.subjects.get(lang) if clause.subjects is not None else ""
            refs.append(ref)
            corpus.append(tokens(f"{title} {title} {subjects} {text.text}", lang) or ["-"])
        _INDEXES[key] = _Index(tuple(refs), BM25Okapi(corpus))
    return _INDEXES[key]


def rank_clauses(
    rules: Rules,
    question: str,
    lang: str,
    *,
    documents: Iterable[str] | None = None,
    topics: Iterable[str] | None = None,
    limit: int = 3,
    min_score: float = 2.0,
    min_share: float = 0.5,
) -> list[tuple[str, float]]:
    """(clause ref, score) of the clauses best matching `question`, best first.

    `documents` keeps the clauses of those documents only (the province's and the national
    ones); `topics` those whose `topics` name one of them. A clause scoring under
    `min_score`, or under `min_share` of the best score, shares too few telling words with
    the question to be worth quoting.
    """
    index = _index(rules, "zh" if lang == "zh" else "en")
    query = query_tokens(question, "zh" if lang == "zh" else "en")
    if not query:
        return []
    wanted_docs = set(documents) if documents is not None else None
    wanted_topics = set(topics) if topics is not None else None
    scored = []
    for ref, score in zip(index.refs, index.bm25.get_scores(query), strict=True):
        if wanted_docs is not None and ref.split("/")[0] not in wanted_docs:
            continue
        if wanted_topics is not None and not wanted_topics & set(rules.clauses[ref].topics):
            continue
        if score >= min_score:
            scored.append((ref, float(score)))
    scored.sort(key=lambda item: -item[1])
    best = scored[0][1] if scored else 0.0
    return [(ref, score) for ref, score in scored[:limit] if score >= min_share * best]
