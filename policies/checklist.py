"""The document checklist of a route, derived from its conditions and the person's facts.

A document type says which facts it proves (`shows` in doc_types.yml). It is listed when
the route names it (`documents`, e.g. the ID card) or when a condition of the route that
the person meets tests one of those facts; its `basis` is then that condition's clause.
A document the route names has the route's `checklist_basis`, else the document type's own
basis in the route's province (`basis_in`: a city guide of that province), else its `basis`
(a city guide elsewhere, for identity papers), else the route's clause.

Where a fact is not known yet, the documents that would prove each way of meeting the
condition are listed with the fact value they depend on (a title certificate if you own, a
registered lease if you rent), so a checklist is never silent about an open condition.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .conditions import Facts, evaluate
from .loader import Rules
from .model import Condition, Route


@dataclass(frozen=True)
class Item:
    doc_id: str
    basis: str
    #: the condition the document depends on while its fact is not known: (fact, values
    #: that put it on the list, whether the value is a minimum)
    when: tuple[str, tuple[Any, ...], bool] | None = None


def _leaf_values(leaf: Condition) -> tuple[Any, ...]:
    if leaf.in_ is not None:
        return tuple(leaf.in_)
    if leaf.gte is not None:
        return (leaf.gte,)
    return (leaf.eq,)


def _pending(shows: Condition, facts: Facts) -> tuple[str, tuple[Any, ...], bool] | None:
    """The first unknown fact (and its values) that would put a document on the list."""
    for leaf in shows.leaves():
        assert leaf.fact is not None
        if facts.get(leaf.fact) is None:
            return leaf.fact, _leaf_values(leaf), leaf.gte is not None
    return None


def _open_leaves(route: Route, facts: Facts) -> list[Condition]:
    conditions = [*route.requires, *[o.when for o in route.outcomes if o.when is not None]]
    return [leaf for cond in conditions for leaf in cond.leaves()
            if evaluate(leaf, facts) is None]


def build(
    rules: Rules,
    province: str,
    route: Route,
    facts: Facts,
    met: list[tuple[str, str | None]],
) -> list[Item]:
    """The checklist of `route` in `province`; `met` holds (fact, clause) of the conditions
    met."""
    default_basis = route.checklist_basis or route.clause or ""
    items: dict[str, Item] = {}

    def add(doc_id: str, basis: str,
            when: tuple[str, tuple[Any, ...], bool] | None = None) -> None:
        if doc_id not in items:
            items[doc_id] = Item(doc_id, route.checklist_basis or basis or default_basis, when)

    for doc_id in route.documents:
        doc = rules.doc_types[doc_id]
        shown = True if doc.shows is None else evaluate(doc.shows, facts)
        basis = doc.basis_in.get(province, doc.basis) or ""
        if shown is True:
            add(doc_id, basis)
        elif shown is None and doc.shows is not None:
            add(doc_id, basis, _pending(doc.shows, facts))
    for fact, clause in met:
        for doc_id, doc in rules.doc_types.items():
            if doc.shows is None or fact not in {leaf.fact for leaf in doc.shows.leaves()}:
                continue
            if evaluate(doc.shows, facts) is True:
                add(doc_id, clause or "")
    for fact in route.indicators:
        # a points indicator not told yet: the papers that would show each way of having it
        if facts.get(fact) is not None:
            continue
        for doc_id, doc in rules.doc_types.items():
            if doc.shows is not None and doc_id not in items and fact in {
                s.fact for s in doc.shows.leaves()
            }:
                add(doc_id, route.clause or "", _pending(doc.shows, facts))
    for leaf in _open_leaves(route, facts):
        accepted = set(map(str, _leaf_values(leaf)))
        for doc_id, doc in rules.doc_types.items():
            if doc.shows is None or doc_id in items:
                continue
            shown_by = [s for s in doc.shows.leaves() if s.fact == leaf.fact]
            if not shown_by or evaluate(doc.shows, facts) is False:
                continue
            if leaf.in_ is not None and not any(
                accepted & set(map(str, _leaf_values(s))) for s in shown_by
            ):
                continue
            add(doc_id, leaf.clause or "", _pending(doc.shows, facts))
    return list(items.values())
