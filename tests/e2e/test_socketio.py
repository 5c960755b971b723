"""The socket.io channel of the widget with a real socket.io client (issue #13).

Rasa 3.6's own channel fails on every policy answer (`emit() got an unexpected keyword
argument 'type'`) and never joins the session's room; assistant.socket_channel fixes both.
"""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import jsonschema
import pytest
import requests

from assistant.settings import Settings

from .conftest import EmbedOrigins
from .socket_client import Refused, SocketConversation, run_async

QUESTION_ZH = "我想把户口迁到大连，我在大连买了房"


def test_policy_answer_arrives_as_one_custom_message(
    assistant: Settings, answer_schema: dict[str, Any]
) -> None:
    async def scenario() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        asker, bystander = SocketConversation(assistant), SocketConversation(assistant)
        await asker.connect()
        await bystander.connect()
        assert asker.confirmed_id == asker.session_id
        await asker.say(QUESTION_ZH)
        await asker.wait_for("custom")
        await asyncio.sleep(1.0)  # anything sent to the wrong room would arrive by now
        await asker.close()
        await bystander.close()
        return asker.received, bystander.received

    received, elsewhere = run_async(scenario())
    answers = [m["custom"] for m in received if "custom" in m]
    assert len(answers) == 1, received
    jsonschema.validate(answers[0], answer_schema)
    assert answers[0]["lang"] == "zh" and answers[0]["citations"]
    assert any(m.get("text") for m in received), received
    assert elsewhere == [], "a message reached another session"


def test_session_persists_across_connections(assistant: Settings) -> None:
    """A new connection with the same session id continues the conversation (a reload)."""

    async def scenario() -> dict[str, Any]:
        first = SocketConversation(assistant)
        await first.connect()
        await first.say("I rent a flat in Haicheng. Can I get hukou there?")
        await first.wait_for("custom")
        await first.close()
        second = SocketConversation(assistant)
        second.session_id = first.session_id
        await second.connect()
        await second.say("I have a job there and pay social insurance.")
        message = await second.wait_for("custom")
        await second.close()
        return message["custom"]

    answer = run_async(scenario())
    # the city said in the first connection is remembered in the second
    assert answer["jurisdiction"]["city"] == "haicheng", answer


def test_malformed_events_are_ignored_and_the_channel_keeps_working(assistant: Settings) -> None:
    chat = SocketConversation(assistant)

    async def scenario() -> list[dict[str, Any]]:
        await chat.connect()
        for bad in (
            ["not", "a", "dict"],
            "text only",
            {"message": "no session id"},
            {"message": 42, "session_id": chat.session_id},
            {"message": "x" * 5000, "session_id": chat.session_id},
            {"message": "bad id", "session_id": "../../etc"},
        ):
            await chat.send(bad)
        await chat.client.emit("session_request", "not a dict")
        await chat.say(QUESTION_ZH)
        await chat.wait_for("custom")
        await chat.close()
        return chat.received

    received = run_async(scenario())
    # only the last, valid message was answered: one policy answer
    assert len([m for m in received if "custom" in m]) == 1, received
    # and only it reached the conversation (the over-long one got the guard's reply)
    history = requests.get(
        f"{assistant.base_url}/webhooks/socketio/history/{chat.session_id}", timeout=30
    ).json()["messages"]
    assert [m["text"] for m in history if m["sender"] == "user"] == [QUESTION_ZH], history


def test_origin_not_allowed_is_refused(assistant: Settings, embed_origins: EmbedOrigins) -> None:
    async def connect(origin: str) -> None:
        chat = SocketConversation(assistant, origin=origin)
        try:
            await chat.connect()
        finally:
            await chat.close()

    run_async(connect(embed_origins.allowed))
    run_async(connect(assistant.base_url))  # the demo page at /chat/: the same origin
    with pytest.raises(Refused, match="origin not allowed"):
        run_async(connect(embed_origins.refused))


def test_unknown_session_request_gets_a_fresh_id(assistant: Settings) -> None:
    async def scenario() -> str:
        chat = SocketConversation(assistant)
        chat.session_id = "bad id!"
        try:
            await chat.connect()
        finally:
            await chat.close()
        return str(chat.confirmed_id)

    confirmed = run_async(scenario())
    assert confirmed != "bad id!" and len(confirmed) == 32 and uuid.UUID(hex=confirmed)


def test_the_input_guard_screens_socket_messages(assistant: Settings, limits: Any) -> None:
    """Every channel has the guard: a message over the length cap gets the polite reply in
    its language, and nothing of it reaches the dialogue."""

    async def scenario() -> list[dict[str, Any]]:
        chat = SocketConversation(assistant)
        await chat.connect()
        await chat.say("I rent a flat in Haicheng. " * (limits.max_chars // 20))
        await chat.wait_for("text")
        await asyncio.sleep(1.0)  # an answer of the dialogue would arrive by now
        await chat.close()
        return chat.received

    received = run_async(scenario())
    assert [m for m in received if "custom" in m] == [], received
    assert any(str(limits.max_chars) in (m.get("text") or "") for m in received), received
