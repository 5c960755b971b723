"""The REST channel, with the request body checked before Rasa reads it.

Rasa's own `RestInput` calls `request.json.get(...)`: an empty body, a JSON array or a
number makes it fail with HTTP 500. This subclass answers such requests with HTTP 400 and
a message saying what is expected. It keeps the name `rest`, so the URLs stay
`/webhooks/rest/` and `/webhooks/rest/webhook` (credentials.yml refers to it by path).
Loaded by the Rasa server only.
"""

from __future__ import annotations

from typing import Any

from rasa.core.channels.rest import RestInput as RasaRestInput
from sanic.exceptions import InvalidUsage
from sanic.request import Request

EXPECTED = 'expected a JSON object {"sender": "<conversation id>", "message": "<text>"}'


def _body(request: Request) -> dict[str, Any]:
    try:
        body = request.json
    except Exception as err:  # sanic raises its own error types for undecodable bodies
        raise InvalidUsage(f"the body is not valid JSON: {EXPECTED}") from err
    if not isinstance(body, dict):
        raise InvalidUsage(f"the body is not a JSON object: {EXPECTED}")
    return body


class RestInput(RasaRestInput):
    """`rest` channel that rejects malformed requests with 400 instead of failing."""

    async def _extract_sender(self, req: Request) -> str | None:
        sender = _body(req).get("sender")
        if sender is not None and not isinstance(sender, (str, int)):
            raise InvalidUsage(f'"sender" must be a string: {EXPECTED}')
        return None if sender is None else str(sender)

    def _extract_message(self, req: Request) -> str | None:
        message = _body(req).get("message")
        if not isinstance(message, str):
            raise InvalidUsage(f'"message" must be a string: {EXPECTED}')
        return message

    def _extract_input_channel(self, req: Request) -> str:
        channel = _body(req).get("input_channel")
        return channel if isinstance(channel, str) and channel else self.name()

    def get_metadata(self, request: Request) -> dict[str, Any] | None:
        metadata = _body(request).get("metadata")
        return metadata if isinstance(metadata, dict) else None
