"""HTTP helpers of the end-to-end tests."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from typing import Any

import requests

from assistant.paths import ROOT
from assistant.settings import Settings


class Conversation:
    """One sender talking to the REST channel."""

    def __init__(self, settings: Settings) -> None:
        self.url = settings.rest_url
        self.sender = f"e2e-{uuid.uuid4().hex[:12]}"

    def send(self, message: str) -> list[dict[str, Any]]:
        response = requests.post(
            self.url, json={"sender": self.sender, "message": message}, timeout=120
        )
        assert response.status_code == 200, (message, response.status_code, response.text)
        messages: list[dict[str, Any]] = response.json()
        assert isinstance(messages, list)
        return messages


def policy_answers(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        m["custom"]
        for m in messages
        if isinstance(m.get("custom"), dict) and m["custom"].get("type") == "policy_answer"
    ]


def feedback_cli(settings: Settings, *args: str) -> str:
    """What `hukou-assistant feedback ARGS` prints for the assistant's tracker store."""
    env = {**os.environ, "HUKOU_TRACKER_STORE_URL": str(settings.tracker_store_url)}
    return subprocess.run(
        [sys.executable, "-m", "assistant.cli", "feedback", *args],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
    ).stdout
