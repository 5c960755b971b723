"""The bot's messages of one turn as WeChat text.

WeChat shows plain text only. A policy answer arrives as the action's rendered text followed
by its `policy_answer` payload (docs/contract/answer.md); in WeChat it becomes: the verdict
sentence and notes as rendered, each clause with its document and number but the quotation
shortened (the user replies `FULL_CLAUSE_NUMBER` for the full texts), the checklist
numbered, the office. Buttons become numbered options, as in the terminal chat
(`assistant.presentation`). The sections are recognised by the headings of the policies'
own wording (policies/data/wording), so that nothing here repeats it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from assistant.presentation import (
    answer_lang,
    channel_wording,
    is_policy_answer,
    option_line,
    render_policy_answer,
)
from policies.loader import load_rules
from policies.render import citation_line

#: Replying this number sends the full text of the clauses the last answer quoted.
FULL_CLAUSE_NUMBER = 0
#: A quotation longer than this (UTF-8 bytes: 80 Chinese characters) is shortened.
QUOTE_BYTES = 240
BULLETS = ("· ", "- ", "• ")


def _policy_wording(lang: str) -> dict[str, Any]:
    wording: dict[str, Any] = load_rules().wording[lang]
    return wording


def shorten(text: str, limit: int = QUOTE_BYTES) -> str:
    """The beginning of `text`, at most `limit` bytes, cut between characters (and, in a
    text with spaces, between words)."""
    data = text.encode("utf-8")
    if len(data) <= limit:
        return text
    short = data[:limit].decode("utf-8", errors="ignore")
    following = text[len(short) : len(short) + 1]
    if _latin_letter(short[-1:]) and _latin_letter(following) and " " in short:
        short = short.rsplit(" ", 1)[0]  # English: not inside a word
    return short.rstrip()


def _latin_letter(char: str) -> bool:
    return bool(char) and char.isascii() and char.isalnum()


def _strip_bullet(line: str) -> str:
    for bullet in BULLETS:
        if line.startswith(bullet):
            return line[len(bullet) :]
    return line


def excerpt(quote: str) -> str:
    """The beginning of a quotation: its first paragraph, at most `QUOTE_BYTES`."""
    return shorten(quote.strip().split("\n", 1)[0].strip())


def rewrite_answer_text(text: str, answer: dict[str, Any]) -> str:
    """The action's rendered answer with shortened quotations and a numbered checklist."""
    lang = answer_lang(answer)
    headings = {
        str(value).strip(): key for key, value in _policy_wording(lang)["headings"].items()
    }
    cut = str(channel_wording(lang)["wechat"]["clause_shortened"])
    shortened = False
    # A quotation may run over several lines (paragraphs): replaced in the whole text.
    for citation in answer.get("citations") or []:
        quote = str(citation.get("text", "")).strip()
        if quote and excerpt(quote) != quote and quote in text:
            text = text.replace(quote, excerpt(quote) + cut)
            shortened = True
    section = ""
    number = 0
    lines: list[str] = []
    for line in text.split("\n"):
        if line.strip() in headings:
            section = headings[line.strip()]
        elif section == "documents" and line.startswith(BULLETS):
            number += 1
            line = f"{number}. {_strip_bullet(line)}"
        lines.append(line)
    if shortened:
        hint = channel_wording(lang)["wechat"]["full_clause_hint"]
        lines.append(str(hint).format(number=FULL_CLAUSE_NUMBER))
    return "\n".join(lines)


def _is_plain_text(message: dict[str, Any]) -> bool:
    return bool(message.get("text")) and set(message) <= {"text", "recipient_id"}


def _join_texts(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Consecutive plain texts joined into one message again.

    Rasa's collecting output channel sends a text with blank lines as several messages
    (one per paragraph), so the rendered answer before a `policy_answer`, which quotes
    clauses of several paragraphs, may arrive in pieces. Joined with the blank line that
    separates blocks anyway, the text reads the same.
    """
    joined: list[dict[str, Any]] = []
    for message in messages:
        if _is_plain_text(message) and joined and _is_plain_text(joined[-1]):
            joined[-1] = {"text": f"{joined[-1]['text']}\n\n{message['text']}"}
        else:
            joined.append(message)
    return joined


def render_turn(messages: list[dict[str, Any]], lang: str | None = None) -> str:
    """One text for the bot messages of a turn (split into WeChat messages afterwards).

    `lang` is the conversation's language, for the line that introduces numbered options.
    """
    blocks: list[str] = []
    number = 0
    messages = _join_texts(messages)
    for index, message in enumerate(messages):
        following = messages[index + 1] if index + 1 < len(messages) else {}
        if is_policy_answer(message):
            previous = messages[index - 1] if index else {}
            if not previous.get("text"):  # a payload alone: the compact summary
                blocks.append("\n".join(line.strip() for line in render_policy_answer(
                    message["custom"])))
            continue
        lines: list[str] = []
        if message.get("text"):
            text = str(message["text"])
            if is_policy_answer(following):
                text = rewrite_answer_text(text, following["custom"])
            lines.append(text)
        buttons = [b for b in message.get("buttons") or [] if isinstance(b, dict)]
        if buttons and lang:
            lines.append(str(channel_wording(lang)["wechat"]["options_hint"]))
        for button in buttons:
            number += 1
            lines.append(option_line(number, button, indent=""))
        if message.get("image"):
            lines.append(str(message["image"]))
        if lines:
            blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def full_clauses(answer: dict[str, Any]) -> str:
    """The full text of every clause `answer` cites, with document and number, marked as
    a translation where it is one (as the answer itself quotes them)."""
    lang = answer_lang(answer)
    rules = load_rules()
    lines = [str(channel_wording(lang)["wechat"]["full_clause_heading"])]
    lines += [citation_line(rules, cite, lang) for cite in answer.get("citations") or []]
    return "\n".join(lines)


def fixed_reply(name: str, lang: str | None) -> str:
    """A fixed reply of the channel wording: in `lang`, or in both languages when unknown."""
    langs: Iterable[str] = (lang,) if lang in ("zh", "en") else ("zh", "en")
    return "\n\n".join(str(channel_wording(code)["wechat"][name]) for code in langs)
