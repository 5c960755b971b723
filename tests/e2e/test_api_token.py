"""Rasa's HTTP API answers only with the token; the channels need none."""

from __future__ import annotations

import pytest
import requests

from assistant.settings import Settings

from .client import Conversation


@pytest.mark.parametrize("params", [{}, {"token": "wrong"}, {"token": ""}])
def test_someone_elses_tracker_is_refused_without_the_token(
    assistant: Settings, api_token: str, params: dict[str, str]
) -> None:
    conversation = Conversation(assistant)
    conversation.send("我想在丹东落户")
    url = f"{assistant.base_url}/conversations/{conversation.sender}/tracker"
    refused = requests.get(url, params=params, timeout=30)
    assert refused.status_code == 401, refused.text
    assert "丹东" not in refused.text
    allowed = requests.get(url, params={"token": api_token}, timeout=30)
    assert allowed.status_code == 200
    assert any(e.get("text") == "我想在丹东落户" for e in allowed.json()["events"])


@pytest.mark.parametrize(
    ("method", "path"),
    [("post", "/model/parse"), ("get", "/status"), ("get", "/domain"),
     ("post", "/conversations/x/messages")],
)
def test_api_endpoints_need_the_token(assistant: Settings, method: str, path: str) -> None:
    response = requests.request(method, f"{assistant.base_url}{path}",
                                json={"text": "hi", "sender": "user"}, timeout=30)
    assert response.status_code == 401, (path, response.status_code)


def test_parse_with_the_token(assistant: Settings, api_token: str) -> None:
    parsed = requests.post(f"{assistant.base_url}/model/parse", params={"token": api_token},
                           json={"text": "我想在丹东落户"}, timeout=30)
    assert parsed.status_code == 200 and parsed.json()["intent"]["name"]
