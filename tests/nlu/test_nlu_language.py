"""detect_lang(): the dominant language, names quoted in the other one aside."""

from __future__ import annotations

import pytest

from assistant.nlu.language import detect_lang


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("我在Dandong工作", "zh"),
        ("Can I settle in 大连?", "en"),
        ("What is 合法稳定住所?", "en"),
        ("合法稳定住所是什么意思", "zh"),
        ("I want a hukou in 瓦房店市", "en"),
        ("请问 hukou 怎么迁", "zh"),
        ("我想问一下 residence permit 怎么办", "zh"),
        ("臺灣的戶籍", "zh"),
        ("Ｃａｎ Ｉ ｓｅｔｔｌｅ", "en"),
        ("大连", "zh"),
        ("Dalian", "en"),
        ("hi", "en"),
        ("你好", "zh"),
        ("", "zh"),
        ("👍", "zh"),
        ("123 ???", "zh"),
    ],
)
def test_detect_lang(text: str, lang: str) -> None:
    assert detect_lang(text) == lang


def test_long_message() -> None:
    assert detect_lang("我在Dandong工作" * 2000) == "zh"
