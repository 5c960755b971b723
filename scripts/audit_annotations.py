"""Flag NLU examples whose entity annotations disagree with the fact keywords.

DIET learns spans from examples; the same words annotated in one example and left bare in
another teach it to guess. This lists, per file and example:

- ``bare``: a keyword of ``assistant/nlu/fact_values.yml`` (or a place name) occurs outside
  every annotation (a missed fact, or a use of the word that states no fact: the reviewer
  decides, the script cannot);
- ``odd``: an annotated fact span in which no keyword of that fact occurs, so that
  ``assistant.nlu.facts.interpret`` cannot read it (its value must then be canonical).

Usage: python scripts/audit_annotations.py [FILE_OR_DIR ...]  (default: nlu_data/nlu nlu_data/test)
Review aid only: it never edits files and its output is not a test.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.nlu.facts import _find, _key, fact_keywords  # noqa: E402
from policies import vocabulary  # noqa: E402

ANNOTATION = re.compile(r"\[(?P<text>[^\]]+)\](?:\((?P<name>[^)]+)\)|(?P<json>\{[^}]*\}))")
QUIET = {"city", "province", "term", "lang"}  # not fact keywords


def parse(example: str) -> tuple[str, list[tuple[int, int, str, str | None]]]:
    """Plain text and (start, end, entity, value) of an annotated example."""
    text, spans, last = "", [], 0
    for match in ANNOTATION.finditer(example):
        text += example[last : match.start()]
        start = len(text)
        text += match["text"]
        if match["name"]:
            entity, value = match["name"], None
        else:
            data = json.loads(match["json"])
            entity, value = data["entity"], data.get("value")
        spans.append((start, len(text), entity, value))
        last = match.end()
    return text + example[last:], spans


def examples(path: Path) -> Iterator[tuple[str, str]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    for block in data.get("nlu", []):
        if "intent" not in block:
            continue
        for line in str(block.get("examples", "")).splitlines():
            line = line.strip()
            if line.startswith("- "):
                yield block["intent"], line[2:]


def _inside(covered: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s <= start and end <= e for s, e in covered)


def audit(path: Path) -> list[str]:
    keywords = fact_keywords()
    names = sorted(
        {_key(name) for name in vocabulary.place_surface_forms() if len(_key(name)) > 2},
        key=len,
        reverse=True,
    )
    places = re.compile(
        "|".join(
            re.escape(n) if not n.isascii() else rf"(?<![\w']){re.escape(n)}(?![\w])" for n in names
        )
    )
    out = []
    for intent, example in examples(path):
        text, spans = parse(example)
        low = _key(text)
        covered = [(s, e) for s, e, _, _ in spans]

        problems = []
        for fact, value, word in keywords.all_keywords():
            for start, end in _find(word, low):
                if not _inside(covered, start, end):
                    problems.append(f"bare {fact}={value} '{text[start:end]}'")
        for match in places.finditer(low):
            if not _inside(covered, *match.span()):
                problems.append(f"bare place '{text[match.start() : match.end()]}'")
        for start, end, entity, annotated in spans:
            if entity in QUIET or entity.endswith("_years"):
                continue
            span = low[start:end]
            words = [w for _, w_list in keywords.values.get(entity, {}).items() for w in w_list]
            if not any(_find(w, span) for w in words) and annotated is None:
                problems.append(f"odd {entity} '{text[start:end]}' (no keyword, no value)")
        if problems:
            out.append(f"{path.relative_to(ROOT)} [{intent}] {example}")
            out.extend(f"    {p}" for p in sorted(set(problems)))
    return out


def main(argv: list[str]) -> int:
    targets = [Path(a) for a in argv] or [ROOT / "nlu_data" / "nlu", ROOT / "nlu_data" / "test"]
    files: list[Path] = []
    for target in targets:
        target = target.resolve()
        files.extend(sorted(target.rglob("nlu*.yml")) if target.is_dir() else [target])
        if target.is_dir():
            files.extend(sorted(p for p in target.rglob("*.yml") if p not in files))
    for path in sorted(set(files)):
        for line in audit(path):
            print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
