"""The document checklist of a route, derived from its conditions and the person's facts.

A document type says which facts it proves (`shows` in doc_types.yml). It is listed when
the route names it (`documents`, e.g. the ID card) or when a condition of the route that
the person meets tests one of those facts; its `basis` is then that condition's clause.
A document the route names has the route's `checklist_basis`, else the document type's own
basis in the route's province (`basis_in`: a city guide of that province), else its `basis`
(a city guide elsewhere, for identity papers), else the route's clause.
"""

from __future__ import annotations

from .conditions import Facts, evaluate
from .loader import Rules
from .model import Route


def build(
    rules: Rules,
    province: str,
    route: Route,
    facts: Facts,
    met: list[tuple[str, str | None]],
) -> list[tuple[str, str]]:
    """(doc type id, basis) pairs of `route` in `province`; `met` holds (fact, clause) of the
    conditions met."""
    default_basis = route.checklist_basis or route.clause or ""
    items: dict[str, str] = {}
    for doc_id in route.documents:
        doc = rules.doc_types[doc_id]
        if doc.shows is None or evaluate(doc.shows, facts) is True:
            basis = doc.basis_in.get(province, doc.basis)
            items.setdefault(doc_id, route.checklist_basis or basis or default_basis)
    for fact, clause in met:
        for doc_id, doc in rules.doc_types.items():
            if doc.shows is None or fact not in {leaf.fact for leaf in doc.shows.leaves()}:
                continue
            if evaluate(doc.shows, facts) is True:
                items.setdefault(doc_id, route.checklist_basis or clause or default_basis)
    return list(items.items())
