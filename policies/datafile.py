"""Reading one policy data file, and the problems found in the data.

Every reader of ``policies/data`` (the rules loader, the place index) reports a problem with
the file and the key it concerns (`Problem`, raised together as `RulesError`), and reads YAML
that refuses a key given twice (`read_yaml`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml


@dataclass(frozen=True)
class Problem:
    file: str
    key: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}: {self.key}" if self.key else self.file
        return f"{where}: {self.message}"


class RulesError(Exception):
    """The policy data is invalid; `problems` names each file and key."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class _UniqueKeyLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """A SafeLoader that refuses a mapping with the same key twice."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def read_yaml(path: Path, rel: str) -> Any:
    try:
        with path.open(encoding="utf-8") as fh:
            return yaml.load(fh, Loader=_UniqueKeyLoader)  # noqa: S506 - SafeLoader subclass
    except yaml.constructor.ConstructorError as exc:
        key = re.search(r"duplicate key (.+)", str(exc.problem))
        line = exc.problem_mark.line + 1 if exc.problem_mark else "?"
        raise RulesError(
            [Problem(rel, key.group(1).strip("'\"") if key else "", f"{exc.problem} (line {line})")]
        ) from exc
    except yaml.YAMLError as exc:
        raise RulesError([Problem(rel, "", f"invalid YAML: {exc}")]) from exc
