"""The input guard on the Official Account channel: the length cap and the rate limit
answer politely in the user's language, and an ID number never reaches the tracker."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import yaml

from assistant.hardening.limits import Limits
from assistant.paths import ROOT

from .conftest import Rig

GUARD = {
    lang: yaml.safe_load((ROOT / "assistant/wording/hardening" / f"{lang}.yml").read_text("utf-8"))
    for lang in ("zh", "en")
}
LIMITS = Limits.from_env({})  # the rig runs with the defaults


def test_too_long_message_gets_the_length_reply(rig: Rig) -> None:
    text = ("我想在丹东落户，我有工作，租房，交社保。" * 200)[: LIMITS.max_chars + 1]
    response, sender = rig.ask(text)
    expected = GUARD["zh"]["too_long"].format(limit=LIMITS.max_chars)
    assert rig.answer(response, sender) == [expected]


def test_rate_limit_per_user(rig: Rig) -> None:
    response, sender = rig.ask("Hello")
    rig.answer(response, sender)
    for _ in range(LIMITS.rate - 1):
        response, _ = rig.ask("Hello", sender=sender)
        assert GUARD["en"]["rate_limited"] not in rig.answer(response, sender)
    response, _ = rig.ask("Hello", sender=sender)
    assert rig.answer(response, sender) == [GUARD["en"]["rate_limited"]]


def test_id_number_is_not_stored(rig: Rig) -> None:
    response, sender = rig.ask("我的身份证号是11010519491231002X，我在瓦房店买了房，能落户吗？")
    assert rig.answer(response, sender)
    database = Path((rig.primary.settings.tracker_store_url or "").split(":///", 1)[1])
    with sqlite3.connect(database) as db:
        rows = db.execute("SELECT data FROM events WHERE sender_id = ?", (sender,)).fetchall()
    stored = "\n".join(row[0] for row in rows)
    texts = [json.loads(row[0]).get("text") or "" for row in rows]
    assert any("瓦房店" in t and "***" in t for t in texts), texts  # stored, masked
    assert "11010519491231002X" not in stored
