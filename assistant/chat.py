"""Terminal client of the REST channel: sending messages and printing the bot's answers."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

VERDICT_LABELS = {
    "zh": {
        "eligible": "符合条件",
        "not_eligible": "不符合条件",
        "conditional": "视当地规定而定",
        "need_more_info": "需要更多信息",
        "info": "政策说明",
        "not_covered": "不在所掌握的政策范围内",
    },
    "en": {
        "eligible": "eligible",
        "not_eligible": "not eligible",
        "conditional": "depends on local rules",
        "need_more_info": "more information needed",
        "info": "information",
        "not_covered": "not covered by the policies I hold",
    },
}
FIELD_LABELS = {
    "zh": {"verdict": "结论", "basis": "依据", "documents": "所需材料", "offices": "办理机关"},
    "en": {"verdict": "Verdict", "basis": "Basis", "documents": "Documents", "offices": "Offices"},
}


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


def render_policy_answer(answer: dict[str, Any]) -> list[str]:
    """A compact, readable form of a `policy_answer` (verdict, citations, checklist)."""
    lang = answer.get("lang") if answer.get("lang") in FIELD_LABELS else "en"
    labels = FIELD_LABELS[str(lang)]
    verdict = str(answer.get("verdict", ""))
    lines = [f"  [{labels['verdict']}] {VERDICT_LABELS[str(lang)].get(verdict, verdict)}"]
    citations = []
    for citation in answer.get("citations") or []:
        title = citation.get("title")
        ref = f"{citation.get('doc')} §{citation.get('clause')}"
        citations.append(f"{ref} {title}" if title else ref)
    if citations:
        lines.append(f"  [{labels['basis']}] " + "; ".join(citations))
    documents = [str(d.get("name") or d.get("id")) for d in answer.get("documents") or []]
    if documents:
        lines.append(f"  [{labels['documents']}] " + ", ".join(documents))
    offices = [str(o.get("name") or o.get("id")) for o in answer.get("offices") or []]
    if offices:
        lines.append(f"  [{labels['offices']}] " + ", ".join(offices))
    return lines


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
            lines.append(f"  {len(payloads)}) {button.get('title', button.get('payload'))}")
        if message.get("image"):
            lines.append(f"  [image] {message['image']}")
        custom = message.get("custom")
        if isinstance(custom, dict) and custom.get("type") == "policy_answer":
            lines.extend(render_policy_answer(custom))
        if as_json and custom is not None:
            lines.append(json.dumps(custom, ensure_ascii=False, indent=2))
    return lines, payloads


def resolve_input(line: str, payloads: list[str]) -> str:
    """A number typed after numbered buttons sends that button's payload."""
    stripped = line.strip()
    if stripped.isdigit() and 1 <= int(stripped) <= len(payloads):
        return payloads[int(stripped) - 1]
    return stripped


def interactive(
    client: RestClient,
    *,
    as_json: bool = False,
    lang: str | None = None,
    read: Callable[[str], str] = input,
    write: Callable[[str], None] = print,
) -> None:
    """Read-eval-print loop until EOF, Ctrl-C or /quit."""
    intro = {
        "zh": "请输入问题（输入数字选择按钮，/quit 退出）。",
        "en": "Ask a question (type a number to pick a button, /quit to leave).",
    }
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
