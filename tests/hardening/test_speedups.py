"""The cached validator of action server responses decides as Rasa's own does; event
classes are found by their names as Rasa finds them."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.events import (
    ActionExecuted,
    BotUttered,
    Event,
    SessionStarted,
    SlotSet,
    UserUttered,
    deserialise_events,
)
from rasa.shared.utils.common import all_subclasses

from assistant.hardening import speedups

RESPONSES: list[dict[str, Any]] = [
    {"events": [{"event": "slot", "name": "city", "value": "dandong"}], "responses": []},
    {"events": [], "responses": [{"text": "hi", "custom": {"type": "policy_answer"}}]},
    {"events": [{"event": "bot", "text": "x", "data": {}, "metadata": {}}]},
    {"events": [{"event": "slot", "name": 3}]},  # name must be a string
    {"events": "not a list"},
    {"responses": [1, 2]},
    {"events": [{"event": "no_such_event"}]},
    {"events": [{"event": "user", "text": "hi", "parse_data": {
        "intent": {"name": "greet", "confidence": 0.9},
        "entities": [{"entity": "city", "value": "x", "start": 0, "end": 1}]}}]},
    {"events": [{"event": "action", "name": "action_listen", "policy": None,
                 "confidence": None}, {"event": "reset_slots"}, {"event": "followup"}]},
    {"events": [{"event": "slot", "value": 1}]},  # a slot needs its name
    {"events": [{"event": "user", "text": 5}]},
    {"events": [{"event": "bot", "text": "x", "timestamp": "now"}]},
    {"events": [{"text": "no event named"}]},
    {"events": [{"event": "slot", "name": "city", "value": "dandong"},
                {"event": "entities", "entities": "x"}]},
    {"events": None},
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
        True, True, True, False, False, False, False,
        True, True, False, False, False, False, False, False,
    ]


def test_each_event_type_is_told_apart_by_its_name() -> None:
    """What makes checking each event against its own type alone the same decision."""
    assert speedups._dispatched_validator() is not None


def test_event_classes_are_found_as_rasa_finds_them() -> None:
    names = sorted({c.type_name for c in all_subclasses(Event)})
    original = [speedups._resolve_uncached(name) for name in names]
    for _ in range(2):  # looked up, then from the cache
        assert [speedups._resolve_event_type(name) for name in names] == original
    assert speedups._resolve_event_type("no_such_event", UserUttered) is UserUttered
    assert speedups._resolve_event_type("topic") is None
    with pytest.raises(ValueError, match="no_such_event"):
        speedups._resolve_event_type("no_such_event")
    assert "no_such_event" not in speedups._event_classes


def test_events_read_back_are_the_events_written(monkeypatch: pytest.MonkeyPatch) -> None:
    events = [UserUttered("你好", {"name": "greet", "confidence": 1.0}), BotUttered("hi"),
              SlotSet("city", "dandong"), ActionExecuted("action_listen"), SessionStarted()]
    monkeypatch.setattr(Event, "resolve_by_type", staticmethod(speedups._resolve_event_type))
    assert deserialise_events([e.as_dict() for e in events]) == events


def test_slots_are_copied_as_copy_copies_them() -> None:
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.slots import (
        AnySlot,
        BooleanSlot,
        CategoricalSlot,
        FloatSlot,
        ListSlot,
        Slot,
        TextSlot,
    )

    from assistant.paths import domain_path

    mappings = [{"type": "from_entity", "entity": "city"}]
    slots = [*Domain.load(str(domain_path())).slots,
             FloatSlot("years", mappings, initial_value=2.5, max_value=10),
             BooleanSlot("insured", mappings, initial_value=True),
             TextSlot("city", mappings, value_reset_delay=2), ListSlot("places", mappings),
             CategoricalSlot("residence", mappings, values=["owned", "rented"]),
             AnySlot("facts", mappings, initial_value={"employment": True})]
    installed = Slot.__dict__.get("__copy__")
    if installed is not None:
        del Slot.__copy__
    try:
        expected = [copy.copy(slot) for slot in slots]  # Python's generic copy
    finally:
        if installed is not None:
            Slot.__copy__ = installed
    speedups.install()
    assert "__copy__" in Slot.__dict__
    for slot, theirs in zip(slots, expected, strict=True):
        ours = copy.copy(slot)
        assert ours is not slot and type(ours) is type(theirs) is type(slot)
        assert vars(ours) == vars(theirs)
        assert all(vars(ours)[name] is value for name, value in vars(theirs).items())
