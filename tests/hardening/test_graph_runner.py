"""Rasa's graphs run in order give what dask's scheduler gives: on a small graph of real
graph components (inputs, shared needs, targets, a missing input, a failing node), and on
the trained model (the NLU and the dialogue policies, message by message)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from rasa.engine.exceptions import GraphComponentException, GraphRunError
from rasa.engine.graph import ExecutionContext, GraphComponent, GraphSchema, SchemaNode
from rasa.engine.runner.dask import DaskGraphRunner
from rasa.engine.storage.local_model_storage import LocalModelStorage

from assistant.hardening import graph_runner
from assistant.paths import MODEL_PATH
from tests.required import unavailable

DASK_RUN = DaskGraphRunner.run


class Add(GraphComponent):
    """Adds its inputs (and its config's `plus`); fails on a negative sum."""

    def __init__(self, plus: int) -> None:
        self.plus = plus

    @classmethod
    def create(cls, config: dict[str, Any], model_storage: Any, resource: Any,
               execution_context: ExecutionContext) -> Add:
        return cls(config["plus"])

    def add(self, a: int, b: int = 0) -> int:
        total = a + b + self.plus
        if total < 0:
            raise ValueError("negative")
        return total


def node(needs: dict[str, str], plus: int, target: bool = False) -> SchemaNode:
    return SchemaNode(needs=needs, uses=Add, constructor_name="create", fn="add",
                      config={"plus": plus}, eager=True, is_target=target)


SCHEMA = GraphSchema({
    "first": node({"a": "__number__"}, 1),
    "second": node({"a": "first"}, 10),
    "third": node({"a": "first", "b": "second"}, 100, target=True),
    "other": node({"a": "__number__"}, 1000, target=True),
})


@pytest.fixture
def runner(tmp_path: Path) -> DaskGraphRunner:
    storage = LocalModelStorage(tmp_path)
    return DaskGraphRunner.create(SCHEMA, storage, ExecutionContext(SCHEMA))


def both(runner: DaskGraphRunner, *args: Any, **kwargs: Any) -> tuple[Any, Any]:
    """What dask's run and the in-order run return, or the type of what they raise."""
    outcomes = []
    for run in (DASK_RUN, graph_runner.run):
        try:
            outcomes.append(run(runner, *args, **kwargs))
        except Exception as error:  # the comparison is the point
            outcomes.append(type(error))
    return outcomes[0], outcomes[1]


@pytest.mark.parametrize(
    ("inputs", "targets", "expected"),
    [
        ({"__number__": 1}, None, {"third": 114, "other": 1001}),
        ({"__number__": 1}, ["third"], {"third": 114}),
        ({"__number__": 1}, ["second", "other"], {"second": 12, "other": 1001}),
        ({"__number__": 1, "first": 5}, ["third"], {"third": 120}),  # an input replaces a node
        (None, ["third"], GraphRunError),  # nothing provides __number__
        ({"__number__": -500}, ["third"], GraphComponentException),  # a node fails
        ({"__number__": "first"}, None, GraphRunError),  # an input clashes with a node's name
    ],
)
def test_same_outputs_and_errors_as_dask(runner: DaskGraphRunner, inputs: dict[str, Any] | None,
                                         targets: list[str] | None, expected: Any) -> None:
    assert both(runner, inputs, targets) == (expected, expected)


def test_the_order_runs_each_node_after_its_needs() -> None:
    order = graph_runner.execution_order(SCHEMA, ("third", "other"))
    assert order == ("first", "second", "third", "other")


@pytest.fixture(scope="module")
def agent() -> Iterator[Any]:
    if not MODEL_PATH.exists():
        message = f"no trained model at {MODEL_PATH}: run `make train` (make test does)"
        unavailable(message)
    from rasa.core.agent import load_agent
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)
    yield asyncio.run(load_agent(model_path=str(MODEL_PATH)))


def test_the_trained_model_reads_and_predicts_the_same(agent: Any) -> None:
    from rasa.core.channels.channel import UserMessage
    from rasa.shared.core.events import ActionExecuted, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    texts = ["我在丹东有工作，租房，交社保，能落户吗？",
             "Can I get a Dalian hukou through the talent policy?", "有工作", "那如果是在沈阳呢？",
             "你好", "What documents do I need to settle in Haicheng?"]
    processor = agent.processor

    def read_and_predict() -> list[Any]:
        results = []
        for text in texts:
            parsed = asyncio.run(processor.parse_message(UserMessage(text)))
            tracker = DialogueStateTracker("someone", agent.domain.slots)
            tracker.update(ActionExecuted("action_listen"))
            tracker.update(UserUttered(text, parsed["intent"], parsed["entities"], parsed))
            prediction = processor._predict_next_with_tracker(tracker)
            results.append((parsed["intent"], parsed["entities"], parsed["intent_ranking"],
                            prediction.probabilities, prediction.policy_name))
        return results

    DaskGraphRunner.run = DASK_RUN
    try:
        expected = read_and_predict()
        DaskGraphRunner.run = graph_runner.run
        assert read_and_predict() == expected
    finally:
        DaskGraphRunner.run = DASK_RUN
