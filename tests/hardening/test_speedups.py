"""The cached validator of action server responses decides as Rasa's own does."""

from __future__ import annotations

from typing import Any

import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction

from assistant.hardening import speedups

RESPONSES: list[dict[str, Any]] = [
    {"events": [{"event": "slot", "name": "city", "value": "dandong"}], "responses": []},
    {"events": [], "responses": [{"text": "hi", "custom": {"type": "policy_answer"}}]},
    {"events": [{"event": "bot", "text": "x", "data": {}, "metadata": {}}]},
    {"events": [{"event": "slot", "name": 3}]},  # name must be a string
    {"events": "not a list"},
    {"responses": [1, 2]},
    {"events": [{"event": "no_such_event"}]},
]


def outcome(validate: Any, result: dict[str, Any]) -> str:
    try:
        validate(RemoteAction("action_x", None), result)
    except ValidationError as error:
        return f"invalid: {error.message}"
    return "valid"


@pytest.mark.parametrize("result", RESPONSES)
def test_same_decision_and_message_as_rasa(result: dict[str, Any]) -> None:
    original = RemoteAction._validate_action_result
    if getattr(original, "_hukou_cached_validator", False):
        pytest.skip("installed already in this process")
    expected = outcome(original, result)
    speedups.install()
    try:
        assert outcome(RemoteAction._validate_action_result, result) == expected
    finally:
        RemoteAction._validate_action_result = original


def test_the_responses_compared_hold_valid_and_invalid_ones() -> None:
    """The comparison above covers both decisions (checked with Rasa's own validator)."""
    original = RemoteAction._validate_action_result
    assert [outcome(original, r).startswith("valid") for r in RESPONSES] == [
        True, True, True, False, False, False, False
    ]
