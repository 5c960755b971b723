"""Bot messages as WeChat text: the policy answer's sections, numbered options, fixed replies.

The answers are the real ones: `policies.evaluate` sent through the action's own
`send_answer` (text, then the `policy_answer` payload) into rasa-sdk's dispatcher, and the
dispatcher's messages through Rasa's collecting output channel, as the channel gets them.
"""

from __future__ import annotations

import asyncio
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel
from rasa_sdk.executor import CollectingDispatcher

from actions.policy_answer import send_answer
from assistant.presentation import channel_wording
from assistant.wechat.render import (
    FULL_CLAUSE_NUMBER,
    excerpt,
    full_clauses,
    render_turn,
    rewrite_answer_text,
    shorten,
)
from assistant.wechat.textsplit import MAX_TEXT_BYTES, split_text, utf8_len
from policies.engine import evaluate

DANDONG = {"city": "dandong", "employment": True, "residence": "rented",
           "social_insurance": True}


def bot_messages(topic: str, facts: dict[str, Any], lang: str) -> list[dict[str, Any]]:
    """What the action server sends for this situation, as the REST channel returns it."""
    dispatcher = CollectingDispatcher()
    send_answer(dispatcher, evaluate(topic, facts, lang))
    output = CollectingOutputChannel()

    async def collect() -> None:
        for message in dispatcher.messages:
            if message.get("text"):
                await output.send_text_message("user", message["text"])
            else:
                await output.send_custom_json("user", message["custom"])

    asyncio.run(collect())
    return output.messages


def test_answer_keeps_verdict_and_clause_reference_and_numbers_the_checklist() -> None:
    messages = bot_messages("settlement_eligibility", DANDONG, "zh")
    text = render_turn(messages, "zh")
    first_line = messages[0]["text"].split("\n")[0]
    assert text.startswith(first_line)  # the verdict sentence as the assistant words it
    assert "辽政发〔2015〕18号第5条「有序放开中等城市落户限制」" in text
    assert "1. 居民身份证" in text and "2. 居民户口簿" in text
    assert "· 居民身份证" not in text
    assert "公安机关（户籍派出所）" in text
    assert utf8_len(text) <= MAX_TEXT_BYTES  # one passive reply


def test_long_quotations_are_shortened_with_the_full_text_one_message_away() -> None:
    messages = bot_messages("settlement_eligibility", DANDONG, "zh")
    answer = messages[-1]["custom"]
    long_quote = answer["citations"][1]["text"]  # guofa-2014-25 §5, 230 characters
    text = render_turn(messages, "zh")
    assert long_quote not in text
    assert excerpt(long_quote) + channel_wording("zh")["wechat"]["clause_shortened"] in text
    assert f"回复 {FULL_CLAUSE_NUMBER} 查看所引条款的全文" in text
    full = full_clauses(answer)
    assert long_quote in full and "国发〔2014〕25号第5条" in full
    # Liaoning's Chinese text is a translation: the full text says so, as the answer does
    assert answer["citations"][0]["doc"] == "liaoning-2015"
    assert "译文，非官方文本" in full


def test_english_answer() -> None:
    messages = bot_messages("settlement_eligibility", DANDONG, "en")
    text = render_turn(messages, "en")
    assert "1. " in text and "Reply 0 for the full text" in text
    assert channel_wording("en")["wechat"]["clause_shortened"] in text


def test_short_quotation_is_left_whole() -> None:
    answer = {"type": "policy_answer", "lang": "zh", "citations": [
        {"doc": "liaoning-2015", "clause": "5", "title": "t", "text": "短条款。"}]}
    text = "结论：可以。\n依据：\n· 辽政发〔2015〕18号第5条「t」：短条款。"
    assert rewrite_answer_text(text, answer) == text


def test_a_quotation_of_several_paragraphs_is_cut_to_the_first() -> None:
    messages = bot_messages("required_documents", {"city": "jinan"}, "en")
    assert len(messages) > 2  # the text arrives in paragraphs
    answer = messages[-1]["custom"]
    quotes = [c["text"].strip() for c in answer["citations"] if "\n" in c["text"].strip()]
    assert quotes, "no clause of several paragraphs cited any more: pick another situation"
    text = render_turn(messages, "en")
    for quote in quotes:
        assert quote not in text
        assert excerpt(quote) + " … (excerpt)" in text
        assert "\n" not in excerpt(quote)
    assert full_clauses(answer).count(quotes[0]) == 1


def test_shorten_cuts_between_characters() -> None:
    quote = "户" * 100
    short = shorten(quote, 20)
    assert short == "户" * 6
    assert shorten("short", 20) == "short"
    assert shorten("who are legally employed", 13) == "who are"


def test_buttons_become_numbered_options_across_messages() -> None:
    messages = [
        {"text": "您的住房情况是？", "buttons": [
            {"title": "自有住房", "payload": '/inform{"residence":"owned"}'},
            {"title": "租房", "payload": '/inform{"residence":"rented"}'}]},
        {"text": "或者：", "buttons": [{"title": "都不是", "payload": "/deny"}]},
    ]
    text = render_turn(messages, "zh")
    assert "1) 自有住房\n2) 租房" in text and "3) 都不是" in text
    assert channel_wording("zh")["wechat"]["options_hint"] in text
    assert channel_wording("zh")["wechat"]["options_hint"] not in render_turn(messages, None)


def test_payload_without_text_gets_the_compact_summary() -> None:
    answer = bot_messages("settlement_eligibility", DANDONG, "zh")[-1]["custom"]
    text = render_turn([{"custom": answer}], "zh")
    assert "[结论] 符合条件" in text and "liaoning-2015 §5" in text


def test_every_part_of_a_long_turn_fits() -> None:
    messages = bot_messages("settlement_eligibility", DANDONG, "zh") * 4
    parts = split_text(render_turn(messages, "zh"))
    assert len(parts) > 1
    assert all(utf8_len(part) <= MAX_TEXT_BYTES for part in parts)
