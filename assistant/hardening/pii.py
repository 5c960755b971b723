"""Personal data in a message, masked before the message is stored or logged (PIPL).

Masked: resident identity card numbers (18 characters, 身份证号) whose date of birth is a
real date and whose check digit is right (GB 11643), mainland mobile numbers (optionally
with +86, spaces or hyphens), bank card numbers (16-19 digits passing the Luhn check) and
e-mail addresses. Each becomes a run of `*`: no letters, so that the language of the
message and its words are unchanged for the NLU, and nothing of the number is kept.
A number that only looks like one (an 18-digit order number with a wrong check digit)
is left alone: the checks are what keeps ordinary numbers in a question readable.
"""

from __future__ import annotations

import re
from datetime import date

MASK = "***"

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_SEP = r"[ \-]?"
#: 6-digit region, 8-digit birth date, 3-digit sequence, check character; spaces or
#: hyphens between the groups are allowed (people copy them from a card).
_ID = re.compile(
    rf"(?<![0-9A-Za-z])([1-9]\d{{5}}){_SEP}((?:18|19|20)\d{{6}}){_SEP}(\d{{3}})([0-9Xx])(?![0-9A-Za-z])"
)
_MOBILE = re.compile(
    rf"(?<![0-9])(?:(?:\+|00)?86{_SEP})?(1[3-9]\d){_SEP}(\d{{4}}){_SEP}(\d{{4}})(?![0-9])"
)
_CARD = re.compile(r"(?<![0-9])(?:\d[ \-]?){15,18}\d(?![0-9])")
_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")


def is_id_number(digits17: str, check: str) -> bool:
    """Whether `check` is the GB 11643 check character of the first 17 digits."""
    total = sum(int(d) * w for d, w in zip(digits17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11] == check.upper()


def _real_date(yyyymmdd: str) -> bool:
    try:
        born = date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:]))
    except ValueError:
        return False
    return born <= date.today()


def _mask_id(match: re.Match[str]) -> str:
    region, born, seq, check = match.groups()
    if _real_date(born) and is_id_number(region + born + seq, check):
        return MASK
    return match.group(0)


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, char in enumerate(reversed(digits)):
        value = int(char) * (2 if i % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def _mask_card(match: re.Match[str]) -> str:
    digits = re.sub(r"[ \-]", "", match.group(0))
    return MASK if 16 <= len(digits) <= 19 and luhn_ok(digits) else match.group(0)


def mask_personal_data(text: str) -> str:
    """`text` with identity card numbers, mobile numbers, bank cards and e-mails masked."""
    if not any(char.isdigit() or char == "@" for char in text):
        return text  # the common case: nothing to look for
    text = _EMAIL.sub(MASK, text)
    text = _ID.sub(_mask_id, text)
    text = _CARD.sub(_mask_card, text)
    return _MOBILE.sub(MASK, text)
