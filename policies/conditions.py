"""Three-valued evaluation of route conditions.

A fact the person has not given is unknown, never guessed: a test on it is `None`, and
`all`/`any` only decide when the known parts already decide (one false fact fails `all`).
"""

from __future__ import annotations

from typing import Any, NamedTuple

from .model import Condition

Facts = dict[str, Any]


class Accepted(NamedTuple):
    """What meets a fact test: the fact, its values, and whether the value is a minimum."""

    fact: str
    values: tuple[Any, ...]
    at_least: bool


def accepted(leaf: Condition) -> Accepted:
    """The values a fact test accepts ("own home or lawful lease", "at least 1 year")."""
    assert leaf.fact is not None
    if leaf.in_ is not None:
        return Accepted(leaf.fact, tuple(leaf.in_), False)
    if leaf.gte is not None:
        return Accepted(leaf.fact, (leaf.gte,), True)
    return Accepted(leaf.fact, (leaf.eq,), False)


def test_leaf(leaf: Condition, facts: Facts) -> bool | None:
    assert leaf.fact is not None
    value = facts.get(leaf.fact)
    if value is None:
        return None
    if leaf.in_ is not None:
        return str(value) in leaf.in_
    if leaf.gte is not None:
        return float(value) >= leaf.gte
    return bool(value == leaf.eq)


def evaluate(cond: Condition, facts: Facts) -> bool | None:
    if cond.fact:
        return test_leaf(cond, facts)
    if cond.not_ is not None:
        inner = evaluate(cond.not_, facts)
        return None if inner is None else not inner
    results = [evaluate(child, facts) for child in (cond.all or cond.any or [])]
    if cond.all is not None:
        if False in results:
            return False
        return None if None in results else True
    if True in results:
        return True
    return None if None in results else False


def needed(cond: Condition, facts: Facts) -> list[str]:
    """Unknown facts that could still decide `cond` (empty when it is decided)."""
    if evaluate(cond, facts) is not None:
        return []
    if cond.fact:
        return [cond.fact]
    if cond.not_ is not None:
        return needed(cond.not_, facts)
    return [fact for child in (cond.all or cond.any or []) for fact in needed(child, facts)]
