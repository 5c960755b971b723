"""The REST channel of assistant.channels behind the input guard (assistant.hardening).

Named in credentials.yml as `assistant.hardening.rest.RestInput`; it keeps the name `rest`
and the URLs `/webhooks/rest/` and `/webhooks/rest/webhook`. The REST channel is always
on, so its set-up is also where the Rasa server gets the action-server fallback
(assistant.hardening.actions_unavailable) and the cached response validator
(assistant.hardening.speedups), whichever channels are on besides.
"""

from __future__ import annotations

from typing import Any

from sanic import Blueprint

from assistant.channels import RestInput as CheckedRestInput
from assistant.hardening import actions_unavailable, speedups
from assistant.hardening.screen import Guard, OnNewMessage, guarded


class RestInput(CheckedRestInput):
    """`rest`: malformed bodies refused with 400, messages screened by the guard."""

    def __init__(self) -> None:
        super().__init__()
        self.guard = Guard.from_env(self.name())

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> RestInput:
        return cls()

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        actions_unavailable.install(self.guard.limits.action_timeout_s)
        speedups.install()
        blueprint = super().blueprint(guarded(on_new_message, self.guard, self.name()))

        @blueprint.listener("after_server_stop")
        async def close(*_: Any) -> None:
            await self.guard.close()

        return blueprint
