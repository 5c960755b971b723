"""parse_years(): durations in Chinese and English."""

from __future__ import annotations

from datetime import date

import pytest

from assistant.nlu.numbers import duration_spans, parse_number, parse_years


@pytest.mark.parametrize(
    ("text", "years"),
    [
        ("五年", 5),
        ("5年", 5),
        ("２年", 2),
        ("两年半", 2.5),
        ("3年半", 3.5),
        ("一年半", 1.5),
        ("一年多", 1),
        ("二十多年", 20),
        ("十几年", 10),
        ("半年", 0.5),
        ("十二年", 12),
        ("三年以上", 3),
        ("十八个月", 1.5),
        ("6个月", 0.5),
        ("交了五年社保", 5),
        ("five years", 5),
        ("3 years", 3),
        ("1.5 years", 1.5),
        ("a year", 1),
        ("half a year", 0.5),
        ("18 months", 1.5),
        ("two and a half years", 2.5),
        ("one year and a half", 1.5),
        ("twenty-one years", 21),
        ("5 yrs", 5),
        ("5", 5),
        ("五", 5),
    ],
)
def test_parse_years(text: str, years: float) -> None:
    assert parse_years(text) == pytest.approx(years)


@pytest.mark.parametrize("text", ["", "年", "好几年", "many years", "for a few years", "社保"])
def test_no_duration(text: str) -> None:
    assert parse_years(text) is None


@pytest.mark.parametrize(
    ("text", "number"), [("十二", 12), ("两百零五", 205), ("twenty-one", 21), ("3", 3)]
)
def test_parse_number(text: str, number: float) -> None:
    assert parse_number(text) == number


@pytest.mark.parametrize(
    ("text", "spans"),
    [
        ("交了五年社保 住了3年半", ["五年", "3年半"]),
        ("paid for 2 years and lived here half a year", ["2 years", "half a year"]),
        ("十八个月", ["十八个月"]),
        # a unit without an amount is no duration
        ("年底毕业", []),
    ],
)
def test_duration_spans(text: str, spans: list[str]) -> None:
    assert [text[a:b] for a, b in duration_spans(text)] == spans


@pytest.mark.parametrize(
    ("text", "years"),
    [("纳税没满一年", 11 / 12), ("不到半年", 5 / 12), ("less than 2 years", 23 / 12),
     ("under 6 months", 5 / 12), ("not even a month", 1 / 24)],
)
def test_a_duration_under_an_amount_is_a_month_under_it(text: str, years: float) -> None:
    """The rules compare against a minimum: "没满一年" must fail a one-year condition."""
    assert parse_years(text) == pytest.approx(years)


def test_a_year_something_started_in_gives_the_years_since_its_end() -> None:
    # at least the whole years since the end of 2019, less than those since its start
    whole = date.today().year - 2020
    for text in ("tax paid since 2019", "从2019年开始交社保", "2019年开始交的", "自2019年起"):
        years = parse_years(text)
        assert years is not None and whole <= years < whole + 1, text
    # a year named is no duration of that many years
    assert parse_years("我2019年来的沈阳") is None
    assert parse_years("bought it in 2020") is None


def test_an_amount_given_roughly_is_its_least() -> None:
    assert parse_years("交了六七年了") == 6
    assert parse_years("来了八个多月了") == pytest.approx(8 / 12)
