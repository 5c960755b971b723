"""How bot messages are shown on the text-only channels (terminal chat, WeChat, WeCom).

Shared by `assistant.chat` and `assistant.wechat`: buttons become numbered options that the
user answers by typing the number, and a `policy_answer` (docs/contract/answer.md) gets a
compact summary. The labels come from `assistant/wording/channels/<lang>.yml`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from assistant.wording_data import LANGS, load_wording


def channel_wording(lang: str) -> dict[str, Any]:
    """The channel wording of `lang` (zh or en; anything else reads as en)."""
    return load_wording(lang if lang in LANGS else "en", "channels")


def answer_lang(answer: dict[str, Any]) -> str:
    lang = answer.get("lang")
    return lang if isinstance(lang, str) and lang in LANGS else "en"


def is_policy_answer(message: dict[str, Any]) -> bool:
    custom = message.get("custom")
    return isinstance(custom, dict) and custom.get("type") == "policy_answer"


def citation_label(citation: dict[str, Any]) -> str:
    """`liaoning-2015 §5 title`: the identifiers of answer.md, then the clause's title."""
    ref = f"{citation.get('doc')} §{citation.get('clause')}"
    title = citation.get("title")
    return f"{ref} {title}" if title else ref


def render_policy_answer(answer: dict[str, Any]) -> list[str]:
    """A compact, readable form of a `policy_answer` (verdict, citations, checklist)."""
    words = channel_wording(answer_lang(answer))
    labels = words["fields"]
    verdict = str(answer.get("verdict", ""))
    lines = [f"  [{labels['verdict']}] {words['verdicts'].get(verdict, verdict)}"]
    citations = [citation_label(c) for c in answer.get("citations") or []]
    if citations:
        lines.append(f"  [{labels['basis']}] " + "; ".join(citations))
    documents = [str(d.get("name") or d.get("id")) for d in answer.get("documents") or []]
    if documents:
        lines.append(f"  [{labels['documents']}] " + ", ".join(documents))
    offices = [str(o.get("name") or o.get("id")) for o in answer.get("offices") or []]
    if offices:
        lines.append(f"  [{labels['offices']}] " + ", ".join(offices))
    return lines


def button_payloads(messages: Iterable[dict[str, Any]]) -> list[str]:
    """The payloads of every button of `messages`, in the order they are numbered."""
    return [
        str(button.get("payload", ""))
        for message in messages
        for button in message.get("buttons") or []
        if isinstance(button, dict)
    ]


def option_line(number: int, button: dict[str, Any], indent: str = "  ") -> str:
    """One numbered option: `  1) title`."""
    return f"{indent}{number}) {button.get('title', button.get('payload'))}"


def resolve_input(line: str, payloads: list[str]) -> str:
    """A number typed after numbered buttons sends that button's payload."""
    stripped = line.strip()
    if stripped.isdigit() and 1 <= int(stripped) <= len(payloads):
        return payloads[int(stripped) - 1]
    return stripped
