"""WeChat's 5-second rule: passive replies, late answers through the customer-service API,
the access token, long answers, and a retried MsgId answered exactly once."""

from __future__ import annotations

import re
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from ..fake_api import MAX_TEXT_BYTES, message_xml, signed_callback
from .conftest import TOKEN, Instance, Rig, new_msg_id

DANDONG_ZH = "我在丹东有工作，租房住，交社保，能落户吗？"
JINAN_DOCUMENTS_EN = "What documents do I need to settle in Jinan?"


def late(rig: Rig) -> Instance:
    if rig.late is None:
        pytest.skip("needs Redis (HUKOU_TEST_REDIS_URL) for a second assistant process")
    return rig.late


def user_events(rig: Rig, sender: str) -> list[dict]:
    tracker = requests.get(
        f"{rig.primary.settings.base_url}/conversations/{sender}/tracker",
        params={"token": rig.primary.settings.api_token}, timeout=10,
    ).json()
    return [e for e in tracker.get("events") or [] if e.get("event") == "user"]


def test_answer_in_time_is_a_passive_reply(rig: Rig) -> None:
    started = time.monotonic()
    response, sender = rig.ask(DANDONG_ZH)
    elapsed = time.monotonic() - started
    assert response.status_code == 200
    assert response.text != "success", f"not answered within the budget ({elapsed:.1f} s)"
    assert elapsed < 5.0
    assert "辽政发〔2015〕18号第5条" in rig.reply_text(response)
    assert rig.fake.sent_to(sender) == []


def test_slow_answer_goes_through_the_customer_service_api(rig: Rig) -> None:
    instance = late(rig)
    started = time.monotonic()
    response, sender = rig.ask(DANDONG_ZH, instance=instance)
    assert response.status_code == 200 and response.text == "success"
    assert time.monotonic() - started < 5.0  # WeChat would have retried otherwise
    sent = rig.fake.wait_for(sender)
    assert len(sent) == 1, sent
    assert "辽政发〔2015〕18号第5条" in sent[0].content
    assert sent[0].api == "custom"


def test_expired_token_is_refreshed_once(rig: Rig) -> None:
    instance = late(rig)
    first, sender = rig.ask("我想在丹东落户", instance=instance)
    assert rig.fake.wait_for(sender), "no answer through the API"
    requests_before = rig.fake.state.token_requests
    rig.fake.expire_current_tokens()
    response, sender = rig.ask(DANDONG_ZH, instance=instance)
    assert response.text == "success"
    sent = rig.fake.wait_for(sender)
    assert len(sent) == 1
    assert rig.fake.state.token_requests == requests_before + 1
    assert sent[0].token not in rig.fake.state.expired


def test_long_answer_is_split_at_line_breaks_under_the_byte_limit(rig: Rig) -> None:
    response, sender = rig.ask(JINAN_DOCUMENTS_EN)
    assert response.status_code == 200
    # Too long for one message: every part goes through the API, in order.
    assert response.text == "success"
    sent = rig.fake.wait_for(sender, 2)
    time.sleep(1.0)
    sent = rig.fake.sent_to(sender)
    assert len(sent) >= 2, [s.content for s in sent]
    assert all(len(s.content.encode("utf-8")) <= MAX_TEXT_BYTES for s in sent)
    text = "\n".join(s.content for s in sent)
    assert text.index("Documents to prepare:") < text.index("Where to apply:")
    checklist = [line for line in text.split("\n") if re.match(r"\d+\. ", line)]
    assert [int(line.split(".")[0]) for line in checklist] == list(
        range(1, len(checklist) + 1)
    )
    assert all(line.endswith(")") for line in checklist), checklist  # no line was cut


def _post_copies(rig: Rig, instances: list[Instance], copies: int) -> tuple[str, list[str]]:
    """The same message (same MsgId) posted `copies` times at once, spread over
    `instances`; the sender and the HTTP bodies."""
    sender = f"openid-{uuid.uuid4().hex[:12]}"
    xml = message_xml("text", sender, "gh_hukou", new_msg_id(), {"Content": DANDONG_ZH})
    callback = signed_callback(TOKEN, xml)

    def post(index: int) -> str:
        response = rig.post(callback, instance=instances[index % len(instances)])
        assert response.status_code == 200
        return response.text

    with ThreadPoolExecutor(max_workers=copies) as pool:
        bodies = list(pool.map(post, range(copies)))
    return sender, bodies


def _answers(rig: Rig, sender: str, bodies: list[str]) -> int:
    passive = [b for b in bodies if b != "success"]
    deadline = time.monotonic() + 30
    while not passive and not rig.fake.sent_to(sender) and time.monotonic() < deadline:
        time.sleep(0.2)
    time.sleep(2.0)  # a second, wrong, answer would come now
    return len(passive) + len(rig.fake.sent_to(sender))


def test_retried_msg_id_is_answered_once(rig: Rig) -> None:
    sender, bodies = _post_copies(rig, [rig.primary], 4)
    assert _answers(rig, sender, bodies) == 1, bodies
    assert len(user_events(rig, sender)) == 1


def test_retried_msg_id_is_answered_once_across_two_processes(rig: Rig) -> None:
    sender, bodies = _post_copies(rig, [rig.primary, late(rig)], 4)
    assert _answers(rig, sender, bodies) == 1, bodies
    assert len(user_events(rig, sender)) == 1


def test_stats_count_the_replies(rig: Rig) -> None:
    stats = rig.primary.stats("wechat")
    assert stats["status"] == "ok"
    replies = stats["replies"]
    assert replies["passive"] >= 1 and replies["duplicates"] >= 3
    assert len(replies["latencies_ms"]["passive"]) == replies["passive"]
