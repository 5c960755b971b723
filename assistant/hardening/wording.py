"""The guard's replies in each language (assistant/wording/hardening/<lang>.yml)."""

from __future__ import annotations

from assistant.wording_data import LANGS, load_wording


def reply(lang: str, key: str, **values: object) -> str:
    """The reply `key` in `lang` (Chinese for any other language), placeholders filled."""
    return str(load_wording(lang if lang in LANGS else "zh", "hardening")[key]).format(**values)


def message_lang(text: str) -> str:
    """The language of `text` as the dialogue reads it (assistant.nlu.language)."""
    from assistant.nlu.language import detect_lang  # loads the policy vocabulary: lazily

    return detect_lang(text)
