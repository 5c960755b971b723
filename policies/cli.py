"""`policies validate | export | check` (also `hukou-assistant policies …`).

`register(subparsers)` adds the `policies` command tree to another argparse parser; each
command stores its handler in `func` (called with the parsed args, returns the exit code).
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

from .engine import evaluate
from .loader import DATA_DIR, Rules, RulesError, load_rules, load_rules_from
from .model import FALSE_WORDS, TRUE_WORDS


def _rules(args: argparse.Namespace) -> Rules:
    return load_rules(args.data_dir) if args.data_dir else load_rules()


def cmd_validate(args: argparse.Namespace) -> int:
    data_dir = Path(args.data_dir) if args.data_dir else DATA_DIR
    try:
        rules = load_rules_from(data_dir)
    except RulesError as exc:
        print(f"policy data in {data_dir} is invalid ({len(exc.problems)} problems):",
              file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    places = rules.places.all()
    print(f"OK {data_dir}: {len(rules.documents)} documents, {len(rules.clauses)} clauses, "
          f"{len(places)} places, {len(rules.doc_types)} document types, "
          f"{len(rules.glossary)} glossary terms; rules_version {rules.version}")
    return 0


def _place_dict(place: Any) -> dict[str, Any]:
    return {k: getattr(place, k, None)
            for k in ("id", "zh", "en", "kind", "province", "parent", "tier")}


def export_data(rules: Rules) -> dict[str, Any]:
    """Every document with its clauses (both languages), place and document type."""
    documents: dict[str, Any] = {}
    for doc_id, doc in rules.documents.items():
        entry = json.loads(doc.json())
        entry["clauses"] = {
            ref.split("/")[1]: json.loads(clause.json())
            for ref, clause in rules.clauses.items()
            if ref.split("/")[0] == doc_id
        }
        documents[doc_id] = entry
    return {
        "rules_version": rules.version,
        "documents": documents,
        "places": [_place_dict(p) for p in rules.places.all()],
        "doc_types": {k: json.loads(v.json(exclude_none=True)) for k, v in rules.doc_types.items()},
    }


def cmd_export(args: argparse.Namespace) -> int:
    data = export_data(_rules(args))
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    print(f"rules_version {data['rules_version']}")
    for doc_id, doc in data["documents"].items():
        print(f"\n== {doc_id}: {doc['title']['zh']} / {doc['title']['en']}")
        for number, clause in doc["clauses"].items():
            print(f"\n[{doc_id}/{number}] {clause['title']['zh']} / {clause['title']['en']}")
            for lang, text in clause["text"].items():
                flag = "official" if text["official"] else "unofficial"
                print(f"  {lang} ({flag}): {text['text']}")
    print("\n== places")
    for place in data["places"]:
        print(f"  {place['id']}: {place['zh']} / {place['en']} "
              f"({place['kind']}, {place['province']}, tier {place['tier']})")
    print("\n== document types")
    for doc_id, doc_type in data["doc_types"].items():
        print(f"  {doc_id}: {doc_type['name']['zh']} / {doc_type['name']['en']} "
              f"(proves {doc_type['proves']})")
    return 0


def parse_fact(rules: Rules, item: str) -> tuple[str, Any]:
    """`KEY=VALUE` typed by facts.yml; raises ValueError with a readable message."""
    if "=" not in item:
        raise ValueError(f"--fact {item!r}: expected KEY=VALUE")
    key, raw = (part.strip() for part in item.split("=", 1))
    definition = rules.facts.get(key)
    if definition is None:
        raise ValueError(f"unknown fact {key!r}; known: {', '.join(rules.facts)}")
    if definition.type == "bool":
        if raw.lower() in TRUE_WORDS:
            return key, True
        if raw.lower() in FALSE_WORDS:
            return key, False
        raise ValueError(f"fact {key!r} is true or false, not {raw!r}")
    if definition.type == "number":
        try:
            number = float(raw)
        except ValueError:
            raise ValueError(f"fact {key!r} is a number, not {raw!r}") from None
        return key, int(number) if number.is_integer() else number
    if definition.type == "enum" and raw not in definition.values:
        raise ValueError(f"fact {key!r} is one of {', '.join(definition.values)}, not {raw!r}")
    return key, raw


def cmd_check(args: argparse.Namespace) -> int:
    rules = _rules(args)
    try:
        facts = dict(parse_fact(rules, item) for item in args.fact)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    answer = evaluate(args.topic, facts, args.lang, as_of=args.as_of, rules=rules)
    if args.json:
        print(json.dumps(answer, ensure_ascii=False, default=str))
    else:
        print(answer["text"])
        print(f"\n[{answer['topic']}: {answer['verdict']}; rules {answer['rules_version']}, "
              f"as of {answer['as_of']}]")
    return 0


def _add_commands(parser: argparse.ArgumentParser) -> None:
    from .model import TOPICS

    commands = parser.add_subparsers(dest="policies_command", metavar="COMMAND")
    commands.required = True

    def add(name: str, help_text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text)
        sub.add_argument("--data-dir", help=argparse.SUPPRESS)
        return sub

    validate = add("validate", "load and check all policy data")
    validate.set_defaults(func=cmd_validate)
    export = add("export", "every document, clause, place and document type")
    export.add_argument("--json", action="store_true", help="print JSON")
    export.set_defaults(func=cmd_export)
    check = add("check", "evaluate one situation without NLU")
    check.add_argument("--topic", required=True, choices=TOPICS)
    check.add_argument("--fact", action="append", default=[], metavar="KEY=VALUE")
    check.add_argument("--lang", choices=["zh", "en"], default="zh")
    check.add_argument("--as-of", type=date.fromisoformat, default=None, metavar="YYYY-MM-DD")
    check.add_argument("--json", action="store_true", help="print one policy_answer object")
    check.set_defaults(func=cmd_check)


def register(subparsers: Any) -> argparse.ArgumentParser:
    """Add `policies …` to the subparsers of the `hukou-assistant` command."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "policies", help="validate, export or check the policy rules"
    )
    _add_commands(parser)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="policies", description=__doc__)
    _add_commands(parser)
    args = parser.parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
