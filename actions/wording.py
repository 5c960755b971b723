"""Wording of the dialogue (assistant/wording/<lang>.yml), loaded once per process."""

from __future__ import annotations

from typing import Any

from assistant.wording_data import LANGS, load_wording

__all__ = ["LANGS", "intent_label", "say", "wording"]


def wording(lang: str) -> dict[str, Any]:
    """The whole wording tree of `lang` (zh or en)."""
    return load_wording(lang)


def say(lang: str, *path: str, **values: str) -> str:
    """The sentence at `path` in `lang`, with `{placeholders}` filled from `values`."""
    node: Any = wording(lang)
    for key in path:
        node = node[key]
    return str(node).format(**values)


def intent_label(lang: str, intent: str) -> str | None:
    """The button label of an intent, or None when the intent is not offered."""
    label = wording(lang).get("intents", {}).get(intent)
    return str(label) if label else None
