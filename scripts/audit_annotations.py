"""Flag NLU examples whose entity annotations disagree with the fact keywords.

DIET learns spans from examples; the same words annotated in one example and left bare in
another teach it to guess. This lists, per file and example:

- ``bare``: a keyword of ``assistant/nlu/fact_values.yml`` (or a place name) occurs outside
  every annotation (a missed fact, or a use of the word that states no fact: the reviewer
  decides, the script cannot);
- ``odd``: an annotated fact span in which no keyword of that fact occurs, so that
  ``assistant.nlu.facts.interpret`` cannot read it (its value must then be canonical).

Usage: python scripts/audit_annotations.py [FILE_OR_DIR ...]
(default: the training data nlu_data/nlu and the held-out nlu_data/test/nlu_*.yml)
Review aid only: it never edits files and its output is not a test.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

from rasa.shared.nlu.constants import ENTITIES, INTENT, TEXT
from rasa.shared.nlu.training_data.loading import load_data

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.nlu.facts import (  # noqa: E402
    _key,
    fact_keywords,
    find_keyword,
    interpret,
    keywords_pattern,
)
from policies import vocabulary  # noqa: E402

Span = tuple[int, int, str, Any]  # start, end, entity, value


def examples(path: Path) -> Iterator[tuple[str, str, list[Span]]]:
    """(intent, text, spans) of every example, parsed by Rasa itself."""
    for message in load_data(str(path)).training_examples:
        text = message.get(TEXT)
        spans = [
            (e["start"], e["end"], e["entity"], e.get("value")) for e in message.get(ENTITIES) or []
        ]
        yield message.get(INTENT), text, spans


@lru_cache(maxsize=1)
def place_pattern() -> re.Pattern[str]:
    """Every place name of three characters or more, matched like a fact keyword."""
    names = {_key(name) for name in vocabulary.place_surface_forms() if len(_key(name)) > 2}
    return keywords_pattern(names)


def _inside(covered: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s <= start and end <= e for s, e in covered)


def audit(path: Path) -> list[str]:
    keywords = fact_keywords()
    out = []
    for intent, text, spans in examples(path):
        low = _key(text)
        covered = [(s, e) for s, e, _, _ in spans]

        problems = []
        for fact, value, word in keywords.all_keywords():
            for start, end in find_keyword(word, low):
                if not _inside(covered, start, end):
                    problems.append(f"bare {fact}={value} '{text[start:end]}'")
        for match in place_pattern().finditer(low):
            if not _inside(covered, *match.span()):
                problems.append(f"bare place '{text[match.start() : match.end()]}'")
        for start, end, entity, value in spans:
            if entity in keywords.values and interpret(entity, value) is None:
                problems.append(f"odd {entity} '{text[start:end]}' (no keyword, no value)")
        if problems:
            out.append(f"{path.relative_to(ROOT)} [{intent}] {text}")
            out.extend(f"    {p}" for p in sorted(set(problems)))
    return out


def main(argv: list[str]) -> int:
    targets = [Path(a) for a in argv] or [
        ROOT / "nlu_data" / "nlu",
        *sorted((ROOT / "nlu_data" / "test").glob("nlu_*.yml")),
    ]
    files = {f for t in targets for f in (t.resolve().rglob("*.yml") if t.is_dir() else [t])}
    for path in sorted(f.resolve() for f in files):
        for line in audit(path):
            print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
