"""Wording of the dialogue (assistant/wording/<lang>.yml), loaded once per process."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

WORDING_DIR = Path(__file__).resolve().parent.parent / "assistant" / "wording"
LANGS = ("zh", "en")


@cache
def wording(lang: str) -> dict[str, Any]:
    """The whole wording tree of `lang` (zh or en)."""
    with (WORDING_DIR / f"{lang}.yml").open(encoding="utf-8") as fh:
        data: dict[str, Any] = yaml.safe_load(fh)
    return data


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
