"""Signature checks, freshness, decryption and reply sealing (wechatpy does the crypto)."""

from __future__ import annotations

import base64
import time

import pytest

from assistant.wechat.config import ChannelConfig
from assistant.wechat.envelope import Envelope, Refused

from ..fake_api import message_xml, open_reply, signature, signed_callback

TOKEN = "unit-token"
AES_KEY = base64.b64encode(bytes(range(32))).decode().rstrip("=")
APP_ID = "wx0123456789"
NOW = 1_800_000_000


def envelope(flavour: str = "official", aes: bool = True) -> Envelope:
    config = ChannelConfig(token=TOKEN, app_id=APP_ID, aes_key=AES_KEY if aes else "")
    return Envelope(config, "wecom" if flavour == "wecom" else "official", clock=lambda: NOW)


def text_xml(msg_id: int | None = 42, extra: dict[str, str] | None = None) -> str:
    fields = {"Content": "你好", **(extra or {})}
    return message_xml("text", "openid-1", "gh_1", msg_id, fields, created=NOW)


def test_plaintext_message_is_opened() -> None:
    callback = signed_callback(TOKEN, text_xml(), timestamp=NOW)
    incoming = envelope().open(callback.params, callback.body)
    assert (incoming.kind, incoming.sender, incoming.recipient) == ("text", "openid-1", "gh_1")
    assert incoming.text == "你好" and incoming.key == "42" and not incoming.encrypted


def test_safe_mode_message_is_decrypted_and_the_reply_encrypted() -> None:
    callback = signed_callback(TOKEN, text_xml(), aes_key=AES_KEY, app_id=APP_ID, timestamp=NOW)
    env = envelope()
    incoming = env.open(callback.params, callback.body)
    assert incoming.encrypted and incoming.text == "你好"
    sealed = env.text_reply(incoming, "回答", "nonce1")
    assert "回答" not in sealed
    fields = open_reply(TOKEN, sealed, aes_key=AES_KEY, app_id=APP_ID)
    assert fields["Content"] == "回答" and fields["ToUserName"] == "openid-1"
    assert fields["CreateTime"] == str(NOW)


def test_compatible_mode_uses_the_encrypted_copy() -> None:
    callback = signed_callback(TOKEN, text_xml(), aes_key=AES_KEY, app_id=APP_ID, timestamp=NOW)
    # compatible mode: the plaintext fields beside <Encrypt>; they must not be trusted
    forged = text_xml(extra={"Encrypted": "no"}).replace("你好", "伪造")
    callback.body = callback.body.replace(b"</xml>", forged[5:-6].encode() + b"</xml>")
    assert envelope().open(callback.params, callback.body).text == "你好"


@pytest.mark.parametrize("name", ["signature", "timestamp", "nonce"])
def test_missing_or_wrong_signature_parts_are_403(name: str) -> None:
    callback = signed_callback(TOKEN, text_xml(), timestamp=NOW)
    callback.params[name] = "1"
    with pytest.raises(Refused) as refused:
        envelope().open(callback.params, callback.body)
    assert refused.value.status == 403
    del callback.params[name]
    with pytest.raises(Refused) as refused:
        envelope().open(callback.params, callback.body)
    assert refused.value.status == 403


@pytest.mark.parametrize(("skew", "accepted"), [(299, True), (-299, True), (301, False),
                                                (-301, False)])
def test_timestamp_must_be_within_five_minutes(skew: int, accepted: bool) -> None:
    callback = signed_callback(TOKEN, text_xml(), timestamp=NOW + skew)
    if accepted:
        envelope().open(callback.params, callback.body)
        return
    with pytest.raises(Refused) as refused:
        envelope().open(callback.params, callback.body)
    assert refused.value.status == 403 and "stale" in refused.value.reason


def test_encrypted_message_without_a_key_configured_is_400() -> None:
    callback = signed_callback(TOKEN, text_xml(), aes_key=AES_KEY, app_id=APP_ID, timestamp=NOW)
    with pytest.raises(Refused) as refused:
        envelope(aes=False).open(callback.params, callback.body)
    assert refused.value.status == 400


def test_payload_of_another_account_is_403() -> None:
    callback = signed_callback(TOKEN, text_xml(), aes_key=AES_KEY, app_id="wx-other",
                               timestamp=NOW)
    with pytest.raises(Refused) as refused:
        envelope().open(callback.params, callback.body)
    assert refused.value.status == 403


@pytest.mark.parametrize("body", [b"", b"<xml>", b"<xml><MsgType>text</MsgType></xml>", b"\xff"])
def test_malformed_plaintext_is_400(body: bytes) -> None:
    callback = signed_callback(TOKEN, "", timestamp=NOW)
    with pytest.raises(Refused) as refused:
        envelope().open(callback.params, body)
    assert refused.value.status == 400


def test_events_are_keyed_by_sender_and_time() -> None:
    xml = message_xml("event", "openid-2", "gh_1", None, {"Event": "subscribe"}, created=NOW)
    callback = signed_callback(TOKEN, xml, timestamp=NOW)
    incoming = envelope().open(callback.params, callback.body)
    assert incoming.kind == "event:subscribe" and incoming.key == f"openid-2:{NOW}"


def test_voice_carries_the_recognition() -> None:
    xml = message_xml("voice", "openid-3", "gh_1", 7, {"MediaId": "m", "Format": "amr",
                      "Recognition": "能落户吗"}, created=NOW)
    callback = signed_callback(TOKEN, xml, timestamp=NOW)
    incoming = envelope().open(callback.params, callback.body)
    assert (incoming.kind, incoming.text) == ("voice", "能落户吗")


def test_url_verification() -> None:
    ts = str(NOW)
    params = {"signature": signature(TOKEN, ts, "n"), "timestamp": ts, "nonce": "n",
              "echostr": "e1"}
    assert envelope().verify_url(params) == "e1"
    params["signature"] = signature("wrong", ts, "n")
    with pytest.raises(Refused) as refused:
        envelope().verify_url(params)
    assert refused.value.status == 403


def test_wecom_requires_encryption_and_uses_the_corp_id() -> None:
    xml = text_xml()
    plain = signed_callback(TOKEN, xml, timestamp=NOW)
    with pytest.raises(Refused):
        envelope("wecom").open(plain.params, plain.body)
    sealed = signed_callback(TOKEN, xml, aes_key=AES_KEY, app_id=APP_ID, wecom=True,
                             timestamp=NOW)
    incoming = envelope("wecom").open(sealed.params, sealed.body)
    assert incoming.encrypted and incoming.text == "你好"


def test_real_clock_is_the_default() -> None:
    env = Envelope(ChannelConfig(token=TOKEN), "official")
    callback = signed_callback(TOKEN, text_xml(), timestamp=int(time.time()))
    assert env.open(callback.params, callback.body).text == "你好"


def test_reply_text_cannot_end_the_cdata() -> None:
    callback = signed_callback(TOKEN, text_xml(), timestamp=NOW)
    env = envelope(aes=False)
    incoming = env.open(callback.params, callback.body)
    content = "不认识“]]></Content><MsgType>x</MsgType>”这个地方"
    fields = open_reply(TOKEN, env.text_reply(incoming, content, "n"))
    assert fields["Content"] == content and fields["MsgType"] == "text"
