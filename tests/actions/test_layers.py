"""What each layer may import: the actions read the NLU's parse data and nothing of the NLU
but language detection; the policy rules import nothing of the assistant; and no module of
the project imports itself back through others."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("actions", "assistant", "policies")


def _module(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, modules: set[str] = frozenset()) -> set[str]:  # type: ignore[assignment]
    """The modules a file imports, relative imports resolved: for `from P import N`, the
    module P.N when it is one of ``modules``, else P."""
    package = _module(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            for alias in node.names:
                named = f"{module}.{alias.name}"
                found.add(named if named in modules else module)
    return found


def _graph() -> dict[str, set[str]]:
    files = [p for package in PACKAGES for p in (ROOT / package).rglob("*.py")]
    modules = {_module(p): p for p in files}
    return {name: {m for m in _imports(path, set(modules)) if m in modules and m != name}
            for name, path in modules.items()}


def test_the_actions_import_nothing_of_the_nlu_but_language_detection() -> None:
    graph = _graph()
    for name, imported in graph.items():
        if name.split(".")[0] == "actions":
            nlu = {m for m in imported if m.startswith("assistant.nlu")}
            assert nlu <= {"assistant.nlu", "assistant.nlu.language"}, (name, nlu)


def test_the_policy_rules_import_nothing_of_the_assistant() -> None:
    """(That they load no Rasa is tests/policies/test_engine.py's `test_no_nlu_imports`.)"""
    for path in (ROOT / "policies").rglob("*.py"):
        roots = {m.split(".")[0] for m in _imports(path)}
        assert not roots & {"assistant", "actions"}, path


def test_no_import_cycle() -> None:
    edges = _graph()
    state: dict[str, int] = {}

    def visit(name: str, trail: list[str]) -> None:
        state[name] = 1
        for other in sorted(edges.get(name, ())):
            assert state.get(other) != 1, " -> ".join([*trail, name, other])
            if other not in state:
                visit(other, [*trail, name])
        state[name] = 2

    for name in sorted(edges):
        if name not in state:
            visit(name, [])
