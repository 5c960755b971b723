"""Bad or hostile input never causes a server error and always gets a clear answer."""

from __future__ import annotations

import uuid

import pytest
import requests

from assistant.hardening.limits import Limits
from assistant.hardening.wording import reply
from assistant.settings import Settings

from .client import Conversation


def texts(messages: list[dict]) -> str:
    return " ".join(m.get("text") or "" for m in messages)


@pytest.mark.parametrize(
    "message",
    [
        "",
        "   ",
        "🙂🙂🙂",
        "🏠❓",
        "<script>alert('x')</script>",
        "<b>我想在丹东落户</b>",
        "'; DROP TABLE events; --",
        "asdfghjkl qwerty",
        "落户" * 3,
        '/inform{"city": "nowhere"}',
        "/nonexistent_intent",
        "\u0000\u0001控制字符",
    ],
)
def test_odd_messages_get_an_answer(conversation: Conversation, message: str) -> None:
    messages = conversation.send(message)
    assert messages, f"no reply to {message!r}"
    assert texts(messages).strip(), messages
    assert "<script>" not in texts(messages)




@pytest.mark.parametrize(
    ("message", "lang"),
    [
        (("我想在丹东落户，我有工作，租房，交社保。" * 1000)[:20000], "zh"),
        (("Can I settle in Dandong? " * 1000)[:20000], "en"),
    ],
)
def test_very_long_message_gets_the_length_reply(
    conversation: Conversation, limits: Limits, message: str, lang: str
) -> None:
    messages = conversation.send(message)
    assert texts(messages) == reply(lang, "too_long", limit=limits.max_chars)
    # the next message of the conversation is answered as usual
    assert conversation.send(message[: limits.max_chars]) != messages


def test_too_many_messages_get_the_rate_reply(
    assistant: Settings, conversation: Conversation, limits: Limits
) -> None:
    replies = [texts(conversation.send("Hello")) for _ in range(limits.rate + 2)]
    limited = reply("en", "rate_limited")
    assert limited not in replies[: limits.rate]
    assert replies[limits.rate:] == [limited, limited]
    other = Conversation(assistant)  # another sender is not held up
    assert texts(other.send("你好")) != reply("zh", "rate_limited")


def post_raw(settings: Settings, body: bytes, content_type: str) -> requests.Response:
    return requests.post(
        settings.rest_url, data=body, headers={"Content-Type": content_type}, timeout=60
    )


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b'{"sender": "x", "message": ', "application/json"),
        (b"not json at all", "application/json"),
        (b"", "application/json"),
        (b"[1, 2, 3]", "application/json"),
        (b"42", "application/json"),
        (b'{"sender": "x"}', "application/json"),
        (b'{"sender": "x", "message": 42}', "application/json"),
        (b'{"sender": ["x"], "message": "hi"}', "application/json"),
        (b"sender=x&message=hello", "application/x-www-form-urlencoded"),
        (b"\xff\xfe\x00garbage", "application/octet-stream"),
    ],
)
def test_malformed_requests_get_a_clear_400(
    assistant: Settings, body: bytes, content_type: str
) -> None:
    response = post_raw(assistant, body, content_type)
    assert response.status_code == 400, (body, response.status_code, response.text)
    assert "expected a JSON object" in response.text


def test_json_sent_as_text_plain_is_answered(assistant: Settings) -> None:
    body = b'{"sender": "plain-text-client", "message": "hello"}'
    response = post_raw(assistant, body, "text/plain")
    assert response.status_code == 200
    assert response.json()


def test_server_still_answers_after_bad_input(assistant: Settings) -> None:
    post_raw(assistant, b"{", "application/json")
    messages = Conversation(assistant).send("Can I settle in Dandong?")
    assert messages


def test_unknown_sender_characters(assistant: Settings) -> None:
    response = requests.post(
        assistant.rest_url,
        json={"sender": f"用户-{uuid.uuid4().hex[:6]}/../🙂", "message": "你好"},
        timeout=60,
    )
    assert response.status_code == 200
    assert response.json()


def test_health_and_parse_endpoints(assistant: Settings, api_token: str) -> None:
    assert requests.get(f"{assistant.base_url}/webhooks/rest/", timeout=10).json() == {
        "status": "ok"
    }
    parsed = requests.post(
        f"{assistant.base_url}/model/parse", params={"token": api_token},
        json={"text": "我想在丹东落户"}, timeout=30,
    ).json()
    assert parsed["intent"]["name"]
