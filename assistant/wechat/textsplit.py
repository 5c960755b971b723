"""Cutting a reply into WeChat text messages.

WeChat counts a text message's size in bytes of UTF-8, not in characters: 2048 bytes at
most (a Chinese character takes 3). A reply is cut between lines; only a single line longer
than the limit is cut inside the line, and then between two characters, never inside one.
"""

from __future__ import annotations

#: Largest text message WeChat and WeCom deliver, in UTF-8 bytes.
MAX_TEXT_BYTES = 2048


def utf8_len(text: str) -> int:
    return len(text.encode("utf-8"))


def _cut_line(line: str, limit: int) -> list[str]:
    """A line longer than `limit` bytes, cut into pieces of at most `limit` bytes."""
    pieces: list[str] = []
    data = line.encode("utf-8")
    while data:
        end = min(limit, len(data))
        # A UTF-8 continuation byte is 0b10xxxxxx: back off to the start of a character.
        while end < len(data) and end > 0 and (data[end] & 0xC0) == 0x80:
            end -= 1
        pieces.append(data[:end].decode("utf-8"))
        data = data[end:]
    return pieces


def split_text(text: str, limit: int = MAX_TEXT_BYTES) -> list[str]:
    """`text` as messages of at most `limit` bytes each, cut at line breaks.

    Lines are kept whole and together as long as they fit; the line break at a cut is
    dropped (each message starts with a line). Empty input gives no message.
    """
    if limit < 4:
        raise ValueError("a message must hold at least one character (4 bytes)")
    parts: list[str] = []
    current = ""
    for line in text.strip("\n").split("\n"):
        pieces = _cut_line(line, limit) if utf8_len(line) > limit else [line]
        for piece in pieces:
            candidate = f"{current}\n{piece}" if current else piece
            if current and utf8_len(candidate) > limit:
                parts.append(current)
                candidate = piece
            current = candidate
    if current.strip():
        parts.append(current)
    return parts
