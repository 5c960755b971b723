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

from .conditions import Accepted, Facts, accepted, evaluate
from .loader import Rules
from .model import Condition, Route


@dataclass(frozen=True)
class Item:
    doc_id: str
    basis: str
    #: what the document depends on while its fact is not known ("if you own")
    when: Accepted | None = None


def _pending(shows: Condition, facts: Facts) -> Accepted | None:
    """The first unknown fact (and its values) that would put a document on the list."""
    return next((accepted(leaf) for leaf in shows.leaves()
                 if leaf.fact is not None and facts.get(leaf.fact) is None), None)


def _open_facts(route: Route, facts: Facts) -> list[tuple[str, set[str] | None, str]]:
    """The facts of a route not known yet: each with the values that would meet its
    condition (None: any value, for a points indicator) and the clause that asks for it."""
    open_facts: list[tuple[str, set[str] | None, str]] = [
        (fact, None, route.clause or "") for fact in route.indicators if facts.get(fact) is None
    ]
    conditions = [*route.requires, *[o.when for o in route.outcomes if o.when is not None]]
    for leaf in (leaf for cond in conditions for leaf in cond.leaves()):
        if evaluate(leaf, facts) is None:
            test = accepted(leaf)
            values = set(map(str, test.values)) if leaf.in_ is not None else None
            open_facts.append((test.fact, values, leaf.clause or ""))
    return open_facts


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

    def add(doc_id: str, basis: str, when: Accepted | None = None) -> None:
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
    for fact, values, clause in _open_facts(route, facts):
        for doc_id, doc in rules.doc_types.items():
            if doc.shows is None or doc_id in items or evaluate(doc.shows, facts) is False:
                continue
            shown_by = [accepted(s) for s in doc.shows.leaves() if s.fact == fact]
            if shown_by and (values is None or any(values & set(map(str, s.values))
                                                   for s in shown_by)):
                add(doc_id, clause, _pending(doc.shows, facts))
    return list(items.values())
