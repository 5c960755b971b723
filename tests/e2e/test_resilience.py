"""The action server killed or hung for real: the user hears why, the conversation goes on,
and the next question is answered once the action server is back."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator

import pytest
import requests
import yaml

from assistant.paths import ROOT
from assistant.supervision import Assistant, Service

from .client import Conversation, policy_answers

WORDING = {
    lang: yaml.safe_load(
        (ROOT / "assistant" / "wording" / "hardening" / f"{lang}.yml").read_text("utf-8")
    )["actions_unavailable"]
    for lang in ("zh", "en")
}


def action_server(server: Assistant) -> Service:
    return next(s for s in server.services if s.name == "action server")


def tracker_texts(server: Assistant, api_token: str, sender: str) -> list[tuple[str, str]]:
    response = requests.get(
        f"{server.settings.base_url}/conversations/{sender}/tracker",
        params={"token": api_token}, timeout=30,
    )
    assert response.status_code == 200, response.text
    return [
        (e["event"], e.get("text") or "")
        for e in response.json()["events"]
        if e["event"] in ("user", "bot")
    ]


@pytest.fixture
def back_up(server: Assistant) -> Iterator[Service]:
    """The action server; afterwards, supervised until it answers again."""
    service = action_server(server)
    yield service
    if service.process is not None:
        try:
            os.killpg(service.process.pid, signal.SIGCONT)
        except ProcessLookupError:
            pass
    deadline = time.monotonic() + 120
    while not (not service.exited() and service.is_ready()):
        assert time.monotonic() < deadline, service.log_tail()
        server.supervise()
        time.sleep(0.5)


def test_killed_action_server(server: Assistant, api_token: str, back_up: Service) -> None:
    conversation = Conversation(server.settings)
    assert back_up.process is not None
    os.killpg(back_up.process.pid, signal.SIGKILL)
    back_up.process.wait(timeout=30)

    zh = conversation.send("我在丹东有工作，租房，交社保，能落户吗？")
    assert [m.get("text") for m in zh] == [WORDING["zh"]]
    en = conversation.send("I work in Dandong and rent a flat. Can I settle there?")
    assert [m.get("text") for m in en] == [WORDING["en"]]

    # restarted by the supervisor, as `hukou-assistant run` does every second
    deadline = time.monotonic() + 120
    while not back_up.is_ready():
        assert time.monotonic() < deadline, back_up.log_tail()
        server.supervise()
        time.sleep(0.5)
    assert back_up.restarts >= 1
    answer = policy_answers(conversation.send("我在瓦房店买了一套房子，户口能迁过去吗？"))
    assert answer and answer[-1]["verdict"] == "eligible", answer

    texts = tracker_texts(server, api_token, conversation.sender)
    users = [text for kind, text in texts if kind == "user"]
    assert len(users) == 3  # every message kept, the failed turns too
    assert ("bot", WORDING["zh"]) in texts and ("bot", WORDING["en"]) in texts
    log = back_up.log_path.read_text(encoding="utf-8")
    assert "SUPERVISOR the action server exited" in log


def test_hung_action_server(server: Assistant, back_up: Service) -> None:
    """A stopped (SIGSTOP) action server is slow forever: the assistant stops waiting."""
    conversation = Conversation(server.settings)
    assert back_up.process is not None
    os.killpg(back_up.process.pid, signal.SIGSTOP)
    try:
        messages = conversation.send("What documents do I need to settle in Haicheng?")
        assert [m.get("text") for m in messages] == [WORDING["en"]]
    finally:
        os.killpg(back_up.process.pid, signal.SIGCONT)
    answers = policy_answers(conversation.send("What documents do I need to settle in Haicheng?"))
    assert answers and answers[0]["lang"] == "en"


def test_crashed_rasa_server_loses_no_conversation(server: Assistant) -> None:
    """The Rasa server killed mid-conversation (SQLite tracker store) is restarted by the
    supervisor, and the conversation goes on with what it was told before."""
    rasa = next(s for s in server.services if s.name == "assistant")
    conversation = Conversation(server.settings)
    conversation.send("我想把户口迁到新民")
    assert rasa.process is not None
    os.killpg(rasa.process.pid, signal.SIGKILL)
    rasa.process.wait(timeout=30)
    deadline = time.monotonic() + 300
    while not (rasa.restarts and rasa.is_ready()):
        assert time.monotonic() < deadline, rasa.log_tail()
        server.supervise()
        time.sleep(0.5)
    answers = policy_answers(conversation.send("我在那边有自己的房子"))
    assert answers, "no policy answer after the restart"
    assert answers[-1]["verdict"] == "eligible"
    assert answers[-1]["jurisdiction"]["city"] == "xinmin"  # told before the crash
