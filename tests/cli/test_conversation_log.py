"""What the widget's history and feedback endpoints make of a tracker's events, the origins
check of the socket.io channel, and `hukou-assistant feedback` reading a tracker store:
without a model or a server."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from assistant import cli
from assistant import conversation_log as log
from assistant.feedback import read_feedback
from assistant.origins import origin_allowed, parse_origins

ANSWER = {
    "type": "policy_answer",
    "lang": "zh",
    "topic": "settlement_eligibility",
    "verdict": "eligible",
    "citations": [{"doc": "liaoning-2015", "clause": "5"}],
}
BUTTONS = [{"title": "是", "payload": "/affirm"}, {"title": "否", "payload": "/deny"}]


def user(text: str, ts: float = 1.0) -> dict[str, Any]:
    return {"event": "user", "text": text, "timestamp": ts}


def bot(text: str | None = None, **data: Any) -> dict[str, Any]:
    return {"event": "bot", "text": text, "data": data, "timestamp": 2.0}


CONVERSATION = [
    {"event": "action", "name": "action_session_start"},
    user("我想在丹东落户"),
    bot("您在当地有工作吗？", buttons=BUTTONS),
    user("/affirm"),
    {"event": "rewind"},
    user("/affirm"),
    bot("结论：可以落户"),
    bot(custom=ANSWER),
    user('/change_language{"lang":"en"}'),
    bot("OK, I will answer in English."),
]


def test_history_shows_buttons_by_title_and_leaves_out_commands_and_reverted() -> None:
    messages = log.history(CONVERSATION)
    assert [(m["sender"], m.get("text")) for m in messages] == [
        ("user", "我想在丹东落户"),
        ("bot", "您在当地有工作吗？"),
        ("user", "是"),
        ("bot", "结论：可以落户"),
        ("bot", None),
        ("bot", "OK, I will answer in English."),
    ]
    assert messages[1]["buttons"] == BUTTONS
    assert messages[4]["custom"] == ANSWER


def test_feedback_record_names_the_answer_and_its_question() -> None:
    record = log.feedback_record(CONVERSATION, 0, "not_helpful", "太简略")
    assert record["question"] == "我想在丹东落户"
    assert (record["verdict"], record["citations"]) == ("eligible", ["liaoning-2015/5"])
    with pytest.raises(LookupError):
        log.feedback_record(CONVERSATION, 1, "helpful", "")
    event = {"event": "agent", "data": {"feedback": record}, "timestamp": 9.0}
    assert log.history([*CONVERSATION, event])[-1] == {
        "sender": "feedback",
        "answer": 0,
        "rating": "not_helpful",
        "timestamp": 9.0,
    }


@pytest.mark.parametrize(
    "body",
    [
        None,
        [],
        {"session_id": "x", "answer": 0, "rating": "helpful"},
        {"session_id": "a" * 32, "answer": False, "rating": "helpful"},
        {"session_id": "a" * 32, "answer": 0, "rating": "HELPFUL"},
        {"session_id": "a" * 32, "answer": 0, "rating": "helpful", "comment": ["x"]},
    ],
)
def test_malformed_feedback_is_refused(body: object) -> None:
    with pytest.raises(ValueError):
        log.parse_feedback(body)


def test_feedback_comment_is_optional() -> None:
    body = {"session_id": "a" * 32, "answer": 2, "rating": "helpful", "comment": None}
    assert log.parse_feedback(body) == ("a" * 32, 2, "helpful", "")


def test_origins() -> None:
    allowed = parse_origins("https://a.gov.cn, https://b.gov.cn/")
    assert allowed == ("https://a.gov.cn", "https://b.gov.cn")
    assert parse_origins("") == ("*",)
    assert origin_allowed("https://b.gov.cn", allowed)
    assert not origin_allowed("https://evil.example", allowed)
    assert origin_allowed(None, allowed)  # a program, not a page
    own = {"HTTP_HOST": "127.0.0.1:5005", "wsgi.url_scheme": "http"}
    assert origin_allowed("http://127.0.0.1:5005", allowed, own)
    assert not origin_allowed("http://127.0.0.1:5006", allowed, own)
    assert origin_allowed("https://any.example", ("*",))


def write_events(db: Path, rows: list[tuple[str, str, float, dict[str, Any]]]) -> None:
    with sqlite3.connect(db) as connection:
        connection.execute(
            "CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id TEXT, type_name TEXT, "
            "timestamp REAL, intent_name TEXT, action_name TEXT, data TEXT)"
        )
        connection.executemany(
            "INSERT INTO events (sender_id, type_name, timestamp, data) VALUES (?, ?, ?, ?)",
            [(s, t, ts, json.dumps(d)) for s, t, ts, d in rows],
        )


def feedback_event(answer: int, rating: str, comment: str = "") -> dict[str, Any]:
    record = {**log.feedback_record(CONVERSATION, 0, rating, comment), "answer": answer}
    return {"event": "agent", "data": {"feedback": record}}


def test_feedback_command_lists_the_latest_rating_of_each_answer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "tracker.db"
    write_events(
        db,
        [
            ("conv-a", "user", 1.0, user("我想在丹东落户")),
            ("conv-a", "agent", 2.0, feedback_event(0, "helpful")),
            ("conv-a", "agent", 3.0, feedback_event(0, "not_helpful", "看不懂")),
            ("conv-b", "agent", 4.0, feedback_event(0, "helpful")),
            ("conv-b", "agent", 5.0, {"event": "agent", "data": "not feedback"}),
        ],
    )
    entries = read_feedback(f"sqlite:///{db}", tmp_path / "unused.db")
    assert [(e["conversation"], e["rating"]) for e in entries] == [
        ("conv-a", "not_helpful"),
        ("conv-b", "helpful"),
    ]
    monkeypatch.setenv("HUKOU_TRACKER_STORE_URL", f"sqlite:///{db}")
    assert cli.main(["feedback"]) == 0
    out = capsys.readouterr().out
    assert "看不懂" in out and "conv-a" in out and "conv-b" not in out
    assert read_feedback(f"sqlite:///{tmp_path / 'none.db'}", tmp_path / "x.db") == []
