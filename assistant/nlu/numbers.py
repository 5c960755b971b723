"""Turning a duration mention ("五年", "两年半", "18 months", "two and a half years") into years.

Used for the `social_insurance_years`, `residence_years` and `tax_years` entities, whose value
is the raw span the user typed. Vague quantities are read conservatively: "一年多" and "三年以上"
give the stated minimum (1 and 3), because the rules compare against a minimum; "不到一年"
and "less than 2 years" a month under the amount, the most they can be; "since 2019" (从2019年,
2019年开始) the time since the end of that year, the least it can be.
"""

from __future__ import annotations

import re
from datetime import date

from .normalise import normalise

__all__ = ["duration_spans", "parse_number", "parse_years"]

#: no duration of a person's life is this long: a number of "years" this large is a year named
MAX_YEARS = 100
_ZH_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
              "七": 7, "八": 8, "九": 9}
_ZH_UNITS = {"十": 10, "百": 100}
_EN_NUMBERS = {
    "zero": 0, "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
}
_ZH_NUM = "[零〇一二两三四五六七八九十百]+"
#: two neighbouring digits, an amount given roughly ("六七年", "三四个月")
_ZH_ROUGHLY = re.compile("一二|二三|两三|三四|四五|五六|六七|七八|八九")
_EN_NUM = "|".join(sorted(_EN_NUMBERS, key=len, reverse=True))
_NUM = rf"(?:\d+(?:\.\d+)?|{_ZH_NUM}|\b(?:{_EN_NUM})(?:[- ](?:{_EN_NUM}))?\b)"

# One amount followed by its unit: "3年半", "二十多年", "十八个月", "two and a half years",
# "half a year". 多/余/几/来 ("more than") are dropped: the stated minimum is what counts.
_AMOUNT = re.compile(
    r"(?P<less>(?:还|都)?(?:不到|没满|不满|未满|没到|不足)|(?:less than|under|not yet|not even|"
    r"almost|nearly)\s+)?"
    rf"(?P<half_only>半|half\s+(?:a|an|one)\s+)?"
    rf"(?P<num>{_NUM})?(?:多|余|几|来)?\s*(?P<and_half>\s+and\s+a\s+half\s+)?\s*"
    r"(?P<unit>个?(?:多|余)?半?月|年|周年|years?|yrs?|months?|monts?|mnths?|mos?)"
    r"(?P<half_after>半|\s+and\s+a\s+half)?",
    re.IGNORECASE,
)
# A year something started in: "since 2019", "从2019年", "2019年开始交的", "自2020年起".
_SINCE = re.compile(
    r"(?:\bsince\s+|从|自)(?P<year>(?:19|20)\d\d)(?!\d)\s*年?(?:开始|起|以来)?"
    r"|(?P<started>(?:19|20)\d\d)\s*年(?:开始|起|以来)",
    re.IGNORECASE,
)
_BARE_NUMBER = re.compile(rf"^\s*(?P<num>{_NUM})\s*$", re.IGNORECASE)


def parse_number(text: str) -> float | None:
    """Read an Arabic, Chinese (十二, 两百零五) or English (twenty-one) number."""
    text = text.strip().lower()
    if not text:
        return None
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        return float(text)
    if re.fullmatch(_ZH_NUM, text):
        return _parse_zh(text)
    words = re.split(r"[- ]+", text)
    if all(word in _EN_NUMBERS for word in words):
        return float(sum(_EN_NUMBERS[word] for word in words))
    return None


def _parse_zh(text: str) -> float | None:
    if _ZH_ROUGHLY.fullmatch(text):
        # "六七年": six or seven, the least of them
        return float(_ZH_DIGITS[text[0]])
    total = 0
    current = 0
    for char in text:
        if char in _ZH_DIGITS:
            current = current * 10 + _ZH_DIGITS[char] if current else _ZH_DIGITS[char]
        else:
            total += (current or 1) * _ZH_UNITS[char]
            current = 0
    return float(total + current)


def parse_years(text: str) -> float | None:
    """Return the duration mentioned in ``text`` in years, or None if there is none.

    A bare number ("5", "五") is read as years: it is the answer to "how many years?".
    """
    text = normalise(text).lower()
    bare = _BARE_NUMBER.match(text)
    if bare:
        return parse_number(bare.group("num"))
    for match in _AMOUNT.finditer(text):
        years = _amount_in_years(match)
        if years is not None:
            return years
    since = _SINCE.search(text)
    return None if since is None else _years_since(since)


def _years_since(match: re.Match[str]) -> float:
    """The years from the end of the year named to today: at least that long ago."""
    year = int(match.group("year") or match.group("started"))
    return max(0.0, round((date.today() - date(year, 12, 31)).days / 365.25, 2))


def duration_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the durations in ``text`` ("五年", "3 years", "half a year"), which
    must be normalised and lower-cased already (offsets are offsets in ``text``)."""
    spans = [match.span() for match in _AMOUNT.finditer(text) if _amount_in_years(match)]
    return sorted(spans + [match.span() for match in _SINCE.finditer(text)])


def _amount_in_years(match: re.Match[str]) -> float | None:
    if match.group("half_only") and not match.group("num"):
        amount = 0.5
    elif match.group("num"):
        number = parse_number(match.group("num"))
        if number is None:
            return None
        amount = number
    else:
        # a unit on its own: "半年" has its 半 in half_only, "年" alone means nothing
        return None
    if match.group("and_half") or match.group("half_after"):
        amount += 0.5
    unit = match.group("unit")
    if "月" in unit or unit.startswith("m"):
        if unit.startswith("个半") or unit.startswith("半"):
            amount += 0.5
        amount /= 12
    if match.group("less"):
        # "纳税没满一年", "less than 2 years": under the amount, at most a month under it
        amount = max(amount - 1 / 12, amount / 2)
    # "2019年" names a year, not a duration (`_SINCE` reads a year something started in)
    return amount if amount < MAX_YEARS else None
