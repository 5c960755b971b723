"""Terminal rendering of bot messages and the interactive loop (no server needed)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from assistant.chat import RestClient, interactive, render_messages, resolve_input

ANSWER: dict[str, Any] = {
    "type": "policy_answer",
    "lang": "zh",
    "topic": "settlement_eligibility",
    "jurisdiction": {"province": "liaoning", "city": "dandong"},
    "verdict": "eligible",
    "citations": [
        {
            "doc": "liaoning-2015",
            "clause": "5",
            "title": "有序放开中等城市落户限制",
            "text": "…",
            "text_lang": "zh",
            "official_text": True,
        }
    ],
    "facts": {},
    "missing": [],
    "documents": [
        {"id": "id_card", "name": "居民身份证", "proves": "identity", "basis": "liaoning-2015/5"}
    ],
    "offices": [{"id": "public_security", "name": "公安机关（户籍派出所）"}],
}


def test_policy_answer_is_compact() -> None:
    lines, payloads = render_messages([{"text": "可以落户。"}, {"custom": ANSWER}])
    assert payloads == []
    assert lines[0] == "可以落户。"
    text = "\n".join(lines)
    assert "符合条件" in text
    assert "liaoning-2015 §5 有序放开中等城市落户限制" in text
    assert "居民身份证" in text and "公安机关" in text
    assert '"type"' not in text


def test_json_prints_payload() -> None:
    lines, _ = render_messages([{"custom": ANSWER}], as_json=True)
    assert json.loads(lines[-1])["verdict"] == "eligible"


def test_buttons_are_numbered_and_numbers_send_payloads() -> None:
    lines, payloads = render_messages(
        [
            {
                "text": "住房情况？",
                "buttons": [
                    {"title": "自有住房", "payload": '/inform{"residence":"owned"}'},
                    {"title": "租房", "payload": '/inform{"residence":"rented"}'},
                ],
            }
        ]
    )
    assert lines[1:] == ["  1) 自有住房", "  2) 租房"]
    assert resolve_input("2", payloads) == '/inform{"residence":"rented"}'
    assert resolve_input("3", payloads) == "3"
    assert resolve_input(" 我在丹东 ", payloads) == "我在丹东"


class FakeClient(RestClient):
    def __init__(self) -> None:
        super().__init__("http://unused")
        self.sent: list[str] = []

    def send(self, message: str) -> list[dict[str, Any]]:
        self.sent.append(message)
        return [{"text": f"echo {message}", "buttons": [{"title": "yes", "payload": "/affirm"}]}]


def run_session(inputs: list[str], **kwargs: Any) -> tuple[FakeClient, list[str]]:
    client = FakeClient()
    feed: Iterator[str] = iter(inputs)
    out: list[str] = []

    def read(prompt: str) -> str:
        try:
            return next(feed)
        except StopIteration:
            raise EOFError from None

    interactive(client, read=read, write=out.append, **kwargs)
    return client, out


def test_interactive_loop_until_eof() -> None:
    client, out = run_session(["你好", "", "1"])
    assert client.sent == ["你好", "/affirm"]
    assert "echo 你好" in out and "  1) yes" in out


def test_interactive_quit_and_language() -> None:
    client, _ = run_session(["/quit", "never sent"], lang="en")
    assert client.sent == ['/change_language{"lang":"en"}']


def test_ctrl_c_ends_the_chat() -> None:
    client = FakeClient()

    def read(prompt: str) -> str:
        raise KeyboardInterrupt

    interactive(client, read=read, write=lambda _: None)
    assert client.sent == []
