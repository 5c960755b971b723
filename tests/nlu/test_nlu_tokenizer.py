"""BilingualTokenizer: offsets, normalisation, dictionary words, Rasa options."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.shared.nlu.constants import ENTITIES, INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from assistant.nlu.tokenizer import (
    OUTSIDE_PLACE_LEMMA,
    PLACE_LEMMA,
    BilingualTokenizer,
    dictionary_words,
)

Tokenize = Callable[[str], list[Token]]


def texts(tokens: list[Token]) -> list[str]:
    return [token.text for token in tokens]


def check_offsets(text: str, tokens: list[Token]) -> None:
    """Offsets are in order, inside the text, and never cover whitespace only."""
    previous_end = 0
    for token in tokens:
        assert token.text and not token.text.isspace()
        assert previous_end <= token.start < token.end <= len(text)
        assert text[token.start : token.end].strip()
        previous_end = token.end


def test_mixed_text_offsets(tokenize: Tokenize) -> None:
    text = "我在Dandong工作, I rented 2 rooms in 大连"
    tokens = tokenize(text)
    check_offsets(text, tokens)
    assert texts(tokens) == [
        "我",
        "在",
        "dandong",
        "工作",
        "i",
        "rent",
        "2",
        "room",
        "in",
        "大连",
    ]
    assert [text[t.start : t.end] for t in tokens][2:6] == ["Dandong", "工作", "I", "rented"]
    places = ("dandong", "大连")
    assert all(token.lemma == token.text for token in tokens if token.text not in places)


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("我想在瓦房店落户", "瓦房店"),
        ("大石桥怎么落户", "大石桥"),
        ("合法稳定住所是什么意思", "合法稳定住所"),
        ("北京朝阳区能落户吗", "北京朝阳区"),
        ("我在临沂租房住", "临沂"),
    ],
)
def test_dictionary_words_stay_one_token(tokenize: Tokenize, text: str, word: str) -> None:
    assert word in texts(tokenize(text))


def test_phrase_keywords_are_not_in_the_dictionary() -> None:
    words = set(dictionary_words())
    assert {"瓦房店", "合法稳定住所", "租的", "父母"} <= words
    assert not {"投靠父母", "没交社保", "有宅基地", "大专学历"} & words


def test_no_whitespace_or_punctuation_tokens(tokenize: Tokenize) -> None:
    text = "  我  在 大连 ， 租房 。\n\t Do you   know?  "
    tokens = tokenize(text)
    check_offsets(text, tokens)
    assert texts(tokens) == ["我", "在", "大连", "租房", "do", "you", "know"]


def test_traditional_input_is_tokenised_as_simplified(tokenize: Tokenize) -> None:
    tokens = tokenize("我們在瀋陽租房")
    assert texts(tokens) == ["我们", "在", "沈阳", "租房"]
    assert [(t.start, t.end) for t in tokens] == [(0, 2), (2, 3), (3, 5), (5, 7)]


def test_full_width(tokenize: Tokenize) -> None:
    tokens = tokenize("Ｄａｌｉａｎ　ｈｕｋｏｕ，２年")
    assert texts(tokens) == ["dalian", "hukou", "2", "年"]
    assert (tokens[0].start, tokens[0].end) == (0, 6)


def test_english_lemmas_and_contractions(tokenize: Tokenize) -> None:
    text = "I haven't paid taxes, can't"
    tokens = tokenize(text)
    check_offsets(text, tokens)
    assert texts(tokens) == ["i", "have", "not", "pay", "tax", "can", "not"]


def test_place_names_have_a_place_lemma_and_keep_their_text(tokenize: Tokenize) -> None:
    tokens = tokenize("鞍山能落户吗 I live in Dalian, from Hebei 北京朝阳区")
    lemmas = {token.text: token.lemma for token in tokens}
    assert lemmas["鞍山"] == lemmas["dalian"] == PLACE_LEMMA
    assert lemmas["hebei"] == lemmas["北京朝阳区"] == OUTSIDE_PLACE_LEMMA
    assert lemmas["落户"] == "落户" and lemmas["live"] == "live"


def test_pinyin_names_with_an_apostrophe_are_one_token(tokenize: Tokenize) -> None:
    text = "I'm from Tai'an, it’s near Xi’an; we'll see"
    tokens = tokenize(text)
    check_offsets(text, tokens)
    assert texts(tokens) == [
        "i",
        "be",
        "from",
        "tai'an",
        "it",
        "'s",
        "near",
        "xi'an",
        "we",
        "will",
        "see",
    ]


def test_a_guessed_word_is_cut_where_a_fact_phrase_starts(tokenize: Tokenize) -> None:
    # jieba's HMM glues 想 to 迁; the phrase 迁到农村 (move_to) must be whole tokens
    assert texts(tokenize("想迁到农村")) == ["想", "迁", "到", "农村"]
    # 东交 is only a prefix (frequency 0) in jieba's dictionary, not a word of it
    assert texts(tokenize("我东交了社保吗"))[:3] == ["我", "东", "交"]
    # a dictionary word is never cut, even where a keyword (村) lies inside it
    assert "村民" in texts(tokenize("我们村民能落户吗"))


def test_digits_are_separate_tokens(tokenize: Tokenize) -> None:
    assert texts(tokenize("18months 1.5 years 3年")) == ["18", "month", "1.5", "year", "3", "年"]


def test_emoji_and_html(tokenize: Tokenize) -> None:
    text = "👍 <b>租房</b> <a href='x'>hi</a>"
    tokens = tokenize(text)
    check_offsets(text, tokens)
    assert "👍" in texts(tokens) and "租房" in texts(tokens)


@pytest.mark.parametrize("text", ["", "   "])
def test_empty(tokenize: Tokenize, text: str) -> None:
    assert tokenize(text) == []


def test_punctuation_only_gives_one_token(tokenize: Tokenize) -> None:
    assert texts(tokenize("？？")) == ["??"]


def test_long_message(tokenize: Tokenize) -> None:
    text = ("我在瓦房店租的房子，交了五年社保 I rented a flat in Dalian. 👍 " * 400)[:20000]
    tokens = tokenize(text)
    check_offsets(text, tokens)
    assert len(tokens) > 5000


def test_training_data_is_normalised_with_its_entities(tokenizer: BilingualTokenizer) -> None:
    text = "我在瀋陽租房"
    example = Message(
        data={
            TEXT: text,
            INTENT: "inform",
            ENTITIES: [
                {"entity": "city", "start": 2, "end": 4, "value": "瀋陽"},
                {"entity": "residence", "start": 4, "end": 6, "value": "rented"},
            ],
        }
    )
    tokenizer.process_training_data(TrainingData([example]))
    assert example.get(TEXT) == "我在沈阳租房"
    assert [e["value"] for e in example.get(ENTITIES)] == ["沈阳", "rented"]
    assert texts(example.get("text_tokens")) == ["我", "在", "沈阳", "租房"]
    assert texts(example.get("intent_tokens")) == ["inform"]


def test_intent_tokenization_flag() -> None:
    config = {**BilingualTokenizer.get_default_config(), "intent_tokenization_flag": True}
    tokenizer = BilingualTokenizer(config)
    example = Message(data={TEXT: "你好", INTENT: "settlement_eligibility"})
    tokenizer.process_training_data(TrainingData([example]))
    assert texts(example.get("intent_tokens")) == ["settlement", "eligibility"]


def test_rasas_training_cache_key_follows_the_nlu_word_lists(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """An edited word list trains every component anew (Rasa keys its cache on a class's
    source, configuration and inputs only)."""
    from rasa.engine.training.fingerprinting import calculate_fingerprint_key

    from assistant.nlu import tokenizer
    from assistant.nlu.sources import NLU_SOURCES, files_under, fingerprint
    from assistant.paths import ROOT

    files = {p.relative_to(ROOT).as_posix() for p in files_under(NLU_SOURCES)}
    assert {"assistant/nlu/fact_values.yml", "policies/data/places/liaoning.yml"} <= files
    assert BilingualTokenizer.fingerprint_addon({}) == fingerprint(files_under(NLU_SOURCES))
    key = calculate_fingerprint_key(BilingualTokenizer, {}, {})
    monkeypatch.setattr(tokenizer, "nlu_sources_fingerprint", lambda: "edited")
    assert calculate_fingerprint_key(BilingualTokenizer, {}, {}) != key
