"""An ID number, a mobile number and an e-mail typed through REST are stored and logged
nowhere: not in the SQLite tracker store, not in the logs of either server."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from assistant.supervision import Assistant

from .client import Conversation, policy_answers

ID_NUMBER = "11010519491231002X"
MOBILE = "13912345678"
EMAIL = "zhang.san@example.com"


def test_personal_data_never_stored_or_logged(server: Assistant) -> None:
    conversation = Conversation(server.settings)
    conversation.send(f"我的身份证号是{ID_NUMBER}，手机{MOBILE}，我在瓦房店买了房，能落户吗？")
    messages = conversation.send(
        f"My phone is +86 139-1234-5678 and my mail is {EMAIL}. I bought a flat in "
        "Wafangdian, can I settle there?"
    )
    assert policy_answers(messages), messages  # masking does not get in the way of answering
    url = server.settings.tracker_store_url or ""
    database = Path(url.split(":///", 1)[1])
    with sqlite3.connect(database) as db:
        rows = db.execute("SELECT data FROM events WHERE sender_id = ?",
                          (conversation.sender,)).fetchall()
        dump = "\n".join(str(row) for row in db.iterdump())
    stored = "\n".join(row[0] for row in rows)
    assert "***" in stored, "the user messages were not stored at all"
    logs = "\n".join(
        path.read_text(encoding="utf-8", errors="replace")
        for path in (server.log_dir / "rasa.log", server.log_dir / "actions.log")
    )
    for secret in (ID_NUMBER, ID_NUMBER.lower(), MOBILE, "139-1234-5678", EMAIL):
        assert secret not in dump, secret
        assert secret not in logs, secret
