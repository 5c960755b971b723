"""Rasa's model graphs run in order in the calling thread, without dask's scheduler.

At every message Rasa runs its NLU graph once and its dialogue-policy graph two or three
times (once per action it predicts) through `DaskGraphRunner.run`, which each time
recomputes the nodes the targets depend on, builds a dask task graph and hands it to
dask's synchronous scheduler, whose bookkeeping (ordering, caching, releasing) is larger
than the graphs: about 6 % of the Rasa server's CPU under load (README, "Speed"). `run`
here runs the same nodes, with the same inputs, in an order computed once per set of
targets (each node after the nodes it needs) and returns the same mapping. Like dask's
synchronous scheduler, it runs one node at a time in the calling thread, an input replaces
a node of the same name, a need that nothing provides is passed as its name (the node
then reports it), and an error surfaces as it did.
"""

from __future__ import annotations

import weakref
from typing import Any

from rasa.engine.exceptions import GraphRunError
from rasa.engine.graph import GraphSchema
from rasa.engine.runner.dask import DaskGraphRunner

_MARK = "_hukou_in_order"
#: Per runner (a loaded model), per tuple of targets: the order its nodes run in.
_orders: weakref.WeakKeyDictionary[DaskGraphRunner, dict[tuple[str, ...], tuple[str, ...]]] = (
    weakref.WeakKeyDictionary()
)


def execution_order(schema: GraphSchema, targets: tuple[str, ...]) -> tuple[str, ...]:
    """The nodes `targets` depend on (themselves included), each after those it needs."""
    order: list[str] = []
    seen: set[str] = set()

    def visit(name: str) -> None:
        if name in seen or name not in schema.nodes:  # done, or an input placeholder
            return
        seen.add(name)
        for need in schema.nodes[name].needs.values():
            visit(need)
        order.append(name)

    for target in targets:
        visit(target)
    return tuple(order)


def run(self: DaskGraphRunner, inputs: dict[str, Any] | None = None,
        targets: list[str] | None = None) -> dict[str, Any]:
    """`DaskGraphRunner.run` (see the module's docstring)."""
    schema = self._graph_schema
    run_targets = tuple(targets if targets else schema.target_names)
    orders = _orders.setdefault(self, {})
    order = orders.get(run_targets)
    if order is None:
        order = orders[run_targets] = execution_order(schema, run_targets)
    outputs: dict[str, Any] = {}
    for name, value in (inputs or {}).items():
        if isinstance(value, str) and value in order:
            raise GraphRunError(
                f"Input value '{value}' clashes with a node name. Make sure that none of "
                f"the input names passed to the `run` method are the same as node names "
                f"in the graph schema."
            )
        outputs[name] = (name, value)
    try:
        for name in order:
            if name not in outputs:
                needs = schema.nodes[name].needs.values()
                node = self._instantiated_nodes[name]
                outputs[name] = node(*(outputs.get(need, need) for need in needs))
    except RuntimeError as e:
        raise GraphRunError("Error running runner.") from e
    return dict(outputs[target] for target in run_targets)


def install() -> None:
    if getattr(DaskGraphRunner.run, _MARK, False):
        return
    setattr(run, _MARK, True)
    DaskGraphRunner.run = run
