"""Bad or forged callbacks are refused with 4xx, never processed, never a server error."""

from __future__ import annotations

import time
import uuid

import pytest
import requests

from ..fake_api import Callback, message_xml, signature, signed_callback
from .conftest import TOKEN, Rig, new_msg_id


def question(sender: str, msg_id: int) -> str:
    return message_xml("text", sender, "gh_hukou", msg_id, {"Content": "我想在丹东落户"})


def test_forged_signature_on_post_is_refused_and_not_processed(rig: Rig) -> None:
    sender = f"openid-{uuid.uuid4().hex[:8]}"
    callback = signed_callback("not-the-token", question(sender, new_msg_id()))
    response = rig.post(callback)
    assert response.status_code == 403
    # Nothing was processed: the same user's genuine message is the first of the conversation.
    got = requests.get(
        f"{rig.primary.settings.base_url}/conversations/{sender}/tracker",
        params={"token": rig.primary.settings.api_token}, timeout=10,
    )
    assert got.status_code == 200, got.text
    tracker = got.json()
    assert not [e for e in tracker.get("events") or [] if e.get("event") == "user"]


def test_missing_signature_is_refused(rig: Rig) -> None:
    response = requests.post(
        rig.primary.url("wechat"), data=question("openid-x", new_msg_id()).encode(), timeout=10
    )
    assert response.status_code == 403


def test_forged_msg_signature_in_safe_mode_is_refused(rig: Rig) -> None:
    callback = signed_callback(TOKEN, question("openid-y", new_msg_id()),
                               aes_key=rig.wechat.aes_key, app_id=rig.wechat.app_id)
    callback.params["msg_signature"] = "0" * 40
    assert rig.post(callback).status_code == 403


def test_message_encrypted_for_another_account_is_refused(rig: Rig) -> None:
    callback = signed_callback(TOKEN, question("openid-z", new_msg_id()),
                               aes_key=rig.wechat.aes_key, app_id="wx-someone-else")
    assert rig.post(callback).status_code == 403


@pytest.mark.parametrize("age_s", [3600, -3600])
def test_stale_timestamp_is_refused(rig: Rig, age_s: int) -> None:
    callback = signed_callback(TOKEN, question("openid-stale", new_msg_id()),
                               timestamp=int(time.time()) - age_s)
    response = rig.post(callback)
    assert response.status_code == 403
    assert "stale" in response.text


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"not xml at all",
        b"<xml><ToUserName>gh</ToUserName>",
        b"<xml><FromUserName>u</FromUserName></xml>",
        b"<?xml version='1.0'?><!DOCTYPE x [<!ENTITY a 'aaaa'>]><xml>&a;</xml>",
        b"\xff\xfe\x00garbage",
        b"<xml><MsgType>text</MsgType><Content>no sender</Content></xml>",
        b"<xml><ToUserName>gh</ToUserName><FromUserName>u</FromUserName>"
        b"<MsgType>text</MsgType><Content>x</Content><MsgId>not-a-number</MsgId></xml>",
    ],
)
def test_malformed_xml_gets_400(rig: Rig, body: bytes) -> None:
    ts, nonce = str(int(time.time())), "abc"
    callback = Callback({"signature": signature(TOKEN, ts, nonce), "timestamp": ts,
                         "nonce": nonce}, body)
    response = rig.post(callback)
    assert response.status_code == 400, (body, response.status_code, response.text)


def test_malformed_encrypted_body_gets_400(rig: Rig) -> None:
    ts, nonce = str(int(time.time())), "abc"
    encrypt = "bm90IGEgY2lwaGVydGV4dA=="
    callback = Callback(
        {"signature": signature(TOKEN, ts, nonce), "timestamp": ts, "nonce": nonce,
         "encrypt_type": "aes", "msg_signature": signature(TOKEN, ts, nonce, encrypt)},
        f"<xml><Encrypt><![CDATA[{encrypt}]]></Encrypt></xml>".encode(),
    )
    assert rig.post(callback).status_code == 400


def test_server_answers_after_bad_input(rig: Rig) -> None:
    rig.post(Callback({}, b"<xml"))
    response, sender = rig.ask("我想在丹东落户")
    assert rig.answer(response, sender)
