"""Scoring the blind end-to-end set (conversations.yml) through the REST channel.

A case is fully right when the last reply of its conversation holds what the case expects:
the verdict (one of them, when the sources allow two readings), every clause of `cites`, one
of `cites_any`, every document of `documents`, the jurisdiction and the language; a
`need_more_info` answer must ask its question; `verdict: none` expects no policy answer at
all (out of scope). `python -m tests.blind.score URL` scores a running assistant and writes
var/blind_<set>.json.
"""

from __future__ import annotations

import json
import sys
import uuid
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import requests
import yaml

BLIND = Path(__file__).resolve().parent
#: the sets, all written blind (see their headers): part 1 before the answers change, part 2
#: during it, parts 3 to 25 each in a later session (the cases of parts 6, 8, 11, 14, 16, 18,
#: 19, 20, 22 and 24 never read; README.md says which sets' failures were read)
SETS = ("conversations.yml", "conversations_part2.yml", "conversations_part3.yml",
        "conversations_part4.yml", "conversations_part5.yml", "conversations_part6.yml",
        "conversations_part7.yml", "conversations_part8.yml", "conversations_part9.yml",
        "conversations_part10.yml", "conversations_part11.yml", "conversations_part12.yml",
        "conversations_part13.yml", "conversations_part14.yml", "conversations_part15.yml",
        "conversations_part16.yml", "conversations_part17.yml", "conversations_part18.yml",
        "conversations_part19.yml", "conversations_part20.yml", "conversations_part21.yml",
        "conversations_part22.yml", "conversations_part23.yml", "conversations_part24.yml",
        "conversations_part25.yml")

Send = Callable[[str, str], list[dict[str, Any]]]


def load_cases(name: str = SETS[0]) -> list[dict[str, Any]]:
    cases: list[dict[str, Any]] = yaml.safe_load(
        (BLIND / name).read_text(encoding="utf-8"))["cases"]
    return cases


def rest_sender(url: str) -> Send:
    def send(sender: str, message: str) -> list[dict[str, Any]]:
        response = requests.post(url, json={"sender": sender, "message": message}, timeout=120)
        if response.status_code != 200:
            return [{"text": f"HTTP {response.status_code}"}]
        messages: list[dict[str, Any]] = response.json()
        return messages

    return send


def _answers(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [m["custom"] for m in messages
            if isinstance(m.get("custom"), dict) and m["custom"].get("type") == "policy_answer"]


def problems(case: dict[str, Any], messages: list[dict[str, Any]]) -> list[str]:
    """What the last reply of a case got wrong (empty: fully right)."""
    answers = _answers(messages)
    expected = case["verdict"]
    verdicts = expected if isinstance(expected, list) else [expected]
    if verdicts == ["none"]:
        return [f"policy answer given: {answers[-1]['verdict']}"] if answers else []
    if not answers:
        return [] if "none" in verdicts else ["no policy answer"]
    answer = answers[-1]
    found: list[str] = []
    if answer["verdict"] not in verdicts:
        found.append(f"verdict {answer['verdict']}")
    if answer["lang"] != case["lang"]:
        found.append(f"lang {answer['lang']}")
    cited = {f"{c['doc']}/{c['clause']}" for c in answer["citations"]}
    found += [f"not cited {ref}" for ref in case.get("cites", []) if ref not in cited]
    if case.get("cites_any") and not cited & set(case["cites_any"]):
        found.append(f"none cited of {case['cites_any']}")
    listed = {d["id"] for d in answer["documents"]}
    found += [f"no document {doc}" for doc in case.get("documents", []) if doc not in listed]
    for key in ("city", "province"):
        if key in case and answer["jurisdiction"].get(key) != case[key]:
            found.append(f"{key} {answer['jurisdiction'].get(key)}")
    if answer["verdict"] == "need_more_info" and "need_more_info" in verdicts:
        if not answer["missing"] or not any(m.get("buttons") or "?" in (m.get("text") or "")
                                            or "？" in (m.get("text") or "") for m in messages):
            found.append("no question asked")
    return found


def run_case(case: dict[str, Any], send: Send) -> dict[str, Any]:
    sender = f"blind-{uuid.uuid4().hex[:12]}"
    messages: list[dict[str, Any]] = []
    for turn in case["turns"]:
        messages = send(sender, turn)
    answers = _answers(messages)
    last = answers[-1] if answers else None
    return {
        "id": case["id"],
        "class": case["class"],
        "lang": case["lang"],
        "problems": problems(case, messages),
        "got": None if last is None else {
            "verdict": last["verdict"], "topic": last["topic"], "route": last.get("route"),
            "citations": [f"{c['doc']}/{c['clause']}" for c in last["citations"]],
            "documents": [d["id"] for d in last["documents"]],
            "jurisdiction": last["jurisdiction"], "facts": last["facts"],
        },
    }


def score(send: Send, cases: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """Every case run and judged; shares fully right overall, per class and per language."""
    results = [run_case(case, send) for case in (cases or load_cases())]
    groups: dict[str, list[bool]] = defaultdict(list)
    for result in results:
        right = not result["problems"]
        groups["all"].append(right)
        groups[f"class {result['class']}"].append(right)
        groups[f"lang {result['lang']}"].append(right)
    shares = {name: {"right": sum(oks), "cases": len(oks), "share": sum(oks) / len(oks)}
              for name, oks in sorted(groups.items())}
    return {"shares": shares, "results": results}


def table(report: dict[str, Any]) -> str:
    rows = [f"{'group':28} {'right':>5} {'cases':>5} {'share':>6}"]
    for name, row in report["shares"].items():
        rows.append(f"{name:28} {row['right']:5d} {row['cases']:5d} {row['share']:6.1%}")
    return "\n".join(rows)


def write(report: dict[str, Any], out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")


def main(argv: list[str]) -> int:
    url = argv[1] if len(argv) > 1 else "http://127.0.0.1:5005/webhooks/rest/webhook"
    for name in SETS:
        report = score(rest_sender(url), load_cases(name))
        write(report, Path("var") / f"blind_{Path(name).stem}.json")
        print(f"{name}\n{table(report)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
