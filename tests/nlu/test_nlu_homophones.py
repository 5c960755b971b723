"""Chinese key words typed with a character of the same sound are read as the key word."""

from __future__ import annotations

import pytest

from assistant.nlu.homophones import corrected


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("在锦州交的设保", "在锦州交的社保"),  # a less common character, the right tone
        ("营口能落护吗", "营口能落户吗"),
        ("居住正过期了", "居住证过期了"),  # three characters: any but a function word
        ("签了劳动和同", "签了劳动合同"),  # four: even a function word
        ("我在那祖了个楼房住", "我在那租了个楼房住"),  # a word a one-character key word begins
        ("鞍山积份落户", "鞍山积分落户"),  # a rare character, another tone
        ("户扣在农村", "户口在农村"),
        ("在沈杨打工", "在沈阳打工"),  # a place name
        ("我在锦洲上班", "我在锦州上班"),  # 金州 sounds the same but is two characters off
        # named as a place (市 after it, 到 or 在 before it): looser rules
        ("在安山市里上班", "在鞍山市里上班"),  # 安山 is a (rare) word of jieba's
        ("想把户口迁到日招", "想把户口迁到日照"),  # 招 is common, of another tone
        ("俺在铁林市里打零工", "俺在铁岭市里打零工"),  # lín typed for lǐng (fuzzy sound)
        ("付新市区，大专毕业", "阜新市区，大专毕业"),  # jieba: 付/新市区, reaching over 市区
        # named as a place by the district named right after it, or standing alone
        ("铁林银州区上班", "铁岭银州区上班"),
        ("潍访 租房上班两年", "潍坊 租房上班两年"),
        ("本西，想落户", "本溪，想落户"),
    ],
)
def test_a_key_word_typed_in_a_homophone_is_corrected(typed: str, meant: str) -> None:
    assert corrected(typed) == meant


@pytest.mark.parametrize(
    "text",
    [
        "我想卖房",  # 卖房 is a word: no 买房
        "纪念一下",  # 纪念 is a word: no 几年
        "我有方法",  # 方 belongs to 方法, which reaches outside 有方
        "户口本上还写着农业",  # 还 is a function word: no 上海
        "户口迁移能在网上办不",  # 办 (bàn) is common and of another tone than 班 (bān)
        "申请材料与城市落户的规定",  # 与 is a function word: no 禹城市
        "社保交了三年",  # already right
        "全省除青岛中心城区外",  # 中心 is a word: no 中兴
        "大连金州积分落户跟主城区一样吗",  # 主城区 is a word reaching past 主城: no 诸城
        "现在在北京实习",  # a place named right (北京) is no part of another (北京市)
        "户口在吉林四平",
        "回村里",  # named as a place, but sounds like none
        "今天 天气不错",  # standing alone, but sounding like no place
        "你好，我想问问",
        "I rent in Shenyang",
        "",
    ],
)
def test_words_and_other_text_stay_as_they_are(text: str) -> None:
    assert corrected(text) == text


def test_the_length_never_changes() -> None:
    text = "我在丹东上班交社宝，租房住，能落护吗 🙂 <b>hi</b>"
    assert len(corrected(text)) == len(text)
    assert corrected(text) == "我在丹东上班交社保，租房住，能落户吗 🙂 <b>hi</b>"
