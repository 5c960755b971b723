"""Hot spots of the Rasa server, found with `make bench` (py-spy), removed without changing
what they do.

Rasa checks every action server response against its response schema with
`jsonschema.validate(result, schema)`, which first checks the (large, constant) schema
itself against the JSON Schema meta-schema and builds a new validator, at every action
call. That took about a quarter of the Rasa process's CPU under load (README, "Measured").
`install()` validates against the same schema with one validator built (and the schema
checked) once per process; an invalid response fails exactly as before.

Rasa finds the class of an event by its type name (`Event.resolve_by_type`) by walking all
subclasses of `Event` again, about 25 µs, for every event it reads: each event of a
conversation read from the tracker store, each event an action returns, at every turn.
`install()` keeps the class found for each name (the classes do not change once imported;
a name not found is looked up again, and fails or falls back as before).
"""

from __future__ import annotations

import functools
from typing import Any

from jsonschema import exceptions, validators
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL
from rasa.shared.core.events import Event

_MARK = "_hukou_cached_validator"


@functools.cache
def _response_validator() -> Any:
    schema = RemoteAction.action_response_format_spec()
    cls = validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def _validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
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


def install() -> None:
    if getattr(RemoteAction._validate_action_result, _MARK, False):
        return
    setattr(_validate_action_result, _MARK, True)
    RemoteAction._validate_action_result = _validate_action_result
    Event.resolve_by_type = staticmethod(_resolve_event_type)
