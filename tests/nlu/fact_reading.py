"""Helpers for FactReader tests: the facts it reads in a message, and the mentions an
extractor found in it."""

from __future__ import annotations

from typing import Any

from assistant.nlu.fact_reader import read_message
from assistant.nlu.tokenizer import segmenter


def read(text: str, entities: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """The facts the FactReader reads in ``text`` after the extractor found ``entities``."""
    tokens = {(t.start, t.end) for t in segmenter().split(text)}
    return read_message(text, entities or [], tokens)[1]


def mention(text: str, words: str, entity: str = "city", *, last: bool = False,
            value: Any = None) -> dict[str, Any]:
    """An extracted entity of ``words`` in ``text`` (the first, or with ``last`` the last
    time they stand there), valued with its words unless ``value`` is given."""
    start = text.rindex(words) if last else text.index(words)
    return {"entity": entity, "start": start, "end": start + len(words),
            "value": words if value is None else value}
