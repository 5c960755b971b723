"""The widget's HTTP endpoints on the real assistant: /chat/ files, one session's history,
feedback kept in the tracker and listed by `hukou-assistant feedback`; bad input gets 4xx."""

from __future__ import annotations

import json
from typing import Any

import pytest
import requests

from assistant.settings import Settings

from .client import Conversation, feedback_cli, policy_answers
from .conftest import EmbedOrigins


def history(settings: Settings, session_id: str) -> requests.Response:
    return requests.get(f"{settings.base_url}/webhooks/socketio/history/{session_id}", timeout=30)


def feedback(settings: Settings, body: Any) -> requests.Response:
    return requests.post(f"{settings.base_url}/webhooks/socketio/feedback", json=body, timeout=30)


def test_widget_files_are_served(assistant: Settings) -> None:
    page = requests.get(f"{assistant.base_url}/chat/", timeout=30)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert 'src="/chat/widget.js"' in page.text
    assert "default-src 'self'" in page.headers["content-security-policy"]
    script = requests.get(f"{assistant.base_url}/chat/widget.js", timeout=30)
    assert script.status_code == 200 and "javascript" in script.headers["content-type"]
    assert "set-cookie" not in {k.lower() for k in script.headers}
    for path in ("/chat/..%2Fpackage.json", "/chat/.build-stamp", "/chat/nothing.js"):
        assert requests.get(f"{assistant.base_url}{path}", timeout=30).status_code == 404, path


def test_history_returns_one_sessions_messages(
    assistant: Settings, conversation: Conversation
) -> None:
    conversation.send("我想把户口迁到大连，我在大连买了房")
    other = Conversation(assistant)
    other.send("I rent a flat in Haicheng. Can I get hukou there?")
    response = history(assistant, conversation.sender)
    assert response.status_code == 200
    messages = response.json()["messages"]
    assert (messages[0]["sender"], messages[0]["text"]) == (
        "user",
        "我想把户口迁到大连，我在大连买了房",
    )
    assert any(m["sender"] == "bot" and m.get("text") for m in messages)
    assert [m["custom"]["type"] for m in messages if "custom" in m] == ["policy_answer"]
    assert "Haicheng" not in json.dumps(messages)
    unknown = history(assistant, "0" * 32)
    assert unknown.status_code == 200 and unknown.json()["messages"] == []


def test_button_payloads_are_shown_by_their_title_in_the_history(
    assistant: Settings, conversation: Conversation
) -> None:
    # (a place known, the assessment asks its first question with buttons)
    sent = conversation.send("我想在丹东落户")
    buttons = [b for m in sent for b in m.get("buttons") or []]
    if not buttons:
        pytest.fail(f"expected a question with buttons: {sent}")
    conversation.send(buttons[0]["payload"])
    conversation.send('/change_language{"lang":"en"}')
    users = [
        m["text"]
        for m in history(assistant, conversation.sender).json()["messages"]
        if m["sender"] == "user"
    ]
    assert users == ["我想在丹东落户", buttons[0]["title"]]


def test_feedback_is_stored_with_the_conversation_and_listed(
    assistant: Settings, conversation: Conversation
) -> None:
    first = conversation.send("我想把户口迁到大连，我在大连买了房")
    assert policy_answers(first)
    comment = f"没有说明积分标准 {conversation.sender}"
    body = {"session_id": conversation.sender, "answer": 0, "rating": "helpful"}
    assert feedback(assistant, body).status_code == 200
    # changing one's mind: the latest rating of an answer counts
    body.update(rating="not_helpful", comment=comment)
    assert feedback(assistant, body).status_code == 200
    messages = history(assistant, conversation.sender).json()["messages"]
    assert messages[-1] == {
        **messages[-1],
        "sender": "feedback",
        "answer": 0,
        "rating": "not_helpful",
    }
    # the dialogue is not disturbed by the feedback event
    assert policy_answers(conversation.send("我在大连有工作，交了五年社保"))

    listed = feedback_cli(assistant)
    assert comment in listed and "我想把户口迁到大连" in listed and "liaoning-2015/7" in listed
    entries = [
        e
        for e in json.loads(feedback_cli(assistant, "--json"))
        if e["conversation"] == conversation.sender
    ]
    assert len(entries) == 1 and entries[0]["verdict"] and entries[0]["topic"]
    assert entries[0]["rating"] == "not_helpful" and entries[0]["comment"] == comment


def test_helpful_ratings_are_listed_only_with_all(
    assistant: Settings, conversation: Conversation
) -> None:
    assert policy_answers(conversation.send("I rent a flat in Haicheng. Can I get hukou there?"))
    body = {"session_id": conversation.sender, "answer": 0, "rating": "helpful"}
    assert feedback(assistant, body).status_code == 200
    assert conversation.sender not in feedback_cli(assistant)
    assert conversation.sender in feedback_cli(assistant, "--all")


@pytest.mark.parametrize(
    "body",
    [
        None,
        [],
        "helpful",
        {"session_id": "short", "answer": 0, "rating": "helpful"},
        {"session_id": "a" * 32, "answer": -1, "rating": "helpful"},
        {"session_id": "a" * 32, "answer": True, "rating": "helpful"},
        {"session_id": "a" * 32, "answer": "0", "rating": "helpful"},
        {"session_id": "a" * 32, "answer": 0, "rating": "great"},
        {"session_id": "a" * 32, "answer": 0, "rating": "helpful", "comment": 5},
        {"session_id": "a" * 32, "answer": 0, "rating": "helpful", "comment": "x" * 1001},
    ],
)
def test_malformed_feedback_is_refused_with_400(assistant: Settings, body: Any) -> None:
    response = feedback(assistant, body)
    assert response.status_code == 400 and "error" in response.json()


def test_feedback_on_an_answer_that_does_not_exist_is_404(assistant: Settings) -> None:
    body = {"session_id": "b" * 32, "answer": 0, "rating": "not_helpful"}
    assert feedback(assistant, body).status_code == 404


def test_undecodable_feedback_body_is_400(assistant: Settings) -> None:
    response = requests.post(
        f"{assistant.base_url}/webhooks/socketio/feedback", data=b"{{\xff", timeout=30
    )
    assert response.status_code == 400


@pytest.mark.parametrize("session_id", ["short", "a" * 65, "bad%20id", "..%2F..%2Fetc"])
def test_malformed_history_id_is_400(assistant: Settings, session_id: str) -> None:
    assert history(assistant, session_id).status_code in (400, 404)


def test_cors_names_only_the_allowed_origin(
    assistant: Settings, embed_origins: EmbedOrigins
) -> None:
    url = f"{assistant.base_url}/webhooks/rest/webhook"
    headers = {
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type",
    }
    allowed = requests.options(
        url, headers={**headers, "Origin": embed_origins.allowed}, timeout=30
    )
    refused = requests.options(
        url, headers={**headers, "Origin": embed_origins.refused}, timeout=30
    )
    assert allowed.headers.get("access-control-allow-origin") == embed_origins.allowed
    assert "access-control-allow-origin" not in {k.lower() for k in refused.headers}
    # the socket.io transport sends the header once (twice would be rejected by browsers)
    polling = requests.get(
        f"{assistant.base_url}/socket.io/?EIO=4&transport=polling",
        headers={"Origin": embed_origins.allowed},
        timeout=30,
    )
    assert polling.status_code == 200
    assert polling.raw.headers.getlist("Access-Control-Allow-Origin") == [embed_origins.allowed]
