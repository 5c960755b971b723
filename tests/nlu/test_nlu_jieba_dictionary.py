"""The tokenizer's jieba, made from a copy of jieba's dictionary, is the one jieba makes."""

from __future__ import annotations

import jieba

from assistant.nlu import jieba_dictionary
from assistant.nlu.tokenizer import dictionary_words


def test_a_copy_with_words_added_is_what_jieba_builds_and_leaves_the_plain_one_alone() -> None:
    words = dictionary_words()
    plain_size = len(jieba_dictionary.plain().FREQ)
    built = jieba.Tokenizer()
    built.initialize()
    for word in words:
        built.add_word(word)

    copied = jieba_dictionary.with_words(words)

    assert copied.FREQ == built.FREQ and copied.total == built.total
    text = "我在瓦房店租房交社保想办理居住证然后落户"
    assert list(copied.tokenize(text, HMM=True)) == list(built.tokenize(text, HMM=True))
    assert len(jieba_dictionary.plain().FREQ) == plain_size
    assert copied.FREQ is not jieba_dictionary.plain().FREQ
