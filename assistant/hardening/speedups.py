"""Hot spots of the Rasa server, found with `make bench` (py-spy), removed without changing
what they do.

Rasa checks every action server response against its response schema with
`jsonschema.validate(result, schema)`, which first checks the (large, constant) schema
itself against the JSON Schema meta-schema and builds a new validator, at every action
call. That took about a quarter of the Rasa process's CPU under load (README, "Measured").
`install()` validates against the same schema with one validator built (and the schema
checked) once per process; an invalid response fails exactly as before. Even so, a policy
answer's response took about 1.3 ms to validate, most of it the `oneOf` of the event schema,
which checks each event against each of the 23 event types: a response is first checked
with each event against the one type its `event` names (`_dispatched_validator`, the same
decision, since each type requires its own `event` value), and only a response found
invalid goes through the whole schema, for Rasa's error.

Rasa finds the class of an event by its type name (`Event.resolve_by_type`) by walking all
subclasses of `Event` again, about 25 µs, for every event it reads: each event of a
conversation read from the tracker store, each event an action returns, at every turn.
`install()` keeps the class found for each name (the classes do not change once imported;
a name not found is looked up again, and fails or falls back as before).

Rasa copies every slot of the domain each time it makes a tracker or a copy of one (several
times a turn: about 3.5 % of the Rasa server's CPU under load), with `copy.copy`, whose
generic path through `__reduce_ex__` takes about 6 µs a slot. `install()` gives `Slot` a
`__copy__` that does what that path does for these classes (a new instance of the same
class with the same attribute dictionary, shallow), when no slot class defines its own
way of being copied or pickled.

Rasa runs its model graphs through dask's scheduler: `install()` also runs them in order
without it (assistant.hardening.graph_runner), and combines a message's sparse features in
one step (assistant.hardening.sparse_features).
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Callable
from typing import Any

from jsonschema import exceptions, validators
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL
from rasa.shared.core.events import Event
from rasa.shared.core.slots import Slot
from rasa.shared.utils.common import all_subclasses

from assistant.hardening import graph_runner, sparse_features

_MARK = "_hukou_cached_validator"


@functools.cache
def _response_validator() -> Any:
    schema = RemoteAction.action_response_format_spec()
    cls = validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


@functools.cache
def _dispatched_validator() -> Callable[[Any], bool] | None:
    """A check of responses with each event checked against its own type only; None when
    the event types are not told apart by their `event` value (another Rasa version)."""
    schema = copy.deepcopy(RemoteAction.action_response_format_spec())
    event_schema = schema["properties"]["events"]["items"]
    types: dict[str, Any] = {}
    for alternative in event_schema.pop("oneOf"):
        name = alternative.get("properties", {}).get("event", {}).get("const")
        if not isinstance(name, str) or name in types:
            return None
        types[name] = alternative
    cls = validators.validator_for(schema)
    shell = cls(schema)
    by_type = {name: cls(alternative) for name, alternative in types.items()}

    def valid(result: Any) -> bool:
        if not shell.is_valid(result):
            return False
        for event in result.get("events") or ():
            check = by_type.get(event["event"])
            if check is None or not check.is_valid(event):
                return False
        return True

    return valid


def _validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
    dispatched = _dispatched_validator()
    if dispatched is not None and dispatched(result):
        return True
    error = exceptions.best_match(_response_validator().iter_errors(result))
    if error is None:
        return True
    error.message += (
        ". Failed to validate Action server response from API, make sure your response "
        "from the Action endpoint is valid. For more information about the format visit "
        f"{DOCS_BASE_URL}/custom-actions"
    )
    raise error


_resolve_uncached = Event.resolve_by_type
_event_classes: dict[str, type[Event]] = {}


def _resolve_event_type(
    type_name: str, default: type[Event] | None = None
) -> type[Event] | None:
    found = _event_classes.get(type_name)
    if found is None:
        found = _resolve_uncached(type_name, default)
        if found is None or found.type_name != type_name:
            return found  # None ("topic") or the default: not cached
        _event_classes[type_name] = found
    return found


#: what would make `copy.copy` of a slot differ from `_copy_slot`
_COPY_PROTOCOL = ("__copy__", "__reduce__", "__reduce_ex__", "__getstate__", "__setstate__",
                  "__slots__")


def _copy_slot(self: Slot) -> Slot:
    copied: Slot = object.__new__(type(self))  # as copy.copy makes it: Slot has no __new__
    copied.__dict__.update(self.__dict__)
    return copied


def _install_slot_copy() -> None:
    classes = [Slot, *all_subclasses(Slot)]
    if not any(name in vars(cls) for cls in classes for name in _COPY_PROTOCOL):
        Slot.__copy__ = _copy_slot


def install() -> None:
    if getattr(RemoteAction._validate_action_result, _MARK, False):
        return
    setattr(_validate_action_result, _MARK, True)
    RemoteAction._validate_action_result = _validate_action_result
    Event.resolve_by_type = staticmethod(_resolve_event_type)
    _install_slot_copy()
    graph_runner.install()
    sparse_features.install()
