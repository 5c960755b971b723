"""What the engine decided for a question, before `render` words it: where the question
belongs (`Jurisdiction`) and what a route decided (`Result`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .checklist import Item
from .conditions import Accepted
from .model import PlaceLike, Route


@dataclass
class Jurisdiction:
    province: str | None = None
    place: PlaceLike | None = None
    #: a place outside Liaoning and Shandong
    outside: PlaceLike | None = None
    #: a city or province given that matches no known place
    unknown: str | None = None


@dataclass
class Result:
    """What a route decided, before rendering."""

    verdict: str
    route: Route | None = None
    missing: list[str] = field(default_factory=list)
    trace: list[dict[str, Any]] = field(default_factory=list)
    #: clauses the decision rests on (checked for being in force)
    clauses: list[str] = field(default_factory=list)
    #: supporting citations
    also: list[str] = field(default_factory=list)
    documents: list[Item] = field(default_factory=list)
    offices: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    decided_by: str | None = None
    unmet: list[tuple[str, Any]] = field(default_factory=list)
    out_of_effect: list[str] = field(default_factory=list)
    #: the topic whose route decided (a delegating topic answers with another's route)
    topic: str | None = None
    #: (province, route id) whose `headlines` wording states the verdict
    headline: tuple[str, str] | None = None
    #: (clause, unmet conditions) of the pathway asked about, when another one admits
    instead_of: tuple[str, list[tuple[str, Any]]] | None = None
    #: pathways no stated fact points to, which the person may still fit (topic, clause)
    untried: list[tuple[str, str]] = field(default_factory=list)
    #: what would change a refusal: the failed conditions, as what would meet them
    would_change: list[Accepted] = field(default_factory=list)
    #: how many stated facts point to the route: its conditions met, its indicators given
    fit: int = 0
