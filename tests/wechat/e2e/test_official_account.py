"""The Official Account callback of the running assistant: verification, questions in both
languages in plaintext and safe mode, numbered options, the full clause, fixed replies."""

from __future__ import annotations

import time
import uuid
from typing import Any

import pytest
import requests

from policies import load_rules
from policies.render import clause_name

from ..fake_api import message_xml, signature, signed_callback
from .conftest import TOKEN, Rig

DANDONG_ZH = "我在丹东有工作，租房住，交社保，能落户吗？"
QINGDAO_EN = "I work in Qingdao, rent a flat and pay social insurance. Can I settle in Qingdao?"


def test_url_verification_echoes_echostr(rig: Rig) -> None:
    ts, nonce = str(int(time.time())), "n0nce"
    params = {"signature": signature(TOKEN, ts, nonce), "timestamp": ts, "nonce": nonce,
              "echostr": "1234567890"}
    response = requests.get(rig.primary.url("wechat"), params=params, timeout=10)
    assert response.status_code == 200
    assert response.text == "1234567890"


def test_url_verification_with_forged_signature_is_refused(rig: Rig) -> None:
    ts, nonce = str(int(time.time())), "n0nce"
    params = {"signature": signature("not-the-token", ts, nonce), "timestamp": ts,
              "nonce": nonce, "echostr": "1234567890"}
    response = requests.get(rig.primary.url("wechat"), params=params, timeout=10)
    assert response.status_code == 403
    assert "1234567890" not in response.text


@pytest.mark.parametrize("encrypted", [False, True], ids=["plaintext", "safe-mode"])
def test_chinese_question_is_answered_with_the_clause(rig: Rig, encrypted: bool) -> None:
    response, sender = rig.ask(DANDONG_ZH, encrypted=encrypted)
    text = "\n".join(rig.answer(response, sender, encrypted))
    assert "辽政发〔2015〕18号第5条" in text, text
    assert "有序放开中等城市落户限制" in text
    assert "1. 居民身份证" in text  # the checklist is numbered
    assert "公安机关" in text
    if response.text != "success":
        assert len(text.encode("utf-8")) <= 2048


@pytest.mark.parametrize("encrypted", [False, True], ids=["plaintext", "safe-mode"])
def test_english_question_is_answered_with_the_clause(rig: Rig, encrypted: bool) -> None:
    expected = rest_answer(rig, QINGDAO_EN)  # what the REST channel answers
    assert expected["lang"] == "en" and expected["citations"], expected
    response, sender = rig.ask(QINGDAO_EN, encrypted=encrypted)
    text = "\n".join(rig.answer(response, sender, encrypted))
    for citation in expected["citations"]:
        ref = f"{citation['doc']}/{citation['clause']}"
        assert clause_name(load_rules(), ref, "en") in text, text
    for document in expected["documents"]:
        assert document["name"] in text, text


def test_safe_mode_reply_is_encrypted(rig: Rig) -> None:
    response, sender = rig.ask(DANDONG_ZH, encrypted=True)
    if response.text == "success":
        pytest.skip("the answer was late: sent through the API, not as a passive reply")
    assert "<Encrypt>" in response.text and "丹东" not in response.text
    assert "丹东" in rig.reply_text(response, encrypted=True)


def rest_answer(rig: Rig, text: str) -> dict[str, Any]:
    """The `policy_answer` the REST channel of the same assistant gives to `text`."""
    messages = requests.post(
        rig.primary.settings.rest_url,
        json={"sender": f"rest-{uuid.uuid4().hex[:8]}", "message": text}, timeout=60,
    ).json()
    answers = [m["custom"] for m in messages if isinstance(m.get("custom"), dict)]
    assert answers, messages
    answer: dict[str, Any] = answers[-1]
    return answer


def test_quote_is_shortened_and_the_full_clause_one_message_away(rig: Rig) -> None:
    quotes = [c["text"].strip() for c in rest_answer(rig, DANDONG_ZH)["citations"]]
    long_quotes = [q for q in quotes if len(q.encode("utf-8")) > 240]
    assert long_quotes, "the answer quotes no long clause any more: pick another question"
    response, sender = rig.ask(DANDONG_ZH)
    first = "\n".join(rig.answer(response, sender))
    assert "（节选）" in first and "回复 0" in first, first
    assert not any(quote in first for quote in long_quotes)
    full_response, _ = rig.ask("0", sender=sender)
    full = "\n".join(rig.answer(full_response, sender))
    assert all(quote in full for quote in quotes), full
    assert "（节选）" not in full


def test_buttons_become_numbered_options(rig: Rig) -> None:
    response, sender = rig.ask("我想在丹东落户")
    text = "\n".join(rig.answer(response, sender))
    assert "1) " in text and "2) " in text, text
    follow, _ = rig.ask("1", sender=sender)
    assert follow.status_code == 200
    answer = "\n".join(rig.answer(follow, sender))
    assert answer and "1) " not in answer.split("\n")[0]
    # the number reached the assistant as the first button's payload, not as "1"
    got = requests.get(
        f"{rig.primary.settings.base_url}/conversations/{sender}/tracker",
        params={"token": rig.primary.settings.api_token}, timeout=10,
    )
    users = [e["text"] for e in got.json()["events"] if e.get("event") == "user"]
    assert users[-1].startswith("/") and users[-1] != "1", users


def test_subscribe_gets_a_welcome_in_both_languages(rig: Rig) -> None:
    sender = f"openid-{uuid.uuid4().hex[:8]}"
    xml = message_xml("event", sender, "gh_hukou", None, {"Event": "subscribe"})
    response = rig.post(signed_callback(TOKEN, xml))
    text = rig.reply_text(response)
    assert "户籍政策" in text and "hukou" in text
    assert text.count("?") + text.count("？") >= 6  # three example questions per language


def test_voice_with_recognition_is_answered(rig: Rig) -> None:
    response, sender = rig.ask("", kind="voice", fields={
        "MediaId": "media-1", "Format": "amr", "Recognition": DANDONG_ZH})
    text = "\n".join(rig.answer(response, sender))
    assert "辽政发〔2015〕18号第5条" in text, text


def test_voice_without_recognition_asks_for_text(rig: Rig) -> None:
    response, sender = rig.ask("", kind="voice", fields={"MediaId": "media-2", "Format": "amr"})
    assert "文字" in rig.reply_text(response) or "type" in rig.reply_text(response)


@pytest.mark.parametrize(
    ("kind", "fields", "expected"),
    [
        ("image", {"PicUrl": "http://example.invalid/p.jpg", "MediaId": "m"}, "图片"),
        ("location", {"Location_X": "40.1", "Location_Y": "124.4", "Scale": "15",
                      "Label": "丹东"}, "位置"),
        ("shortvideo", {"MediaId": "m", "ThumbMediaId": "t"}, "文字"),
        ("no_such_type", {}, "文字"),
    ],
)
def test_other_message_types_get_a_helpful_reply(
    rig: Rig, kind: str, fields: dict[str, str], expected: str
) -> None:
    response, _ = rig.ask("", kind=kind, fields=fields)
    assert response.status_code == 200
    assert expected in rig.reply_text(response)


def test_other_events_are_acknowledged(rig: Rig) -> None:
    sender = f"openid-{uuid.uuid4().hex[:8]}"
    xml = message_xml("event", sender, "gh_hukou", None, {"Event": "unsubscribe"})
    response = rig.post(signed_callback(TOKEN, xml))
    assert response.status_code == 200 and response.text == "success"
