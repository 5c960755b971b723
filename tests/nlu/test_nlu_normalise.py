"""normalise(): length preserving, traditional -> simplified, full-width -> half-width."""

from __future__ import annotations

import pytest

from assistant.nlu.normalise import normalise


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("臺灣的戶籍制度", "台湾的户籍制度"),
        ("我們住在瀋陽", "我们住在沈阳"),
        ("大連市瓦房店", "大连市瓦房店"),
        ("Ｄａｌｉａｎ", "Dalian"),
        ("ｈｕｋｏｕ　１２３", "hukou 123"),
        ("租的房子？", "租的房子?"),
        ("👍 <b>好</b>", "👍 <b>好</b>"),
        ("Can I settle in Dalian?", "Can I settle in Dalian?"),
        ("", ""),
    ],
)
def test_normalise(text: str, expected: str) -> None:
    assert normalise(text) == expected


def test_simplified_policy_words_are_unchanged() -> None:
    text = "合法稳定住所 户籍 落户 居住证 宅基地 著作 干部 皇后 瓦房店 大石桥"
    assert normalise(text) == text


@pytest.mark.parametrize(
    "text",
    ["乾隆皇帝", "e\u0301", "…ﬁ™", "👨\u200d👩\u200d👧 家庭", "𠮷野家", "\u3000\t\n", "①②③"],
)
def test_length_is_preserved(text: str) -> None:
    assert len(normalise(text)) == len(text)


def test_long_message() -> None:
    text = ("我們在瀋陽租房 Ｄａｌｉａｎ 👍 " * 2000)[:20000]
    result = normalise(text)
    assert len(result) == 20000
    assert "瀋" not in result and "Ｄ" not in result


def test_idempotent() -> None:
    once = normalise("臺灣 Ｄａｌｉａｎ，瀋陽")
    assert normalise(once) == once
