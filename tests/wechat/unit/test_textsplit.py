"""Cutting replies at WeChat's size limit, which counts UTF-8 bytes."""

from __future__ import annotations

import pytest

from assistant.wechat.textsplit import MAX_TEXT_BYTES, split_text, utf8_len


def test_short_text_is_one_message() -> None:
    assert split_text("可以落户。\n依据：第5条") == ["可以落户。\n依据：第5条"]


def test_empty_text_gives_no_message() -> None:
    assert split_text("") == []
    assert split_text("\n\n") == []


def test_limit_counts_bytes_not_characters() -> None:
    line = "户" * 700  # 700 characters, 2100 bytes
    parts = split_text(line)
    assert len(parts) == 2
    assert all(utf8_len(p) <= MAX_TEXT_BYTES for p in parts)
    assert "".join(parts) == line


def test_cut_between_lines_when_lines_fit() -> None:
    lines = [f"{i:03d} " + "落户条件" * 30 for i in range(40)]  # 364 bytes a line
    parts = split_text("\n".join(lines))
    assert len(parts) > 1
    assert all(utf8_len(p) <= MAX_TEXT_BYTES for p in parts)
    # every line is whole in exactly one part, in order
    assert [line for part in parts for line in part.split("\n")] == lines


@pytest.mark.parametrize("limit", [4, 5, 7, 10, 64, 2048])
def test_never_inside_a_character(limit: int) -> None:
    text = "a户🙂b" * 200 + "\n" + "é" * 300
    parts = split_text(text, limit)
    assert all(utf8_len(p) <= limit for p in parts)
    assert "".join(parts).replace("\n", "") == text.replace("\n", "")
    for part in parts:
        part.encode("utf-8").decode("utf-8")  # each part is whole characters


def test_exactly_at_the_limit_stays_one_message() -> None:
    text = "ab" * (MAX_TEXT_BYTES // 2)
    assert split_text(text) == [text]
    assert len(split_text(text + "c")) == 2


def test_a_limit_below_one_character_is_an_error() -> None:
    with pytest.raises(ValueError):
        split_text("x", 3)
