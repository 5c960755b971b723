"""Where the time of a server goes, from py-spy's raw (collapsed) stacks.

`make bench` with `--py-spy PATH` writes var/profile_rasa.txt and var/profile_actions.txt;
this prints, for each, the share of samples per stage of the answer path (the first
matching stage of a stack wins: stages are ordered from the most specific), and the
functions of this project and of Rasa that hold the most samples.

    python scripts/profile_summary.py var/profile_rasa.txt [--top 15]
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

#: (stage, a pattern of a frame in the stack), most specific first.
STAGES = [
    ("tracker store: save", r"tracker_store\.py.*\bsave\b|_additional_events|stream_events"),
    ("tracker store: read", r"tracker_store\.py|retrieve_full_tracker|get_tracker"),
    ("lock store", r"lock_store\.py"),
    ("NLU (parse)", r"\bparse_message\b|_parse_message_with_graph"),
    ("policy prediction", r"predict_next_with_tracker|_predict_next_action|\bpredict_next_action\b|"
                          r"policy_ensemble|rule_policy|memoization"),
    ("action call (HTTP)", r"actions/action\.py.*\brun\b|endpoints\.py.*request"),
    ("action server: facts", r"assistant/nlu/|gather_facts|interpret"),
    ("action server: policies", r"policies/"),
    ("action server: rasa-sdk", r"rasa_sdk/"),
    ("tracker events, slots", r"trackers\.py|events\.py"),
    ("HTTP server", r"sanic/|aiohttp/|uvloop|asyncio"),
]


def stage_of(stack: str) -> str:
    for name, pattern in STAGES:
        if re.search(pattern, stack):
            return name
    return "other"


def summarise(path: Path, top: int) -> None:
    stages: Counter[str] = Counter()
    functions: Counter[str] = Counter()
    total = 0
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not count_text.isdigit():
            continue
        count = int(count_text)
        total += count
        stages[stage_of(stack)] += count
        frames = stack.split(";")
        own = next((f for f in reversed(frames) if re.search(r"assistant/|actions/|policies/|"
                                                             r"rasa/|rasa_sdk/", f)), frames[-1])
        functions[own] += count
    print(f"{path}: {total} samples")
    for name, count in stages.most_common():
        print(f"  {100 * count / total:5.1f} %  {name}")
    print("  deepest project/Rasa frame of the stack:")
    for name, count in functions.most_common(top):
        print(f"  {100 * count / total:5.1f} %  {name}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("profiles", nargs="+", type=Path)
    parser.add_argument("--top", type=int, default=15)
    args = parser.parse_args(argv)
    for path in args.profiles:
        summarise(path, args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
