"""WeCom (企业微信) application callbacks through the same channel code: always encrypted,
CorpID instead of AppID, application messages instead of customer-service messages."""

from __future__ import annotations

import time
import uuid

import pytest
import requests
from wechatpy.enterprise.crypto import WeChatCrypto as WeComCrypto

from assistant.wechat.config import ChannelConfig

from ..fake_api import message_xml, open_reply, signature, signed_callback
from .conftest import TOKEN, Instance, Rig, new_msg_id


def ask(rig: Rig, text: str, instance: Instance | None = None) -> tuple[requests.Response, str]:
    sender = f"user-{uuid.uuid4().hex[:8]}"
    xml = message_xml("text", sender, rig.wecom.app_id, new_msg_id(), {"Content": text,
                      "AgentID": rig.wecom.agent_id})
    callback = signed_callback(TOKEN, xml, aes_key=rig.wecom.aes_key, app_id=rig.wecom.app_id,
                               wecom=True)
    return rig.post(callback, "wecom", instance), sender


def reply(config: ChannelConfig, response: requests.Response) -> str:
    fields = open_reply(TOKEN, response.text, aes_key=config.aes_key, app_id=config.app_id,
                        wecom=True)
    return str(fields["Content"])


def test_url_verification_decrypts_echostr(rig: Rig) -> None:
    crypto = WeComCrypto(TOKEN, rig.wecom.aes_key, rig.wecom.app_id)
    ts, nonce = str(int(time.time())), "n0nce"
    sealed = crypto.encrypt_message("echo-4711", nonce, ts)
    echostr = sealed.split("<Encrypt><![CDATA[")[1].split("]]>")[0]
    params = {"msg_signature": signature(TOKEN, ts, nonce, echostr), "timestamp": ts,
              "nonce": nonce, "echostr": echostr}
    response = requests.get(rig.primary.url("wecom"), params=params, timeout=10)
    assert response.status_code == 200 and response.text == "echo-4711"
    params["msg_signature"] = signature("forged", ts, nonce, echostr)
    assert requests.get(rig.primary.url("wecom"), params=params, timeout=10).status_code == 403


def test_question_is_answered_encrypted(rig: Rig) -> None:
    response, sender = ask(rig, "我在丹东有工作，租房住，交社保，能落户吗？")
    assert response.status_code == 200
    if response.text == "success":
        text = rig.fake.wait_for(sender)[0].content
    else:
        assert "<Encrypt>" in response.text
        text = reply(rig.wecom, response)
    assert "辽政发〔2015〕18号第5条" in text


def test_late_answer_goes_through_the_application_message_api(rig: Rig) -> None:
    if rig.late is None:
        pytest.skip("needs Redis (HUKOU_TEST_REDIS_URL) for a second assistant process")
    response, sender = ask(rig, "Can I settle in Qingdao if I rent a flat there?", rig.late)
    assert response.text == "success"
    sent = rig.fake.wait_for(sender)
    assert len(sent) == 1 and sent[0].api == "wecom"
    assert "Qingdao" in sent[0].content or "Shandong" in sent[0].content


def test_plaintext_post_is_refused(rig: Rig) -> None:
    xml = message_xml("text", "user-x", rig.wecom.app_id, new_msg_id(), {"Content": "hi"})
    callback = signed_callback(TOKEN, xml)  # signed, but not encrypted
    assert rig.post(callback, "wecom").status_code == 403


def test_enter_agent_gets_the_welcome(rig: Rig) -> None:
    xml = message_xml("event", "user-y", rig.wecom.app_id, None, {"Event": "enter_agent",
                      "AgentID": rig.wecom.agent_id})
    callback = signed_callback(TOKEN, xml, aes_key=rig.wecom.aes_key, app_id=rig.wecom.app_id,
                               wecom=True)
    response = rig.post(callback, "wecom")
    assert response.status_code == 200
    assert "户籍政策" in reply(rig.wecom, response)
