"""Personal data found and masked; ordinary numbers of a question left alone."""

from __future__ import annotations

import pytest

from assistant.hardening.pii import MASK, is_id_number, luhn_ok, mask_personal_data

# GB 11643 examples: the check character computed from the first 17 digits.
VALID_IDS = ["11010519491231002X", "440524188001010014", "110101199003074514"]


@pytest.mark.parametrize("number", VALID_IDS)
def test_valid_id_numbers_are_masked(number: str) -> None:
    assert is_id_number(number[:17], number[17])
    masked = mask_personal_data(f"我的身份证号是{number}，能在丹东落户吗？")
    assert number not in masked and number[:6] not in masked
    assert masked == f"我的身份证号是{MASK}，能在丹东落户吗？"


def test_id_number_in_groups_and_lower_case_x() -> None:
    assert mask_personal_data("ID 110105 19491231 002x please") == f"ID {MASK} please"


@pytest.mark.parametrize(
    "text",
    [
        "订单号110101199003074515",  # wrong check digit
        "110101199013074514",  # month 13: no such birth date
        "我在丹东工作了5年，社保交了36个月",
        "2023年买的房子，面积90平方米",
        "积分达到100分能落户吗",
    ],
)
def test_ordinary_numbers_stay(text: str) -> None:
    assert mask_personal_data(text) == text


@pytest.mark.parametrize(
    "phone",
    ["13812345678", "+86 138 1234 5678", "86-138-1234-5678", "199-1234-5678", "0086 13812345678"],
)
def test_mobile_numbers_are_masked(phone: str) -> None:
    masked = mask_personal_data(f"请打我电话{phone}谢谢")
    assert masked == f"请打我电话{MASK}谢谢", masked


def test_a_number_that_is_not_a_mobile_stays() -> None:
    for text in ("12812345678", "1381234567", "2381234567890"):
        assert mask_personal_data(text) == text


def test_email_and_bank_card() -> None:
    assert not luhn_ok("4111111111111112")
    card = "4111 1111 1111 1111"  # the Luhn-valid test card number
    assert luhn_ok(card.replace(" ", ""))
    masked = mask_personal_data(f"mail zhang.san+hukou@example.com.cn, card {card}")
    assert masked == f"mail {MASK}, card {MASK}"


def test_text_without_digits_is_returned_unchanged() -> None:
    text = "Can I settle in Dandong?"
    assert mask_personal_data(text) is text
