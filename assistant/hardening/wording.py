"""The guard's replies in each language (assistant/wording/hardening/<lang>.yml)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

WORDING_DIR = Path(__file__).resolve().parents[1] / "wording" / "hardening"
LANGS = ("zh", "en")


@cache
def _wording(lang: str) -> dict[str, str]:
    with (WORDING_DIR / f"{lang}.yml").open(encoding="utf-8") as fh:
        data: dict[str, str] = yaml.safe_load(fh)
    return data


def reply(lang: str, key: str, **values: object) -> str:
    """The reply `key` in `lang` (Chinese for any other language), placeholders filled."""
    return _wording(lang if lang in LANGS else "zh")[key].format(**values)


def message_lang(text: str) -> str:
    """The language of `text` as the dialogue reads it (assistant.nlu.language)."""
    from assistant.nlu.language import detect_lang  # loads the policy vocabulary: lazily

    return detect_lang(text)
