"""The wording of replies, one YAML file per language, loaded once per process.

The dialogue's own is `assistant/wording/<lang>.yml`; the channels' and the input guard's
are in their folders beside it (`channels/<lang>.yml`, `hardening/<lang>.yml`).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

WORDING_DIR = Path(__file__).resolve().parent / "wording"
LANGS = ("zh", "en")


@cache
def load_wording(lang: str, part: str = "") -> dict[str, Any]:
    """The wording tree of `lang` (one of `LANGS`), of the dialogue or of folder `part`."""
    if lang not in LANGS:
        raise ValueError(f"no wording in {lang!r}; expected one of {', '.join(LANGS)}")
    with (WORDING_DIR / part / f"{lang}.yml").open(encoding="utf-8") as fh:
        data: dict[str, Any] = yaml.safe_load(fh)
    return data
