"""Terminal client of the REST channel: sending messages and printing the bot's answers."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from assistant.presentation import (
    channel_wording,
    is_policy_answer,
    option_line,
    render_policy_answer,
    resolve_input,
)

__all__ = [
    "ChatError",
    "RestClient",
    "interactive",
    "render_messages",
    "resolve_input",
]


class ChatError(RuntimeError):
    """The assistant could not be reached or gave an unusable answer."""


@dataclass
class RestClient:
    """One conversation (one sender id) with the REST channel."""

    rest_url: str
    sender: str = field(default_factory=lambda: f"cli-{uuid.uuid4().hex[:12]}")
    timeout: float = 60.0

    def send(self, message: str) -> list[dict[str, Any]]:
        body = json.dumps({"sender": self.sender, "message": message}).encode("utf-8")
        request = urllib.request.Request(
            self.rest_url, data=body, headers={"Content-Type": "application/json"}
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                answer = json.loads(response.read().decode("utf-8"))
        except urllib.error.HTTPError as err:
            raise ChatError(f"the assistant answered HTTP {err.code}") from err
        except (OSError, ValueError) as err:
            raise ChatError(f"cannot reach the assistant at {self.rest_url}: {err}") from err
        if not isinstance(answer, list):
            raise ChatError(f"unexpected answer from the assistant: {answer!r}")
        return [m for m in answer if isinstance(m, dict)]


def render_messages(
    messages: list[dict[str, Any]], *, as_json: bool = False
) -> tuple[list[str], list[str]]:
    """Lines to print for a batch of bot messages, and the payloads of numbered buttons."""
    lines: list[str] = []
    payloads: list[str] = []
    for message in messages:
        if message.get("text"):
            lines.append(str(message["text"]))
        for button in message.get("buttons") or []:
            payloads.append(str(button.get("payload", "")))
            lines.append(option_line(len(payloads), button))
        if message.get("image"):
            lines.append(f"  [image] {message['image']}")
        custom = message.get("custom")
        if is_policy_answer(message):
            lines.extend(render_policy_answer(message["custom"]))
        if as_json and custom is not None:
            lines.append(json.dumps(custom, ensure_ascii=False, indent=2))
    return lines, payloads


def interactive(
    client: RestClient,
    *,
    as_json: bool = False,
    lang: str | None = None,
    read: Callable[[str], str] = input,
    write: Callable[[str], None] = print,
) -> None:
    """Read-eval-print loop until EOF, Ctrl-C or /quit."""
    intro = {code: channel_wording(code)["chat"]["intro"] for code in ("zh", "en")}
    write(intro.get(lang or "", intro["en"] + "\n" + intro["zh"]))
    payloads: list[str] = []
    if lang:
        # Tell the bot which language to use from the start.
        payloads = _exchange(client, f'/change_language{{"lang":"{lang}"}}', as_json, write)
    while True:
        try:
            line = read("> ")
        except (EOFError, KeyboardInterrupt):
            write("")
            return
        if line.strip() in ("/quit", "/exit"):
            return
        message = resolve_input(line, payloads)
        if not message:
            continue
        try:
            payloads = _exchange(client, message, as_json, write)
        except KeyboardInterrupt:
            write("")
            return


def _exchange(
    client: RestClient, message: str, as_json: bool, write: Callable[[str], None]
) -> list[str]:
    messages = client.send(message)
    lines, payloads = render_messages(messages, as_json=as_json)
    for line in lines or ["(no answer)"]:
        write(line)
    return payloads
